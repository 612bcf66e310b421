export { paymentsSubgraph } from './schema';
