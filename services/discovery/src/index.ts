export { discoverySubgraph } from './schema';
