import { conflict, Connection, forbidden, Identity, loadById, newestFirstPage, notFound, RequestContext } from '@influenceflow/kit';
import { CreatorCreatedData, CreatorStatsUpdatedData, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { parseInput, profileSchema, withoutNulls } from '../ingest/creator-record';
import { AccountService } from '../accounts/account.service';
import { refreshSearchProfile } from '../search/search-profile.store';
import type { SearchProfile } from '../search/search-profile';
import { Creator, MEDIA_KIT_SECTIONS } from './creator.entity';
import { tierOf } from './tier';
import { CreatorProfileInput, CreatorsArgs } from './creator.types';

/** Whether the countries the audience is judged against changed (see accounts/account.service.ts marketsOf). */
function marketsChanged(before: Pick<Creator, 'country' | 'markets'>, after: Pick<Creator, 'country' | 'markets'>): boolean {
  return before.country !== after.country || [...before.markets].sort().join() !== [...after.markets].sort().join();
}

/** The creator a write is for: the caller's own profile (its id is the token's `creatorId`). */
export function ownCreatorId(ctx: RequestContext): string {
  const identity: Identity = ctx.requireRole('creator');
  if (!identity.creatorId) throw forbidden('Your token carries no creatorId: only creators have a profile');
  return identity.creatorId;
}

/** Creator profiles: public to read; each creator writes only their own. */
export class CreatorService {
  constructor(private readonly accounts: AccountService) {}

  async get(ctx: RequestContext, id: string): Promise<Creator> {
    const creator = await this.load(ctx, id);
    if (!creator) throw notFound('Creator', id);
    return creator;
  }

  async getByHandle(ctx: RequestContext, handle: string): Promise<Creator> {
    const creator = await this.findByHandle(ctx, handle);
    if (!creator) throw notFound('Creator', handle);
    return creator;
  }

  /** Handles are stored lower-case, so the lookup ignores case. */
  findByHandle(ctx: RequestContext, handle: string): Promise<Creator | null> {
    return ctx.dataSource.getRepository(Creator).findOneBy({ handle: handle.trim().toLowerCase() });
  }

  list(ctx: RequestContext, args: CreatorsArgs): Promise<Connection<Creator>> {
    return newestFirstPage(ctx.dataSource.getRepository(Creator).createQueryBuilder('c'), args);
  }

  /** Creates or updates the caller's own profile. */
  async saveOwnProfile(ctx: RequestContext, input: CreatorProfileInput): Promise<Creator> {
    const creatorId = ownCreatorId(ctx);
    const profile = parseInput(profileSchema, withoutNulls(input));
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Creator);
      const taken = await repo.findOne({ where: { handle: profile.handle } });
      if (taken && taken.id !== creatorId) throw conflict(`The handle "${profile.handle}" is taken`, 'input.handle');
      const existing = await repo.findOne({ where: { id: creatorId }, lock: { mode: 'pessimistic_write' } });
      await repo.save(
        repo.create({
          ...(existing ?? { mediaKitPublished: false, mediaKitSections: [...MEDIA_KIT_SECTIONS] }),
          id: creatorId,
          ...profile,
        }),
      );
      const before = existing ? { followers: existing.followers, authenticityScore: existing.authenticityScore } : null;
      if (existing && marketsChanged(existing, profile)) {
        await this.accounts.rescoreAll(ctx, tx, await repo.findOneByOrFail({ id: creatorId }));
      }
      const search = await refreshSearchProfile(tx, creatorId);
      if (!existing) {
        const data: CreatorCreatedData = {
          creatorId,
          handle: profile.handle,
          displayName: profile.displayName,
          country: profile.country,
          niches: profile.niches,
        };
        await ctx.emit(tx, TOPICS.creator, { type: 'creator.created', subject: creatorId, data });
      } else {
        await emitStatsIfChanged(ctx, tx, creatorId, before, search);
      }
      return repo.findOneByOrFail({ id: creatorId });
    });
  }

  load(ctx: RequestContext, id: string): Promise<Creator | null> {
    return loadById(ctx, Creator, id);
  }
}

/** What a creator's stats were before a change (what others copy of a creator). */
export interface CreatorStatsBefore {
  followers: number;
  authenticityScore: number | null;
  engagementRate?: number | null;
  platforms?: string[];
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
