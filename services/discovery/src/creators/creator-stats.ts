import type { RequestContext } from '@influenceflow/kit';
import { CreatorStatsUpdatedData, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { tierOf } from '../rules/tier';
import type { Creator } from './creator.entity';
import type { SearchProfile } from './search-profile';

/*
 * What other services copy of a creator (size, engagement, authenticity, platforms), and the countries a
 * creator's audience is judged against. Used by the services and the bulk importer alike.
 */

/** What a creator's stats were before a change (what others copy of a creator). */
export interface CreatorStatsBefore {
  followers: number;
  authenticityScore: number | null;
  engagementRate?: number | null;
  platforms?: string[];
}

/** What others copy of a stored creator, before a change (for creator.stats-updated). */
export function statsOf(
  creator: Pick<Creator, 'followers' | 'authenticityScore' | 'engagementRate'> & { platforms: string[] },
): CreatorStatsBefore {
  const { followers, authenticityScore, engagementRate, platforms } = creator;
  return { followers, authenticityScore, engagementRate, platforms };
}

/**
 * The creator.stats-updated data for a change from `before` to `after`, or null when what others copy of
 * a creator (size, engagement, authenticity, platforms) did not change. `before` null = a new creator.
 * Pure: the services and the bulk importer decide the same way.
 */
export function statsChange(
  creatorId: string,
  before: CreatorStatsBefore | null,
  after: Pick<SearchProfile, 'followers' | 'authenticityScore' | 'engagementRate' | 'platforms'>,
): CreatorStatsUpdatedData | null {
  const unchanged =
    before &&
    before.followers === after.followers &&
    before.authenticityScore === after.authenticityScore &&
    (before.engagementRate === undefined || sameRate(before.engagementRate, after.engagementRate)) &&
    (before.platforms === undefined || before.platforms.join() === after.platforms.join());
  if (unchanged) return null;
  return {
    creatorId,
    followers: after.followers,
    previousFollowers: before?.followers ?? 0,
    tier: tierOf(after.followers),
    platforms: after.platforms,
    engagementRate: after.engagementRate,
    authenticityScore: after.authenticityScore,
  };
}

/**
 * Publishes creator.stats-updated when what others copy of a creator (size, engagement, authenticity,
 * platforms) changed; a save that changes none of it publishes nothing.
 */
export async function emitStatsIfChanged(
  ctx: RequestContext,
  tx: EntityManager,
  creatorId: string,
  before: CreatorStatsBefore | null,
  after: SearchProfile,
): Promise<void> {
  const data = statsChange(creatorId, before, after);
  if (!data) return;
  await ctx.emit(tx, TOPICS.creator, { type: 'creator.stats-updated', subject: creatorId, data });
}

/** Rates go through a `real` column: compare them at the precision it keeps. */
function sameRate(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-4 * Math.max(1, Math.abs(a));
}

/** The countries a creator's audience is judged against: their own country and declared markets. */
export function marketsOf(creator: Pick<Creator, 'country' | 'markets'>): string[] {
  return [...new Set([...(creator.country ? [creator.country] : []), ...creator.markets])];
}

/**
 * Whether the countries the audience is judged against changed (then every account is scored again: its
 * foreign-audience signal depends on them).
 */
export function marketsChanged(before: Pick<Creator, 'country' | 'markets'>, after: Pick<Creator, 'country' | 'markets'>): boolean {
  return !sameMarkets(marketsOf(before), marketsOf(after));
}

/** Whether two lists of markets (as `marketsOf` gives them: no repeats) hold the same countries. */
export function sameMarkets(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && new Set([...a, ...b]).size === a.length;
}
