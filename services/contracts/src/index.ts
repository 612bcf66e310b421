export { contractsSubgraph } from './schema';
