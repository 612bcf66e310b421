import type { Outbox } from '@influenceflow/kit';
import { ContractEventData, EventDataMap, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import type { Contract } from './contract.entity';
import type { ContractStatus } from './contract-status';

/** What every contract event says of the contract. */
export function contractEventData(c: Contract, previousStatus: ContractStatus | null): ContractEventData {
  return {
    contractId: c.id,
    partnershipId: c.partnershipId,
    campaignId: c.campaignId,
    brandId: c.brandId,
    creatorId: c.creatorId,
    version: c.version,
    amends: c.amendsId,
    status: c.status,
    previousStatus,
    documentSha256: c.documentSha256,
  };
}

type ContractEventType = 'contract.sent' | 'contract.signed' | 'contract.executed' | 'contract.terminated';

/** Records a contract event in the outbox, in the transaction of the change it reports (subject: the contract id). */
export function emitContractEvent<T extends ContractEventType>(
  outbox: Outbox,
  tx: EntityManager,
  type: T,
  c: Contract,
  data: EventDataMap[T],
) {
  return outbox.enqueue(tx, TOPICS.contract, { type, subject: c.id, brandid: c.brandId, data });
}
