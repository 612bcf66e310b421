import { Platform } from '@influenceflow/vocabulary';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PlatformAccount } from '../accounts/platform-account.entity';
import type { Platform as PlatformName } from '../rules/types';
import type { DiscoveryContext } from '../services';
import { CompleteConnectionInput, ConnectionStart } from './connection.types';
import { PlatformConnection } from './platform-connection.entity';

@Resolver(() => PlatformConnection)
export class PlatformConnectionResolver {
  @Query(() => [Platform], { description: 'The platforms whose accounts can be connected on this server.' })
  connectablePlatforms(@Ctx() ctx: DiscoveryContext): PlatformName[] {
    return ctx.services.connections.offered();
  }

  @Query(() => [PlatformConnection], { description: 'Your connected accounts, by platform name (creators only).' })
  myPlatformConnections(@Ctx() ctx: DiscoveryContext): Promise<PlatformConnection[]> {
    return ctx.services.connections.mine(ctx);
  }

  @Mutation(() => ConnectionStart, {
    description: 'Starts connecting your account on a platform: send yourself to `authorizationUrl` (creators only; docs/connectors.md).',
  })
  startPlatformConnection(@Arg('platform', () => Platform) platform: PlatformName, @Ctx() ctx: DiscoveryContext) {
    return ctx.services.connections.start(ctx, platform);
  }

  @Mutation(() => PlatformConnection, {
    description:
      "Completes a connection with the `state` and `code` (or `error`) the platform put on the redirect page's URL; fetches the figures at once.",
  })
  completePlatformConnection(@Arg('input', () => CompleteConnectionInput) input: CompleteConnectionInput, @Ctx() ctx: DiscoveryContext) {
    return ctx.services.connections.complete(ctx, input);
  }

  @Mutation(() => Boolean, {
    description: 'Disconnects your account on a platform: its tokens are deleted, its last fetched figures stay.',
  })
  disconnectPlatform(@Arg('platform', () => Platform) platform: PlatformName, @Ctx() ctx: DiscoveryContext) {
    return ctx.services.connections.disconnect(ctx, platform);
  }

  @FieldResolver(() => PlatformAccount, { nullable: true, description: 'The account whose figures are fetched.' })
  account(@Root() connection: PlatformConnection, @Ctx() ctx: DiscoveryContext): Promise<PlatformAccount | null> {
    return ctx.services.connections.accountOf(ctx, connection);
  }
}
