import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { CampaignServices, campaignServices } from './services';
import { Brand } from './brands/brand.entity';
import { BrandResolver, resolveBrandReference } from './brands/brand.resolver';
import { CampaignBrief } from './briefs/brief.entity';
import { CampaignBriefResolver } from './briefs/brief.resolver';
import { Campaign } from './campaigns/campaign.entity';
import { CampaignResolver, PartnershipCampaignResolver, resolveCampaignReference } from './campaigns/campaign.resolver';
import { CreatorCopy } from './creators/creator-copy.entity';
import { Creator } from './creators/creator.types';
import { Deliverable, DeliverableReview, DeliverableSubmission } from './deliverables/deliverable.entity';
import { DeliverableResolver, PartnershipDeliverablesResolver, resolveDeliverableReference } from './deliverables/deliverable.resolver';
import { campaignConsumers } from './events/consumers';
import { MeResolver } from './me/me.resolver';
import { Webhooks1767780000000 } from './migrations/1767780000000-Webhooks';
import { webhookFanOutConsumer } from './webhooks/webhook-deliverer';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhooks/webhook.entity';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './webhooks/webhook.resolver';
import { LiveAccessResolver } from './live/live-access.resolver';
import { PartnerAccess1767790000000 } from './migrations/1767790000000-PartnerAccess';
import { mountPartnerCredentials } from './partners/partner-credentials.route';
import { PartnerClient, PartnerGrant } from './partners/partner.entity';
import { PartnerResolver } from './partners/partner.resolver';
import { MessageResolver, PartnershipMessagesResolver } from './messages/message.resolver';
import { MessageRead, PartnershipMessage } from './messages/message.entity';
import { PartnershipMessages1765200000000 } from './migrations/1765200000000-PartnershipMessages';
import { DeliverableCycles1765300000000 } from './migrations/1765300000000-DeliverableCycles';
import { CreatorCopyChanges1765600000000 } from './migrations/1765600000000-CreatorCopyChanges';
import { ContentLibrary1765700000000 } from './migrations/1765700000000-ContentLibrary';
import { RateCardPeriods1767610000100 } from './migrations/1767610000100-RateCardPeriods';
import { BriefCompliance1765400000000 } from './migrations/1765400000000-BriefCompliance';
import { BrandComplianceResolver } from './compliance/compliance.resolver';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';
import { BriefsAndPartnerships1764200000000 } from './migrations/1764200000000-BriefsAndPartnerships';
import { Deliverables1764300000000 } from './migrations/1764300000000-Deliverables';
import { Tracking1764400000000 } from './migrations/1764400000000-Tracking';
import { CampaignLifecycle1765100000000 } from './migrations/1765100000000-CampaignLifecycle';
import { Negotiation1765500000000 } from './migrations/1765500000000-Negotiation';
import { PartnershipOffer } from './negotiation/offer.entity';
import { redirectHandler } from './tracking/redirect.route';
import { Partnership } from './partnerships/partnership.entity';
import {
  BrandPastPartnersResolver,
  CampaignPartnershipsResolver,
  CreatorPartnershipsResolver,
  PartnershipOfferResolver,
  PartnershipResolver,
  resolvePartnershipReference,
} from './partnerships/partnership.resolver';

/** The campaign subgraph: brands, campaigns, versioned briefs, partnerships, deliverables, discount codes and tracking links. */
export const campaignSubgraph: SubgraphModule<CampaignServices> = {
  name: 'campaign',
  resolvers: [
    BrandResolver,
    BrandComplianceResolver,
    MeResolver,
    CampaignResolver,
    PartnershipCampaignResolver,
    CampaignBriefResolver,
    PartnershipResolver,
    PartnershipOfferResolver,
    CampaignPartnershipsResolver,
    CreatorPartnershipsResolver,
    BrandPastPartnersResolver,
    DeliverableResolver,
    PartnershipDeliverablesResolver,
    MessageResolver,
    PartnershipMessagesResolver,
    WebhookEndpointResolver,
    WebhookDeliveryResolver,
    LiveAccessResolver,
    PartnerResolver,
  ],
  orphanedTypes: [Creator],
  references: {
    Brand: resolveBrandReference,
    Campaign: resolveCampaignReference,
    Partnership: resolvePartnershipReference,
    Deliverable: resolveDeliverableReference,
    Creator: (ref) => ({ id: ref.id }),
  },
  entities: [
    Brand,
    Campaign,
    CampaignBrief,
    CreatorCopy,
    Partnership,
    PartnershipOffer,
    Deliverable,
    DeliverableSubmission,
    DeliverableReview,
    PartnershipMessage,
    MessageRead,
    WebhookEndpoint,
    WebhookDelivery,
    WebhookAttempt,
    PartnerClient,
    PartnerGrant,
  ],
  migrations: [
    Initial1764100000000,
    BriefsAndPartnerships1764200000000,
    Deliverables1764300000000,
    Tracking1764400000000,
    CampaignLifecycle1765100000000,
    PartnershipMessages1765200000000,
    DeliverableCycles1765300000000,
    BriefCompliance1765400000000,
    Negotiation1765500000000,
    CreatorCopyChanges1765600000000,
    ContentLibrary1765700000000,
    RateCardPeriods1767610000100,
    Webhooks1767780000000,
    PartnerAccess1767790000000,
  ],
  // publishes campaign.events and conversion.events (clicks); consumes creator.events, contract.events and payment.events (rate cards)
  eventTopics: [TOPICS.campaign, TOPICS.conversion, TOPICS.creator, TOPICS.contract, TOPICS.payment],
  services: campaignServices,
  // The webhook deliverer (its consumer group and its worker) runs where WEBHOOK_DELIVERY is on (docs/webhooks.md).
  consumers: (services) => [
    ...campaignConsumers(services),
    ...(services.webhookSettings.delivery ? [webhookFanOutConsumer(services.webhooks)] : []),
  ],
  background: (services) => [services.clicks, services.lifecycle, ...(services.webhookSettings.delivery ? [services.webhookWorker] : [])],
  routes: (app, services, runtime) => mountPartnerCredentials(app, services.partners, runtime),
  rawRoutes: (services, runtime) => [redirectHandler(runtime, services.clicks, services.settings)],
};
