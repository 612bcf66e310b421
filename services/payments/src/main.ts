import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { paymentsSubgraph } from './schema';

void runProcess('payments', () => startSubgraph(paymentsSubgraph, loadServiceConfig('payments')));
