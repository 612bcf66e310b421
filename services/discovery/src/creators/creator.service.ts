import {
  assertCountry,
  conflict,
  Connection,
  CreatorCreatedData,
  forbidden,
  loadById,
  newestFirstPage,
  notFound,
  RequestContext,
  TOPICS,
} from '@influenceflow/kit';
import { Creator } from './creator.entity';
import { CreatorProfileInput, CreatorsArgs } from './creator.types';

/** Creator profiles: public to read; each creator writes only their own. */
export class CreatorService {
  async get(ctx: RequestContext, id: string): Promise<Creator> {
    const creator = await this.load(ctx, id);
    if (!creator) throw notFound('Creator', id);
    return creator;
  }

  async list(ctx: RequestContext, args: CreatorsArgs): Promise<Connection<Creator>> {
    return newestFirstPage(ctx.dataSource.getRepository(Creator).createQueryBuilder('c'), args);
  }

  /** Creates or updates the caller's own profile; its id is the token's `creatorId`, never an input. */
  async saveOwnProfile(ctx: RequestContext, input: CreatorProfileInput): Promise<Creator> {
    const identity = ctx.requireRole('creator');
    if (!identity.creatorId) throw forbidden('Your token carries no creatorId: only creators have a profile');
    const creatorId = identity.creatorId;
    const country = input.country ? assertCountry(input.country, 'input.country') : null;
    const handle = input.handle.toLowerCase();

    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Creator);
      const taken = await repo.findOne({ where: { handle } });
      if (taken && taken.id !== creatorId) throw conflict(`The handle "${handle}" is taken`, 'input.handle');
      const existing = await repo.findOne({ where: { id: creatorId }, lock: { mode: 'pessimistic_write' } });
      const creator = await repo.save(
        repo.create({
          ...(existing ?? {}),
          id: creatorId,
          handle,
          displayName: input.displayName.trim(),
          bio: input.bio ?? '',
          niches: [...new Set(input.niches)],
          country,
          followers: input.followers ?? existing?.followers ?? 0,
        }),
      );
      if (!existing) {
        const data: CreatorCreatedData = { creatorId, handle, displayName: creator.displayName, country, niches: creator.niches };
        await ctx.emit(tx, TOPICS.creator, { type: 'creator.created', subject: creatorId, data });
      } else if (existing.followers !== creator.followers) {
        await ctx.emit(tx, TOPICS.creator, {
          type: 'creator.stats-updated',
          subject: creatorId,
          data: { creatorId, followers: creator.followers, previousFollowers: existing.followers },
        });
      }
      return creator;
    });
  }

  load(ctx: RequestContext, id: string): Promise<Creator | null> {
    return loadById(ctx, Creator, id);
  }
}
