import type { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import { EventDataMap, PartnershipEventData, TOPICS } from '@influenceflow/vocabulary';
import type { CompensationService } from './compensation.service';

/**
 * What compensation consumes, through the inbox: contracts (plans), campaign (partnership copies, posted
 * deliverables) and conversions (orders and refunds), in consumer group
 * `payments.compensation`. Data payments can never apply is recorded as rejected (CompensationService.apply). A campaign's end comes
 * through the ledger's funding (a step before its escrow returns: CompensationService.beforeEscrowReturn).
 */
export function compensationConsumers(compensation: CompensationService): ConsumerDefinition<EventDataMap>[] {
  const partnership: EventHandler<PartnershipEventData> = (event, tx) =>
    compensation.apply(tx, event, () => compensation.onPartnership(tx, event.data, event.time));
  return [
    {
      name: 'compensation',
      topics: [TOPICS.contract, TOPICS.campaign, TOPICS.conversion],
      handlers: {
        'contract.executed': (event, tx) => compensation.apply(tx, event, () => compensation.onContractExecuted(tx, event.data)),
        'contract.terminated': (event, tx) => compensation.apply(tx, event, () => compensation.onContractTerminated(tx, event.data)),
        'partnership.accepted': partnership,
        'partnership.contracted': partnership,
        'partnership.activated': partnership,
        'partnership.paused': partnership,
        'partnership.resumed': partnership,
        'partnership.completed': partnership,
        'partnership.terminated': partnership,
        'deliverable.posted': (event, tx) => compensation.apply(tx, event, () => compensation.onDeliverablePosted(tx, event.data)),
        'order.attributed': (event, tx) => compensation.apply(tx, event, () => compensation.onOrderAttributed(tx, event.data)),
        'order.refunded': (event, tx) => compensation.apply(tx, event, () => compensation.onOrderRefunded(tx, event.data)),
      },
    },
  ];
}
