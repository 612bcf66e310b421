import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { Campaign, CampaignMetrics } from './campaign-metrics.types';
import { CampaignMetricsService } from './campaign-metrics.service';

export const campaignMetrics = new CampaignMetricsService();

@Resolver(() => Campaign)
export class CampaignMetricsResolver {
  @FieldResolver(() => CampaignMetrics, {
    nullable: true,
    description: 'Results measured by analytics; null until analytics has heard of the campaign.',
  })
  metrics(@Root() campaign: Campaign, @Ctx() ctx: RequestContext): Promise<CampaignMetrics | null> {
    return campaignMetrics.forCampaign(ctx, campaign.id);
  }
}
