import type { GraphQLResolveInfo } from 'graphql';
import type { DiscoveryContext } from '../services';
import { Arg, Ctx, Field, FieldResolver, Float, Info, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { badInput } from '@influenceflow/kit';
import { Creator } from '../creators/creator.entity';

@ObjectType({ description: 'Each part 0–1: how alike the two creators are in it.' })
export class SimilarityParts {
  @Field(() => Float, { description: 'Shared niches (Jaccard).' }) niche: number;
  @Field(() => Float, {
    description:
      "Audience countries and ages. 0.5 (unknown) for callers who may not see both creators' audiences: for them the audiences are not compared.",
  })
  audience: number;
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

/** Whether the field is on a creator reached through a Lookalike (by type, so an alias changes nothing). */
function underLookalike(info: GraphQLResolveInfo): boolean {
  for (let at = info.path.prev; at; at = at.prev) if (at.typename === 'Lookalike') return true;
  return false;
}

@Resolver(() => Creator)
export class LookalikeResolver {
  @FieldResolver(() => [Lookalike], {
    description:
      "Creators most like this one by niche, audience, engagement and size, best first (the audience only for callers who may see both audiences). Not on a lookalike's own creator (BAD_USER_INPUT): each level would multiply the work by `first`.",
  })
  lookalikes(
    @Root() creator: Creator,
    @Ctx() ctx: DiscoveryContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number,
  ) {
    if (underLookalike(info)) {
      throw badInput('lookalikes', "lookalikes of a lookalike's creator are not served: ask for that creator's lookalikes on their own");
    }
    return ctx.services.lookalikes.lookalikes(ctx, creator.id, first);
  }
}
