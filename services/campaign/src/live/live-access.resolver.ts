import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { CampaignContext } from '../services';
import { CampaignLiveAccess } from './live-access.types';

@Resolver(() => CampaignLiveAccess)
export class LiveAccessResolver {
  @Query(() => CampaignLiveAccess, {
    description:
      "Which of a campaign's live events the caller may receive (docs/live-events.md); NOT_FOUND when they may receive none, as for `campaign`.",
  })
  campaignLiveAccess(@Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: CampaignContext): Promise<CampaignLiveAccess> {
    return ctx.services.liveAccess.access(ctx, campaignId);
  }
}
