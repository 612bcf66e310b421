import { badInput, groupByKey, loadById, notFound, RequestContext } from '@influenceflow/kit';
import { canSeeDetails } from '../accounts/visibility';
import { Creator } from '../creators/creator.entity';
import { CreatorFeatures, Lookalike, rankLookalikes, withoutAudience } from '../rules/similarity';
import { AGE_BUCKETS } from '../rules/types';

/** How many candidates the SQL pre-selection hands to the similarity rule. */
const CANDIDATES = 500;
export const MAX_LOOKALIKES = 50;

/** What the similarity rule reads of a creator. */
type FeatureColumns = Pick<Creator, 'id' | 'niches' | 'followers' | 'engagementRate' | 'audienceCountries' | 'audienceAges'>;

export function featuresOf(c: FeatureColumns): CreatorFeatures {
  return {
    id: c.id,
    niches: c.niches,
    followers: c.followers,
    engagementRate: c.engagementRate,
    audienceCountries: Object.entries(c.audienceCountries ?? {}).map(([country, share]) => ({ country, share })),
    ages: Object.fromEntries(AGE_BUCKETS.flatMap((b, i) => (c.audienceAges?.[i] ? [[b, c.audienceAges[i]]] : []))),
  };
}

/** A creator and the candidates the SQL pre-selected for them. */
interface Candidates {
  target: FeatureColumns;
  candidates: FeatureColumns[];
}

/**
 * The pre-selection for many creators in one query: for each, the creators sharing a niche within a
 * factor of 10 in size, nearest in size first (then by id, so the 500 are always the same), at most
 * CANDIDATES. A creator without candidates still has its row (the LEFT JOIN), one not found has none.
 * Only the columns the rule reads: the winners are loaded whole afterwards, a few per creator.
 */
export const CANDIDATES_SQL = `
  SELECT t.id, t.niches, t.followers, t.engagement_rate, t.audience_countries, t.audience_ages,
         c.id AS c_id, c.niches AS c_niches, c.followers AS c_followers, c.engagement_rate AS c_engagement_rate,
         c.audience_countries AS c_audience_countries, c.audience_ages AS c_audience_ages
  FROM creators t
  LEFT JOIN LATERAL (
    SELECT c.id, c.niches, c.followers, c.engagement_rate, c.audience_countries, c.audience_ages
    FROM creators c
    WHERE c.id <> t.id
      AND c.niches && t.niches
      AND c.followers BETWEEN greatest(t.followers, 1) / 10 AND greatest(t.followers, 1)::bigint * 10
    ORDER BY abs(ln(greatest(c.followers, 1)) - ln(greatest(t.followers, 1))) ASC, c.id
    LIMIT ${CANDIDATES}
  ) c ON true
  WHERE t.id = ANY($1::uuid[])`;

interface CandidateRow {
  id: string;
  niches: string[];
  followers: number;
  engagement_rate: number | null;
  audience_countries: Record<string, number>;
  audience_ages: number[] | null;
  c_id: string | null;
  c_niches: string[];
  c_followers: number;
  c_engagement_rate: number | null;
  c_audience_countries: Record<string, number>;
  c_audience_ages: number[] | null;
}

/**
 * Lookalikes: PostgreSQL pre-selects creators sharing a niche within a factor of 10 in size, nearest in
 * size first (indexed: niches, followers); the similarity rule then scores and explains each. The
 * pre-selection of every creator a request asks lookalikes of is one query (a DataLoader), so a page of
 * creators with their lookalikes costs the same few queries as one creator.
 */
export class LookalikeService {
  async lookalikes(ctx: RequestContext, creatorId: string, first: number): Promise<(Lookalike & { creator: Creator })[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_LOOKALIKES) throw badInput('first', `must be between 1 and ${MAX_LOOKALIKES}`);
    const { target, candidates } = await ctx.loaders
      .get<string, Candidates>('discovery.lookalikeCandidates', (ids) => this.candidatesOf(ctx, ids))
      .load(creatorId);
    // The audiences are compared only when the caller may see both (see withoutAudience).
    const seesTarget = canSeeDetails(ctx, target.id);
    const features = candidates.map((c) => (seesTarget && canSeeDetails(ctx, c.id) ? featuresOf(c) : withoutAudience(featuresOf(c))));
    const ranked = rankLookalikes(featuresOf(target), features, first);
    const found = await Promise.all(ranked.map((l) => loadById(ctx, Creator, l.id)));
    // A candidate deleted in between is left out rather than failing the list.
    return ranked.flatMap((l, i) => (found[i] ? [{ ...l, creator: found[i] }] : []));
  }

  private async candidatesOf(ctx: RequestContext, ids: readonly string[]): Promise<(Candidates | Error)[]> {
    const rows: CandidateRow[] = await ctx.dataSource.query(CANDIDATES_SQL, [[...ids]]);
    return groupByKey(ids, rows, (r) => r.id).map((group, i) => {
      if (group.length === 0) return notFound('Creator', ids[i]);
      const [t] = group;
      return {
        target: {
          id: t.id,
          niches: t.niches,
          followers: t.followers,
          engagementRate: t.engagement_rate,
          audienceCountries: t.audience_countries,
          audienceAges: t.audience_ages,
        },
        candidates: group.flatMap((r) =>
          r.c_id === null
            ? []
            : [
                {
                  id: r.c_id,
                  niches: r.c_niches,
                  followers: r.c_followers,
                  engagementRate: r.c_engagement_rate,
                  audienceCountries: r.c_audience_countries,
                  audienceAges: r.c_audience_ages,
                },
              ],
        ),
      };
    });
  }
}
