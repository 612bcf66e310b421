import type { ConsumerDefinition } from '@influenceflow/kit';
import { EventDataMap, TOPICS } from '@influenceflow/vocabulary';
import type { PayoutService } from './payout.service';

/**
 * What payouts consume (consumer group `payments.payout-partnerships`, through the inbox): the parties and
 * currency of each partnership under contract, from contract.executed — the partnerships createPayout may pay.
 */
export function payoutConsumers(payouts: PayoutService): ConsumerDefinition<EventDataMap>[] {
  return [
    {
      name: 'payout-partnerships',
      topics: [TOPICS.contract],
      handlers: { 'contract.executed': (event, tx) => payouts.onContractExecuted(tx, event.data) },
    },
  ];
}
