import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { Creator } from '../creators/creator.entity';
import { LookalikeService } from './lookalike.service';

@ObjectType({ description: 'Each part 0–1: how alike the two creators are in it.' })
export class SimilarityParts {
  @Field(() => Float, { description: 'Shared niches (Jaccard).' }) niche: number;
  @Field(() => Float, { description: 'Audience countries and ages.' }) audience: number;
  @Field(() => Float) engagement: number;
  @Field(() => Float, { description: 'Follower count, on a log scale.' }) size: number;
}

@ObjectType()
export class Lookalike {
  @Field(() => Creator) creator: Creator;
  @Field(() => Int, { description: '0–100' }) score: number;
  @Field(() => SimilarityParts) parts: SimilarityParts;
  @Field(() => [String], { description: 'Why this creator matches, in words.' }) reasons: string[];
}

const lookalikes = new LookalikeService();

@Resolver(() => Creator)
export class LookalikeResolver {
  @FieldResolver(() => [Lookalike], { description: 'Creators most like this one by niche, audience, engagement and size, best first.' })
  lookalikes(
    @Root() creator: Creator,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number,
  ) {
    return lookalikes.lookalikes(ctx, creator.id, first);
  }
}
