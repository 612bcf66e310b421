import { CampaignEventData, ConsumerDefinition, EventHandler, TOPICS } from '@influenceflow/kit';
import type { AnalyticsServices } from '../services';

/** What analytics consumes: the campaigns it measures. */
export function analyticsConsumers(services: AnalyticsServices): ConsumerDefinition[] {
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
