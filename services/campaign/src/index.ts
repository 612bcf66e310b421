export { campaignSubgraph } from './schema';
export { campaignServices } from './services';
export type { CampaignServices } from './services';
export type { CampaignSettings } from './settings';
