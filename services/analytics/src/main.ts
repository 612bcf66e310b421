import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { analyticsSubgraph } from './schema';

void runProcess('analytics', () => startSubgraph(analyticsSubgraph, loadServiceConfig('analytics')));
