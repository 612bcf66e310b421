import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { DiscoveryContext } from '../services';
import { Creator } from './creator.entity';
import { CreatorConnection, CreatorProfileInput, CreatorsArgs } from './creator.types';

@Resolver(() => Creator)
export class CreatorResolver {
  @Query(() => Creator, { description: "A creator's public profile." })
  creator(@Arg('id', () => ID) id: string, @Ctx() ctx: DiscoveryContext): Promise<Creator> {
    return ctx.services.creators.get(ctx, id);
  }

  @Query(() => Creator, { description: 'A creator by their InfluenceFlow handle.' })
  creatorByHandle(@Arg('handle', () => String) handle: string, @Ctx() ctx: DiscoveryContext): Promise<Creator> {
    return ctx.services.creators.getByHandle(ctx, handle);
  }

  @Query(() => CreatorConnection, { description: 'Creators, newest first. To find creators, use `searchCreators`.' })
  creators(@Args() args: CreatorsArgs, @Ctx() ctx: DiscoveryContext) {
    return ctx.services.creators.list(ctx, args);
  }

  @Mutation(() => Creator, { description: 'Creates or updates your own creator profile (creators only; the id comes from your token).' })
  saveMyCreatorProfile(
    @Arg('input', () => CreatorProfileInput) input: CreatorProfileInput,
    @Ctx() ctx: DiscoveryContext,
  ): Promise<Creator> {
    return ctx.services.creators.saveOwnProfile(ctx, input);
  }
}

/** Federation: profiles are public, so any caller may resolve a reference. */
export function resolveCreatorReference(ref: { id: string }, ctx: DiscoveryContext): Promise<Creator | null> {
  return ctx.services.creators.load(ctx, ref.id);
}
