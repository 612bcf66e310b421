import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AnalyticsContext } from '../services';
import { Campaign, CampaignMetrics } from './campaign-metrics.types';

@Resolver(() => Campaign)
export class CampaignMetricsResolver {
  @FieldResolver(() => CampaignMetrics, {
    nullable: true,
    description: 'Results measured by analytics; null until analytics has heard of the campaign.',
  })
  metrics(@Root() campaign: Campaign, @Ctx() ctx: AnalyticsContext): Promise<CampaignMetrics | null> {
    return ctx.services.campaignMetrics.forCampaign(ctx, campaign.id);
  }
}
