export { campaignSubgraph } from './schema';
export { campaignServices } from './services';
export type { CampaignServices } from './services';
export type { CampaignSettings } from './settings';
export { campaignSettings } from './settings';
export { webhookSettings } from './webhooks/webhook-settings';
export type { WebhookSettings } from './webhooks/webhook-settings';
