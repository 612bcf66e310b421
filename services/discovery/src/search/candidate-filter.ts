import { badInput } from '@influenceflow/kit';
import { Tier, TIER_FOLLOWERS } from '../rules/tier';

/**
 * The part of a search filter that both PostgreSQL and the audience index apply: any of the niches, any
 * of the platforms, followers within any of the ranges. One value, built once per search from the GraphQL
 * filter (`candidateFilterOf`); the SQL of it (`candidateFilterSql`) and the index's in-memory test
 * (search/audience-index.filter.ts) are both made from it, and `passesCandidateFilter` is the meaning
 * both are tested against. Null or absent fields do not filter.
 */
export interface CandidateFilter {
  /** Any of these niches, lower case, as `creators.niches` stores them. */
  niches?: readonly string[] | null;
  /** Any of these platforms. */
  platforms?: readonly string[] | null;
  /** Followers (of the headline account) within any of these inclusive ranges; empty: nobody. */
  followers?: readonly FollowerRange[] | null;
}

export interface FollowerRange {
  min: number;
  /** Infinity for no upper bound. */
  max: number;
}

/** The largest follower count a filter may name (the record schema's MAX_COUNT). */
const MAX_FOLLOWERS = 2_000_000_000;

/** What a creator looks like to the candidate filter. */
export interface CandidateFacts {
  niches: readonly string[];
  platforms: readonly string[];
  followers: number;
}

/** The filter's meaning, plainly: what both the SQL and the index must keep. */
export function passesCandidateFilter(creator: CandidateFacts, filter: CandidateFilter): boolean {
  return (
    (!filter.niches || creator.niches.some((n) => filter.niches!.includes(n))) &&
    (!filter.platforms || creator.platforms.some((p) => filter.platforms!.includes(p))) &&
    (!filter.followers || filter.followers.some((r) => creator.followers >= r.min && creator.followers <= r.max))
  );
}

export const lowerUnique = (values: readonly string[]) => [...new Set(values.map((v) => v.trim().toLowerCase()).filter(Boolean))];

/** A range of the GraphQL filter, checked: each bound 0…limit, min ≤ max. */
export function checkedRange(range: { min?: number | null; max?: number | null } | undefined, field: string, limit: number) {
  if (!range) return null;
  const { min, max } = range;
  for (const [name, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (v !== null && v !== undefined && (!Number.isFinite(v) || v < 0 || v > limit)) {
      throw badInput(`${field}.${name}`, `must be between 0 and ${limit}`);
    }
  }
  if (min != null && max != null && min > max) throw badInput(`${field}.min`, 'must not be above max');
  return { min: min ?? null, max: max ?? null };
}

/**
 * The candidate part of a search filter: its niches (lower case), platforms, and the follower ranges of
 * its tiers each within its follower range (a whole number of followers: min rounded up, max down).
 * Refuses a follower range that makes no sense, naming the field.
 */
export function candidateFilterOf(filter: {
  niches?: string[] | null;
  platforms?: readonly string[] | null;
  tiers?: Tier[] | null;
  followers?: { min?: number | null; max?: number | null } | null;
}): CandidateFilter {
  const candidates: CandidateFilter = {};
  if (filter.niches?.length) candidates.niches = lowerUnique(filter.niches);
  if (filter.platforms?.length) candidates.platforms = [...filter.platforms];
  const tiers = [...new Set(filter.tiers ?? [])];
  const range = checkedRange(filter.followers ?? undefined, 'filter.followers', MAX_FOLLOWERS);
  const min = range?.min != null ? Math.ceil(range.min) : null;
  const max = range?.max != null ? Math.floor(range.max) : null;
  if (tiers.length || min !== null || max !== null) {
    // Any of the tiers, each within the range.
    candidates.followers = (tiers.length ? tiers.map((t) => TIER_FOLLOWERS[t]) : [{ min: 0, max: Infinity }])
      .map((r) => ({ min: Math.max(r.min, min ?? 0), max: Math.min(r.max, max ?? Infinity) }))
      .filter((r) => r.min <= r.max);
  }
  return candidates;
}

/** The SQL of one follower range over `creators c` (whole numbers: literals). */
export function followerRangeSql({ min, max }: FollowerRange): string {
  const bounds = [...(min > 0 ? [`c.followers >= ${min}`] : []), ...(Number.isFinite(max) ? [`c.followers <= ${max}`] : [])];
  return bounds.length === 0 ? 'true' : bounds.join(' AND ');
}

/**
 * The candidate filter as SQL conditions over `creators c`, in the order niches, platforms, followers;
 * `param` adds a parameter and returns its placeholder.
 */
export function candidateFilterSql(
  filter: CandidateFilter,
  param: (value: unknown) => string,
): { niches?: string; platforms?: string; followers?: string } {
  const sql: { niches?: string; platforms?: string; followers?: string } = {};
  if (filter.niches) sql.niches = `c.niches && ${param(filter.niches)}::text[]`;
  if (filter.platforms) sql.platforms = `c.platforms && ${param(filter.platforms)}::text[]`;
  if (filter.followers) {
    const ranges = filter.followers;
    sql.followers =
      ranges.length === 0
        ? 'false'
        : ranges.length === 1
          ? `(${followerRangeSql(ranges[0])})`
          : `(${ranges.map((r) => `(${followerRangeSql(r)})`).join(' OR ')})`;
  }
  return sql;
}

/** Each tier as SQL over `creators c` (for the tier facet). */
export const TIER_SQL = Object.fromEntries(
  Object.entries(TIER_FOLLOWERS).map(([tier, range]) => [tier, followerRangeSql(range)]),
) as Record<Tier, string>;
