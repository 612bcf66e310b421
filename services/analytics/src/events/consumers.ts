import { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import { CampaignEventData, EventDataMap, TOPICS } from '@influenceflow/vocabulary';
import type { AnalyticsServices } from '../services';

/** What analytics consumes: the campaigns it measures. */
export function analyticsConsumers(services: AnalyticsServices): ConsumerDefinition<EventDataMap>[] {
  const applyCampaign: EventHandler<CampaignEventData> = (event, tx) => services.campaignMetrics.apply(tx, event);
  return [
    {
      name: 'campaigns',
      topics: [TOPICS.campaign],
      handlers: {
        'campaign.created': applyCampaign,
        'campaign.launched': applyCampaign,
        'campaign.paused': applyCampaign,
        'campaign.resumed': applyCampaign,
        'campaign.completed': applyCampaign,
        'campaign.cancelled': applyCampaign,
      },
    },
  ];
}
