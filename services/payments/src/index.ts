export { paymentsSubgraph } from './schema';
export { paymentsServices } from './services';
export type { PaymentsServices } from './services';
export { paymentsSettings } from './settings';
export { payoutSettings } from './payouts/payout-settings';
