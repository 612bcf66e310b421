import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { Creator } from './creator.entity';
import { CreatorService } from './creator.service';
import { CreatorConnection, CreatorProfileInput, CreatorsArgs } from './creator.types';

const creators = new CreatorService();

@Resolver(() => Creator)
export class CreatorResolver {
  @Query(() => Creator, { description: "A creator's public profile." })
  creator(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Creator> {
    return creators.get(ctx, id);
  }

  @Query(() => Creator, { description: 'A creator by their InfluenceFlow handle.' })
  creatorByHandle(@Arg('handle', () => String) handle: string, @Ctx() ctx: RequestContext): Promise<Creator> {
    return creators.getByHandle(ctx, handle);
  }

  @Query(() => CreatorConnection, { description: 'Creators, newest first. To find creators, use `searchCreators`.' })
  creators(@Args() args: CreatorsArgs, @Ctx() ctx: RequestContext) {
    return creators.list(ctx, args);
  }

  @Mutation(() => Creator, { description: 'Creates or updates your own creator profile (creators only; the id comes from your token).' })
  saveMyCreatorProfile(@Arg('input', () => CreatorProfileInput) input: CreatorProfileInput, @Ctx() ctx: RequestContext): Promise<Creator> {
    return creators.saveOwnProfile(ctx, input);
  }
}

/** Federation: profiles are public, so any caller may resolve a reference. */
export function resolveCreatorReference(ref: { id: string }, ctx: RequestContext): Promise<Creator | null> {
  return creators.load(ctx, ref.id);
}
