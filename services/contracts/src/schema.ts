import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { ContractsServices, contractsServices } from './services';
import { ContractTemplate } from './templates/contract-template.entity';
import { ContractTemplateResolver } from './templates/contract-template.resolver';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';

/** The contracts subgraph: templates (and, as they arrive, contracts, e-signatures, the audit trail). */
export const contractsSubgraph: SubgraphModule<ContractsServices> = {
  name: 'contracts',
  resolvers: [ContractTemplateResolver],
  entities: [ContractTemplate],
  migrations: [Initial1764100000000],
  // publishes contract.events
  eventTopics: [TOPICS.contract],
  services: contractsServices,
};
