export { analyticsSubgraph } from './schema';
export { ANALYTICS_CONFIG, ANALYTICS_VARIABLES } from './shops/analytics-config';
export { mountShopifyWebhook } from './shops/shopify-webhook.route';
export { analyticsServices } from './services';
export type { AnalyticsServices } from './services';
export type { OrderIntake, OrderReceived, RefundReceived } from './orders/order-input';
export { landingScript, landingScriptRoute, LANDING_SCRIPT_PATH } from './landing-script/landing-script.route';
