import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { AnalyticsServices, analyticsServices } from './services';
import { CampaignFact } from './campaign-metrics/campaign-fact.entity';
import { CampaignMetricsResolver } from './campaign-metrics/campaign-metrics.resolver';
import { Campaign } from './campaign-metrics/campaign-metrics.types';
import { analyticsConsumers } from './events/consumers';
import { landingScriptRoute } from './landing-script/landing-script.route';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';

/** The analytics subgraph: measured results, from events only. */
export const analyticsSubgraph: SubgraphModule<AnalyticsServices> = {
  name: 'analytics',
  resolvers: [CampaignMetricsResolver],
  orphanedTypes: [Campaign],
  references: { Campaign: (ref) => ({ id: ref.id }) },
  entities: [CampaignFact],
  migrations: [Initial1764100000000],
  // consumes campaign.events; publishes conversion.events
  eventTopics: [TOPICS.campaign, TOPICS.conversion],
  services: analyticsServices,
  consumers: analyticsConsumers,
  routes: (app) => landingScriptRoute(app),
};
