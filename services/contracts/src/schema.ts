import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { ContractsServices, contractsServices } from './services';
import { ContractTemplate } from './templates/contract-template.entity';
import { ContractTemplateResolver } from './templates/contract-template.resolver';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';
import { AuditTrailAndSigningKeys1766400000000 } from './migrations/1766400000000-AuditTrailAndSigningKeys';
import { AuditEntry, AuditHead } from './audit/audit-entry.entity';
import { SigningKey } from './certificates/signing-key.entity';

/** The contracts subgraph: templates (and, as they arrive, contracts, e-signatures, the audit trail). */
export const contractsSubgraph: SubgraphModule<ContractsServices> = {
  name: 'contracts',
  resolvers: [ContractTemplateResolver],
  entities: [ContractTemplate, AuditEntry, AuditHead, SigningKey],
  migrations: [Initial1764100000000, AuditTrailAndSigningKeys1766400000000],
  // publishes contract.events
  eventTopics: [TOPICS.contract],
  services: contractsServices,
};
