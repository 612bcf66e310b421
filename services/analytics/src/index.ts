export { analyticsSubgraph } from './schema';
export { ANALYTICS_CONFIG, ANALYTICS_VARIABLES } from './shops/analytics-config';
export { mountShopifyWebhook } from './shops/shopify-webhook.route';
