export { campaignSubgraph } from './schema';
