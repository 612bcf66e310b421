import type { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import { CampaignEventData, EventDataMap, PartnershipEventData, TOPICS } from '@influenceflow/vocabulary';
import type { ContractsServices } from '../services';

/**
 * What contracts consumes (consumer group `contracts.partnerships`, through the inbox): an accepted
 * partnership gets its draft contract; a terminated one, or a cancelled campaign, ends its contracts; a
 * completed partnership completes its contract. Each handler is idempotent on its own, besides the inbox.
 */
export function contractsConsumers(services: ContractsServices): ConsumerDefinition<EventDataMap>[] {
  const accepted: EventHandler<PartnershipEventData> = (event, tx, context) =>
    services.contracts.draftForPartnership(tx, event.data, context);
  const terminated: EventHandler<PartnershipEventData> = (event, tx, context) =>
    services.contracts.onPartnershipEnded(tx, event.data, context, 'terminated');
  const completed: EventHandler<PartnershipEventData> = (event, tx, context) =>
    services.contracts.onPartnershipEnded(tx, event.data, context, 'completed');
  const cancelled: EventHandler<CampaignEventData> = (event, tx, context) =>
    services.contracts.onCampaignCancelled(tx, event.data, context);
  return [
    {
      name: 'partnerships',
      topics: [TOPICS.campaign],
      handlers: {
        'partnership.accepted': accepted,
        'partnership.terminated': terminated,
        'partnership.completed': completed,
        'campaign.cancelled': cancelled,
      },
    },
  ];
}
