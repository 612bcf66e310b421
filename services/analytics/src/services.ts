import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { CampaignMetricsService } from './campaign-metrics/campaign-metrics.service';

/** What the analytics subgraph is made of, built once per process (`analyticsServices`). */
export interface AnalyticsServices {
  campaignMetrics: CampaignMetricsService;
}

/** The request context of analytics's resolvers: `ctx.services` are the ones below. */
export type AnalyticsContext = RequestContext<AnalyticsServices>;

/** The one place analytics's parts are made, with what each needs. */
export function analyticsServices(_runtime: SubgraphRuntime): AnalyticsServices {
  return {
    campaignMetrics: new CampaignMetricsService(),
  };
}
