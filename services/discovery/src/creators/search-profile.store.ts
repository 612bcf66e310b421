import type { EntityManager } from 'typeorm';
import { PlatformAccount, StoredPost } from '../accounts/platform-account.entity';
import { Creator } from './creator.entity';
import { VALID_TODAY } from '../pricing/valid-today';
import type { ProfileRecord } from './creator-record';
import { AGE_BUCKETS, AudienceProfile, GENDERS } from '../rules/types';
import { SearchAccount, searchProfile, SearchProfile } from './search-profile';

/** The profile part of a stored creator, as the pure rules take it. */
export function profileOf(creator: Creator): ProfileRecord {
  return {
    handle: creator.handle,
    displayName: creator.displayName,
    bio: creator.bio,
    niches: creator.niches,
    contentStyles: creator.contentStyles,
    languages: creator.languages,
    country: creator.country,
    region: creator.region,
    city: creator.city,
    markets: creator.markets,
    avatarUrl: creator.avatarUrl,
  };
}

/**
 * The headline account's audience as search stores it on the creator (shares as `real`), for audience
 * match without loading the accounts; null when the headline account has no audience profile.
 */
export function storedAudienceOf(creator: Creator): AudienceProfile | null {
  if (!creator.audienceAges || !creator.audienceGenders) return null;
  const shares = <K extends string>(keys: readonly K[], values: number[]) =>
    Object.fromEntries(keys.map((k, i) => [k, values[i] ?? 0])) as Partial<Record<K, number>>;
  return {
    ages: shares(AGE_BUCKETS, creator.audienceAges),
    genders: shares(GENDERS, creator.audienceGenders),
    countries: Object.entries(creator.audienceCountries).map(([country, share]) => ({ country, share })),
    interests: creator.audienceInterests,
    noProfilePictureShare: null,
  };
}

/** A stored account as search counts it (its posts' captions and hashtags are its words). */
export function searchAccountOf(
  account: Pick<
    PlatformAccount,
    'platform' | 'handle' | 'followers' | 'engagementRate' | 'authenticityScore' | 'sponsoredPerformance' | 'audience'
  > & {
    recentPosts: Pick<StoredPost, 'caption' | 'hashtags'>[];
  },
): SearchAccount {
  return {
    platform: account.platform,
    handle: account.handle,
    followers: account.followers,
    engagementRate: account.engagementRate,
    authenticityScore: account.authenticityScore,
    sponsoredRatio: account.sponsoredPerformance?.ratio ?? null,
    audience: account.audience,
    postTexts: account.recentPosts.flatMap((p) => [p.caption, ...p.hashtags]),
  };
}

/** The columns an UPDATE or COPY writes, in the order of SEARCH_COLUMNS. */
export const SEARCH_COLUMNS = [
  'followers',
  'platforms',
  'engagement_rate',
  'authenticity_score',
  'sponsored_ratio',
  'price_low_minor',
  'price_high_minor',
  'price_source',
  'cost_per_engagement_minor',
  'audience_ages',
  'audience_genders',
  'audience_countries',
  'audience_interests',
  'search_text',
] as const;

/** The search columns that live on `creators`; `search_text` is kept in `creator_search_text`. */
export const CREATOR_SEARCH_COLUMNS = SEARCH_COLUMNS.filter((c) => c !== 'search_text');

/** Upserts the keyword index of creators from rows giving `creator_id` and the text as `search_text`. */
export const SEARCH_TEXT_UPSERT = `INSERT INTO creator_search_text (creator_id, search_text)
  SELECT creator_id, to_tsvector('simple', search_text) FROM (%SOURCE%) AS source(creator_id, search_text)
  ON CONFLICT (creator_id) DO UPDATE SET search_text = EXCLUDED.search_text`;

export function searchColumnValues(p: SearchProfile): unknown[] {
  return [
    p.followers,
    p.platforms,
    p.engagementRate,
    p.authenticityScore,
    p.sponsoredRatio,
    p.priceLowMinor,
    p.priceHighMinor,
    p.priceSource,
    p.costPerEngagementMinor,
    p.audienceAges,
    p.audienceGenders,
    JSON.stringify(p.audienceCountries),
    p.audienceInterests,
    p.searchText,
  ];
}

/**
 * Recomputes a creator's search columns from what is stored (profile, accounts, rate card) and writes
 * them, inside the caller's transaction. Returns the profile written.
 */
export async function refreshSearchProfile(tx: EntityManager, creatorId: string): Promise<SearchProfile> {
  const creator = await tx.getRepository(Creator).findOneByOrFail({ id: creatorId });
  const accounts = await tx.getRepository(PlatformAccount).findBy({ creatorId });
  const rateCard: { priceMinor: string; currency: string }[] = await tx.query(
    `SELECT price_minor AS "priceMinor", currency FROM rate_card_prices WHERE creator_id = $1 AND ${VALID_TODAY}`,
    [creatorId],
  );
  const profile = searchProfile(
    profileOf(creator),
    accounts.map(searchAccountOf),
    rateCard.map((r) => ({ priceMinor: Number(r.priceMinor), currency: r.currency })),
  );
  const values = searchColumnValues(profile);
  const assignments = CREATOR_SEARCH_COLUMNS.map((column, i) => `${column} = $${i + 2}`).join(', ');
  await tx.query(`UPDATE creators SET ${assignments} WHERE id = $1`, [
    creatorId,
    ...values.filter((_, i) => SEARCH_COLUMNS[i] !== 'search_text'),
  ]);
  await tx.query(SEARCH_TEXT_UPSERT.replace('%SOURCE%', 'VALUES ($1::uuid, $2::text)'), [creatorId, profile.searchText]);
  await tx.query(`DELETE FROM creator_audience_countries WHERE creator_id = $1`, [creatorId]);
  const countries = Object.entries(profile.audienceCountries).filter(([, share]) => share > 0);
  if (countries.length > 0) {
    await tx.query(
      `INSERT INTO creator_audience_countries (creator_id, country, share)
       SELECT $1, unnest($2::text[]), unnest($3::real[])`,
      [creatorId, countries.map(([c]) => c), countries.map(([, s]) => s)],
    );
  }
  return profile;
}
