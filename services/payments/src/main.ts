import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { paymentsSubgraph } from './schema';
import { paymentsServices } from './services';
import { paymentsSettings } from './settings';
import { payoutSettings } from './payouts/payout-settings';

void runProcess('payments', () => {
  // All read and checked before anything starts: a bad value stops the service with one message.
  const config = loadServiceConfig('payments');
  const settings = paymentsSettings();
  const payouts = payoutSettings();
  return startSubgraph({ ...paymentsSubgraph, services: (runtime) => paymentsServices(runtime, settings, payouts) }, config);
});
