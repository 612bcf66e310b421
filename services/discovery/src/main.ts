import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { discoverySubgraph } from './schema';

void runProcess('discovery', () => startSubgraph(discoverySubgraph, loadServiceConfig('discovery')));
