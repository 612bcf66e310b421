import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { CampaignMetricsService } from './campaign-metrics/campaign-metrics.service';
import { analyticsSettingsOf } from './shops/analytics-config';
import { ShopService } from './shops/shop.service';

/** What the analytics subgraph is made of, built once per process (`analyticsServices`). */
export interface AnalyticsServices {
  campaignMetrics: CampaignMetricsService;
  shops: ShopService;
}

/** The request context of analytics's resolvers: `ctx.services` are the ones below. */
export type AnalyticsContext = RequestContext<AnalyticsServices>;

/** The one place analytics's parts are made, with what each needs. */
export function analyticsServices(runtime: SubgraphRuntime): AnalyticsServices {
  return {
    campaignMetrics: new CampaignMetricsService(),
    shops: new ShopService(runtime.dataSource, () => analyticsSettingsOf(runtime.config).secretKey),
  };
}
