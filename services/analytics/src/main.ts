import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { analyticsSubgraph } from './schema';
import { ANALYTICS_CONFIG } from './shops/analytics-config';

void runProcess('analytics', () => startSubgraph(analyticsSubgraph, loadServiceConfig('analytics', process.env, ANALYTICS_CONFIG)));
