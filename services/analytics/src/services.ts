import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { CampaignMetricsService } from './campaign-metrics/campaign-metrics.service';
import { ClicksService } from './clicks/clicks.service';
import { ConversionsService } from './conversions/conversions';
import { CopiesService } from './copies/copies.service';
import { ReportService } from './metrics/report.service';
import { ReportShareService } from './report-shares/report-shares.service';
import { OrderIntakeService } from './orders/order-intake.service';
import { PostsService } from './posts/posts.service';
import { CommentsService } from './posts/comments';
import { PostMeasuredService } from './posts/post-measured';
import { SpendService } from './spend/spend.service';
import { analyticsSettingsOf } from './shops/analytics-config';
import { ShopService } from './shops/shop.service';

/** What the analytics subgraph is made of, built once per process (`analyticsServices`). */
export interface AnalyticsServices {
  campaignMetrics: CampaignMetricsService;
  copies: CopiesService;
  clicks: ClicksService;
  orders: OrderIntakeService;
  conversions: ConversionsService;
  spend: SpendService;
  posts: PostsService;
  comments: CommentsService;
  postMeasured: PostMeasuredService;
  reports: ReportService;
  reportShares: ReportShareService;
  shops: ShopService;
}

/** The request context of analytics's resolvers: `ctx.services` are the ones below. */
export type AnalyticsContext = RequestContext<AnalyticsServices>;

/** The one place analytics's parts are made, with what each needs. */
export function analyticsServices(runtime: SubgraphRuntime): AnalyticsServices {
  const reports = new ReportService();
  const orders = new OrderIntakeService(runtime);
  const conversions = new ConversionsService(orders);
  const spend = new SpendService();
  const posts = new PostsService();
  const comments = new CommentsService();
  return {
    campaignMetrics: new CampaignMetricsService(reports, spend, orders),
    copies: new CopiesService(),
    clicks: new ClicksService([orders, conversions]),
    orders,
    conversions,
    spend,
    posts,
    comments,
    postMeasured: new PostMeasuredService(posts, comments),
    reports,
    reportShares: new ReportShareService(reports),
    shops: new ShopService(runtime.dataSource, () => analyticsSettingsOf(runtime.config).secretKey),
  };
}
