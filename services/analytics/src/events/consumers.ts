import { CampaignEventData, ConsumerDefinition, EventHandler, TOPICS } from '@influenceflow/kit';
import { campaignMetrics } from '../campaign-metrics/campaign-metrics.resolver';

const applyCampaign: EventHandler<CampaignEventData> = (event, tx) => campaignMetrics.apply(tx, event);

/** What analytics consumes (ARCHITECTURE.md, "The main flows"). */
export const analyticsConsumers: ConsumerDefinition[] = [
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
