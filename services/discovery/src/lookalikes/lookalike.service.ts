import { badInput, RequestContext } from '@influenceflow/kit';
import { Creator } from '../creators/creator.entity';
import { CreatorService } from '../creators/creator.service';
import { CreatorFeatures, Lookalike, rankLookalikes } from '../rules/similarity';
import { AGE_BUCKETS } from '../rules/types';

/** How many candidates the SQL pre-selection hands to the similarity rule. */
const CANDIDATES = 500;
export const MAX_LOOKALIKES = 50;

export function featuresOf(c: Creator): CreatorFeatures {
  return {
    id: c.id,
    niches: c.niches,
    followers: c.followers,
    engagementRate: c.engagementRate,
    audienceCountries: Object.entries(c.audienceCountries ?? {}).map(([country, share]) => ({ country, share })),
    ages: Object.fromEntries(AGE_BUCKETS.flatMap((b, i) => (c.audienceAges?.[i] ? [[b, c.audienceAges[i]]] : []))),
  };
}

/**
 * Lookalikes: PostgreSQL pre-selects creators sharing a niche within a factor of 10 in size, nearest in
 * size first (indexed: niches, followers); the similarity rule then scores and explains each.
 */
export class LookalikeService {
  private readonly creators = new CreatorService();

  async lookalikes(ctx: RequestContext, creatorId: string, first: number): Promise<(Lookalike & { creator: Creator })[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_LOOKALIKES) throw badInput('first', `must be between 1 and ${MAX_LOOKALIKES}`);
    const target = await this.creators.get(ctx, creatorId);
    const size = Math.max(target.followers, 1);
    const candidates = await ctx.dataSource
      .getRepository(Creator)
      .createQueryBuilder('c')
      .where('c.id <> :id', { id: target.id })
      .andWhere('c.niches && :niches', { niches: target.niches })
      .andWhere('c.followers BETWEEN :low AND :high', { low: Math.floor(size / 10), high: size * 10 })
      .orderBy('abs(ln(greatest(c.followers, 1)) - ln(:size))', 'ASC')
      .setParameter('size', size)
      .limit(CANDIDATES)
      .getMany();
    const byId = new Map(candidates.map((c) => [c.id, c]));
    return rankLookalikes(featuresOf(target), candidates.map(featuresOf), first).map((l) => ({ ...l, creator: byId.get(l.id)! }));
  }
}
