import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { campaignSubgraph } from './schema';

void runProcess('campaign', () => startSubgraph(campaignSubgraph, loadServiceConfig('campaign')));
