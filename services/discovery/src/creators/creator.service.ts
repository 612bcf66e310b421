import { conflict, Connection, loadById, newestFirstPage, notFound, RequestContext } from '@influenceflow/kit';
import { CreatorProfileData, TOPICS } from '@influenceflow/vocabulary';
import type { AccountService } from '../accounts/account.service';
import { parseInput, PROFILE_COLUMN_FIELDS, profileSchema, withoutNulls } from './creator-record';
import { emitStatsIfChanged, marketsChanged } from './creator-stats';
import { Creator, MEDIA_KIT_SECTIONS } from './creator.entity';
import { CreatorProfileInput, CreatorsArgs } from './creator.types';
import { creatorsByHandle, handleTakenFrom, ownCreatorId } from './ownership';
import { refreshSearchProfile } from './search-profile.store';

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

  /**
   * Creates or updates the caller's own profile, as a partial update: the stored profile with the input's
   * fields over it (omitted keeps, null clears to the field's empty value), checked whole by the one profile
   * schema. Under the row's lock, so two saves never lose each other's fields.
   */
  async saveOwnProfile(ctx: RequestContext, input: CreatorProfileInput): Promise<Creator> {
    const creatorId = ownCreatorId(ctx);
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Creator);
      const existing = await repo.findOne({ where: { id: creatorId }, lock: { mode: 'pessimistic_write' } });
      const profile = parseInput(profileSchema, withoutNulls(profileUpdate(existing, input)));
      const owners = await creatorsByHandle((text, params) => tx.query(text, params), [profile.handle], { lock: false });
      if (handleTakenFrom(creatorId, owners.get(profile.handle))) throw conflict(`The handle "${profile.handle}" is taken`, 'input.handle');
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
      const data: CreatorProfileData = {
        creatorId,
        handle: profile.handle,
        displayName: profile.displayName,
        country: profile.country,
        niches: profile.niches,
      };
      if (!existing) {
        await ctx.emit(tx, TOPICS.creator, { type: 'creator.created', subject: creatorId, data });
      } else {
        if (profileEventChanged(existing, data)) {
          await ctx.emit(tx, TOPICS.creator, { type: 'creator.profile-updated', subject: creatorId, data });
        }
        await emitStatsIfChanged(ctx, tx, creatorId, before, search);
      }
      return repo.findOneByOrFail({ id: creatorId });
    });
  }

  load(ctx: RequestContext, id: string): Promise<Creator | null> {
    return loadById(ctx, Creator, id);
  }
}

/** The profile fields of a save, as the schema reads them. */
const PROFILE_FIELDS = ['handle', ...Object.values(PROFILE_COLUMN_FIELDS)] as const;

/**
 * What a save makes of the stored profile: each field the input sends (a value, or null to clear it) over
 * the stored one; a field left out (undefined) keeps its stored value. Before the first save there is none.
 */
export function profileUpdate(existing: Creator | null, input: CreatorProfileInput): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const given = input as unknown as Record<string, unknown>;
  for (const field of PROFILE_FIELDS) {
    const sent = given[field];
    merged[field] = sent !== undefined ? sent : existing ? (existing as unknown as Record<string, unknown>)[field] : undefined;
  }
  return merged;
}

/** Whether what other services copy of a creator (handle, name, country, niches) changed. */
function profileEventChanged(existing: Creator, next: CreatorProfileData): boolean {
  return (
    existing.handle !== next.handle ||
    existing.displayName !== next.displayName ||
    existing.country !== next.country ||
    existing.niches.join('\u0000') !== next.niches.join('\u0000')
  );
}
