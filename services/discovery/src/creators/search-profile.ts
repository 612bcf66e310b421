import type { AudienceRecord, ProfileRecord } from './creator-record';
import { priceGuidance } from '../rules/price-guidance';
import { AGE_BUCKETS, GENDERS, PLATFORMS } from '../rules/types';

/** A price from the creator's rate card, as copied from payments' `ratecard.updated` events. */
export interface RatePrice {
  priceMinor: number;
  currency: string;
}

/** The price filter and cost-per-engagement compare amounts in this currency only (see docs/discovery.md). */
export const SEARCH_CURRENCY = 'USD';

/** How much of the text a creator writes is indexed for keyword search. */
const MAX_SEARCH_TEXT = 20_000;

/** The derived columns of `creators` that search filters and sorts on. */
export interface SearchProfile {
  followers: number;
  platforms: string[];
  engagementRate: number | null;
  authenticityScore: number | null;
  /** The headline account's sponsored ÷ organic engagement rate. */
  sponsoredRatio: number | null;
  priceLowMinor: number | null;
  priceHighMinor: number | null;
  priceSource: 'rate_card' | 'guidance' | null;
  costPerEngagementMinor: number | null;
  /** Shares in the order of AGE_BUCKETS / GENDERS (0 where unknown); null without an audience profile. */
  audienceAges: number[] | null;
  audienceGenders: number[] | null;
  audienceCountries: Record<string, number>;
  audienceInterests: string[];
  /** The words keyword search finds the creator by; stored as `to_tsvector('simple', …)`. */
  searchText: string;
}

/** What search needs of an account: its stats, computed metrics, audience and the words of its posts. */
export interface SearchAccount {
  platform: (typeof PLATFORMS)[number];
  handle: string;
  followers: number;
  engagementRate: number | null;
  authenticityScore: number | null;
  /** Sponsored ÷ organic engagement rate (rules/sponsored-performance.ts), null when not comparable. */
  sponsoredRatio: number | null;
  audience: AudienceRecord | null;
  /** Captions and hashtags of the recent posts. */
  postTexts: string[];
}

/**
 * The headline account stands for the creator in search: the one with the most followers (on a tie, the
 * platform listed first in PLATFORMS). Tier, engagement, authenticity and audience come from it; a
 * creator with a big TikTok and a small Instagram is found as the TikTok creator they mostly are.
 */
export function headlineAccount<T extends Pick<SearchAccount, 'platform' | 'followers'>>(accounts: T[]): T | null {
  let best: T | null = null;
  for (const account of accounts) {
    if (
      !best ||
      account.followers > best.followers ||
      (account.followers === best.followers && PLATFORMS.indexOf(account.platform) < PLATFORMS.indexOf(best.platform))
    ) {
      best = account;
    }
  }
  return best;
}

/**
 * Derives the search columns of a creator from the profile, the accounts with their metrics and the
 * rate card. Pure: the service and the bulk importer both call it, so a creator is found the same way
 * however their data arrived.
 *
 *   price        = [min, max] of the rate card's SEARCH_CURRENCY prices, else price guidance of the
 *                  headline account (engaged followers × $0.10 … × $1.00, discounted by its authenticity)
 *   cost per engagement = price low ÷ expected engagements per post (followers × engagement rate ÷ 100),
 *                  null when either is missing or zero
 */
export function searchProfile(profile: ProfileRecord, accounts: SearchAccount[], rateCard: RatePrice[]): SearchProfile {
  const headline = headlineAccount(accounts);
  const engagementRate = headline?.engagementRate ?? null;
  const followers = headline?.followers ?? 0;

  const prices = rateCard.filter((p) => p.currency === SEARCH_CURRENCY).map((p) => p.priceMinor);
  let priceLowMinor: number | null = null;
  let priceHighMinor: number | null = null;
  let priceSource: SearchProfile['priceSource'] = null;
  if (prices.length > 0) {
    priceLowMinor = Math.min(...prices);
    priceHighMinor = Math.max(...prices);
    priceSource = 'rate_card';
  } else if (headline && engagementRate !== null) {
    const guidance = priceGuidance(followers, engagementRate, headline.authenticityScore);
    if (guidance.engagedFollowers > 0) {
      priceLowMinor = guidance.lowMinor;
      priceHighMinor = guidance.highMinor;
      priceSource = 'guidance';
    }
  }
  const engagementsPerPost = engagementRate === null ? 0 : (followers * engagementRate) / 100;
  const costPerEngagementMinor = priceLowMinor !== null && engagementsPerPost > 0 ? priceLowMinor / engagementsPerPost : null;

  const audience = headline?.audience ?? null;
  const text = [
    profile.handle,
    profile.displayName,
    profile.bio,
    ...profile.niches,
    ...profile.contentStyles,
    ...accounts.map((a) => a.handle),
    ...accounts.flatMap((a) => a.postTexts),
  ]
    .filter(Boolean)
    .join(' ');

  return {
    followers,
    platforms: PLATFORMS.filter((p) => accounts.some((a) => a.platform === p)),
    engagementRate,
    authenticityScore: headline?.authenticityScore ?? null,
    sponsoredRatio: headline?.sponsoredRatio ?? null,
    priceLowMinor,
    priceHighMinor,
    priceSource,
    costPerEngagementMinor,
    audienceAges: audience ? AGE_BUCKETS.map((b) => audience.ages[b] ?? 0) : null,
    audienceGenders: audience ? GENDERS.map((g) => audience.genders[g] ?? 0) : null,
    audienceCountries: Object.fromEntries((audience?.countries ?? []).map((c) => [c.country, c.share])),
    audienceInterests: audience?.interests ?? [],
    searchText: text.slice(0, MAX_SEARCH_TEXT),
  };
}
