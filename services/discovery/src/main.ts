import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { CONNECTOR_CONFIG } from './connectors/connector-config';
import { discoverySubgraph } from './schema';

void runProcess('discovery', () => startSubgraph(discoverySubgraph, loadServiceConfig('discovery', process.env, CONNECTOR_CONFIG)));
