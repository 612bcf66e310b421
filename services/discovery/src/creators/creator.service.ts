import { conflict, Connection, loadById, newestFirstPage, notFound, RequestContext } from '@influenceflow/kit';
import { CreatorCreatedData, TOPICS } from '@influenceflow/vocabulary';
import type { AccountService } from '../accounts/account.service';
import { parseInput, profileSchema, withoutNulls } from './creator-record';
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

  /** Creates or updates the caller's own profile. */
  async saveOwnProfile(ctx: RequestContext, input: CreatorProfileInput): Promise<Creator> {
    const creatorId = ownCreatorId(ctx);
    const profile = parseInput(profileSchema, withoutNulls(input));
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Creator);
      const owners = await creatorsByHandle((text, params) => tx.query(text, params), [profile.handle], { lock: false });
      if (handleTakenFrom(creatorId, owners.get(profile.handle))) throw conflict(`The handle "${profile.handle}" is taken`, 'input.handle');
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
