import type { AnySubgraphModule, ServiceName } from '@influenceflow/kit';
import { analyticsSubgraph } from '@influenceflow/analytics';
import { campaignSubgraph } from '@influenceflow/campaign';
import { contractsSubgraph } from '@influenceflow/contracts';
import { discoverySubgraph } from '@influenceflow/discovery';
import { paymentsSubgraph } from '@influenceflow/payments';

/** The five subgraphs, by name (for composition, test set-up and the dev stack). */
export const SUBGRAPHS: Record<ServiceName, AnySubgraphModule> = {
  discovery: discoverySubgraph,
  campaign: campaignSubgraph,
  contracts: contractsSubgraph,
  payments: paymentsSubgraph,
  analytics: analyticsSubgraph,
};
