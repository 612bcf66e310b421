import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { ContractsServices, contractsServices } from './services';
import { AuditEntry, AuditHead } from './audit/audit-entry.entity';
import { SigningKey } from './certificates/signing-key.entity';
import { Contract, ContractSignature } from './contracts/contract.entity';
import { ContractResolver, Partnership, PartnershipContractResolver, resolveContractReference } from './contracts/contract.resolver';
import { contractsConsumers } from './events/consumers';
import { ContractTemplate } from './templates/contract-template.entity';
import { ContractTemplateResolver } from './templates/contract-template.resolver';
import { VerificationResolver } from './verification/verification.resolver';
import { mountVerificationRoutes } from './verification/verification.routes';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';
import { AuditTrailAndSigningKeys1766400000000 } from './migrations/1766400000000-AuditTrailAndSigningKeys';
import { Contracts1766600000000 } from './migrations/1766600000000-Contracts';
import { RecallRefusalsAndKeyLog1766900000000 } from './migrations/1766900000000-RecallRefusalsAndKeyLog';

/**
 * The contracts subgraph: templates, contracts as data (versions, amendments), electronic signatures,
 * the audit trail, certificates of completion, sealed PDFs and public verification (docs/contracts.md).
 */
export const contractsSubgraph: SubgraphModule<ContractsServices> = {
  name: 'contracts',
  resolvers: [ContractTemplateResolver, ContractResolver, PartnershipContractResolver, VerificationResolver],
  orphanedTypes: [Partnership],
  references: {
    Contract: resolveContractReference,
    Partnership: (ref) => ({ id: ref.id }),
  },
  entities: [ContractTemplate, Contract, ContractSignature, AuditEntry, AuditHead, SigningKey],
  migrations: [Initial1764100000000, AuditTrailAndSigningKeys1766400000000, Contracts1766600000000, RecallRefusalsAndKeyLog1766900000000],
  // publishes contract.events; consumes campaign.events (partnerships, cancelled campaigns)
  eventTopics: [TOPICS.contract, TOPICS.campaign],
  services: contractsServices,
  consumers: contractsConsumers,
  routes: (app, services, runtime) => mountVerificationRoutes(app, services, runtime.logger.child({ component: 'verification' })),
};
