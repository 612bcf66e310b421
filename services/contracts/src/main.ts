import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { contractsSubgraph } from './schema';

void runProcess('contracts', () => startSubgraph(contractsSubgraph, loadServiceConfig('contracts')));
