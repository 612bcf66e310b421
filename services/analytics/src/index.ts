export { analyticsSubgraph } from './schema';
