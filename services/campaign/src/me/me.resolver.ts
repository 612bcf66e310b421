import { Ctx, Query, Resolver } from 'type-graphql';
import type { CampaignContext } from '../services';
import { Me } from './me.types';

@Resolver(() => Me)
export class MeResolver {
  @Query(() => Me, { description: 'The caller: identity, roles, brands with their names and the role in each, and creator profile.' })
  me(@Ctx() ctx: CampaignContext): Promise<Me> {
    return ctx.services.me.me(ctx);
  }
}
