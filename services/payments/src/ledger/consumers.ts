import type { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import { CampaignEventData, EventDataMap, TOPICS } from '@influenceflow/vocabulary';
import type { FundingService } from './funding.service';

/**
 * What the ledger consumes: campaigns from campaign.events (the copy funding checks), and their end
 * (completed / cancelled), which returns what is left in the escrow to the brand, once.
 */
export function ledgerConsumers(funding: FundingService): ConsumerDefinition<EventDataMap>[] {
  const copy: EventHandler<CampaignEventData> = async (event, tx) => {
    await funding.applyCampaignEvent(tx, event.data, event.time);
  };
  const ended: EventHandler<CampaignEventData> = (event, tx) => funding.campaignEnded(tx, event.data, event.time);
  return [
    {
      name: 'ledger-campaigns',
      topics: [TOPICS.campaign],
      handlers: {
        'campaign.created': copy,
        'campaign.launched': copy,
        'campaign.paused': copy,
        'campaign.resumed': copy,
        'campaign.completed': ended,
        'campaign.cancelled': ended,
      },
    },
  ];
}
