import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { AnalyticsServices, analyticsServices } from './services';
import { CampaignFact } from './campaign-metrics/campaign-fact.entity';
import { CampaignMetricsResolver } from './campaign-metrics/campaign-metrics.resolver';
import { Campaign } from './campaign-metrics/campaign-metrics.types';
import { analyticsConsumers } from './events/consumers';
import { CreatorPerformanceResolver, PartnershipMetricsResolver, ReportsResolver } from './metrics/metrics.resolver';
import { Creator, Partnership } from './metrics/metrics.types';
import { OrdersResolver } from './orders/orders.resolver';
import { CsvImportResolver } from './csv/csv-import.resolver';
import { mountReportExports } from './csv/report-exports.route';
import { mountCsvUploads } from './csv/csv-upload.route';
import { OrderListResolver } from './orders/order-list';
import { WaitingSweep } from './orders/waiting-sweep';
import { ConversionsResolver } from './conversions/conversions';
import { PostsResolver } from './posts/posts.resolver';
import { CommentsResolver } from './posts/comments';
import { landingScriptRoute } from './landing-script/landing-script.route';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';
import { Measurement1767700000000 } from './migrations/1767700000000-Measurement';
import { Comments1767700000001 } from './migrations/1767700000001-Comments';
import { BrandReports1767700000002 } from './migrations/1767700000002-BrandReports';
import { Shops1767710000000 } from './migrations/1767710000000-Shops';
import { ReportShares1767720000000 } from './migrations/1767720000000-ReportShares';
import { PostUrlKeys1767730000000 } from './migrations/1767730000000-PostUrlKeys';
import { SpendCurrency1767740000000 } from './migrations/1767740000000-SpendCurrency';
import { PostProvenance1767750000000 } from './migrations/1767750000000-PostProvenance';
import { OrderKeySpaces1767760000000 } from './migrations/1767760000000-OrderKeySpaces';
import { OrdersAwaitingCampaign1767760000001 } from './migrations/1767760000001-OrdersAwaitingCampaign';
import { OrderPricesIncludeTax1767760000002 } from './migrations/1767760000002-OrderPricesIncludeTax';
import { ReportSharesResolver } from './report-shares/report-shares.resolver';
import { Shop, ShopWebhookReceipt } from './shops/shop.entity';
import { ShopResolver } from './shops/shop.resolver';
import { mountShopifyWebhook } from './shops/shopify-webhook.route';

/** The analytics subgraph: clicks, orders, posts and spend measured, attributed and reported, from raw facts. */
export const analyticsSubgraph: SubgraphModule<AnalyticsServices> = {
  name: 'analytics',
  resolvers: [
    CampaignMetricsResolver,
    ReportsResolver,
    PartnershipMetricsResolver,
    CreatorPerformanceResolver,
    OrdersResolver,
    OrderListResolver,
    ConversionsResolver,
    PostsResolver,
    CsvImportResolver,
    CommentsResolver,
    ShopResolver,
    ReportSharesResolver,
  ],
  orphanedTypes: [Campaign, Partnership, Creator],
  references: {
    Campaign: (ref) => ({ id: ref.id }),
    Partnership: (ref) => ({ id: ref.id }),
    Creator: (ref) => ({ id: ref.id }),
  },
  entities: [CampaignFact, Shop, ShopWebhookReceipt],
  migrations: [
    Initial1764100000000,
    Measurement1767700000000,
    Comments1767700000001,
    BrandReports1767700000002,
    Shops1767710000000,
    ReportShares1767720000000,
    PostUrlKeys1767730000000,
    SpendCurrency1767740000000,
    PostProvenance1767750000000,
    OrderKeySpaces1767760000000,
    OrdersAwaitingCampaign1767760000001,
    OrderPricesIncludeTax1767760000002,
  ],
  // consumes campaign, creator, contract, payment and conversion events; publishes conversion.events
  eventTopics: [TOPICS.campaign, TOPICS.creator, TOPICS.contract, TOPICS.payment, TOPICS.conversion],
  // the Shopify order webhook (docs/shops.md): HMAC-verified before its body is parsed
  routes: (app, services, runtime) => {
    mountShopifyWebhook(app, services, runtime.dataSource, runtime.logger.child({ component: 'shopify-webhook' }));
    // the reports as CSV files (docs/analytics-csv.md), signed by the gateway for the very URL
    mountReportExports(app, services, runtime);
    // orders and refunds files above what a GraphQL string holds (docs/analytics-csv.md), signed with their bytes
    mountCsvUploads(app, services, runtime);
    // the click keeper brands put on their landing pages (docs/landing-script.md)
    landingScriptRoute(app);
  },
  services: analyticsServices,
  consumers: analyticsConsumers,
  // orders and sign-ups that missed what they waited for (an arrival committing as they were recorded)
  background: (services, runtime) => [
    new WaitingSweep(
      runtime,
      services.orders,
      [
        { table: 'orders', waiter: services.orders },
        { table: 'conversions', waiter: services.conversions },
      ],
      runtime.logger.child({ component: 'waiting-sweep' }),
    ),
  ],
};
