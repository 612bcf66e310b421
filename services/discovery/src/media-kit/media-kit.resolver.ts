import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DiscoveryContext } from '../services';
import { Creator } from '../creators/creator.entity';
import { MediaKit, MediaKitSettingsInput } from './media-kit.types';

@Resolver(() => Creator)
export class MediaKitResolver {
  @Query(() => MediaKit, { description: "A creator's public media kit, by handle (public; unpublished kits only to their creator)." })
  mediaKit(@Arg('handle', () => String) handle: string, @Ctx() ctx: DiscoveryContext): Promise<MediaKit> {
    return ctx.services.mediaKits.byHandle(ctx, handle);
  }

  @FieldResolver(() => MediaKit, { name: 'mediaKit', nullable: true, description: 'The media kit, when published (or to its creator).' })
  creatorMediaKit(@Root() creator: Creator, @Ctx() ctx: DiscoveryContext): Promise<MediaKit | null> {
    return ctx.services.mediaKits.of(ctx, creator);
  }

  @Mutation(() => MediaKit, { description: 'Publishes or hides your media kit and chooses its sections (creators only).' })
  setMyMediaKit(@Arg('input', () => MediaKitSettingsInput) input: MediaKitSettingsInput, @Ctx() ctx: DiscoveryContext): Promise<MediaKit> {
    return ctx.services.mediaKits.setOwn(ctx, input);
  }
}
