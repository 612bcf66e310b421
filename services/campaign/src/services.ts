import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { BrandService } from './brands/brand.service';
import { BriefService } from './briefs/brief.service';
import { CampaignService } from './campaigns/campaign.service';
import { LiveAccessService } from './live/live-access.service';
import { ComplianceService } from './compliance/compliance.service';
import { DeliverableService } from './deliverables/deliverable.service';
import { MeService } from './me/me.service';
import { MessageService } from './messages/message.service';
import { PartnershipService } from './partnerships/partnership.service';
import { PartnerService } from './partners/partner.service';
import { ClickRecorder } from './tracking/click-recorder';
import { TrackingService } from './tracking/tracking.service';
import { LifecycleTask } from './lifecycle/lifecycle-task';
import { CampaignSettings, campaignSettings } from './settings';
import { WebhookWorker } from './webhooks/webhook-deliverer';
import { WebhookClock, WebhookService } from './webhooks/webhook.service';
import { WebhookSettings, webhookSettings } from './webhooks/webhook-settings';
import type { Resolver } from './webhooks/webhook-destination';

/** What the campaign subgraph is made of, built once per process (`campaignServices`). */
export interface CampaignServices {
  brands: BrandService;
  me: MeService;
  campaigns: CampaignService;
  briefs: BriefService;
  partnerships: PartnershipService;
  messages: MessageService;
  deliverables: DeliverableService;
  compliance: ComplianceService;
  tracking: TrackingService;
  /** Takes the redirect's clicks and writes them to the outbox in batches (a background task). */
  clicks: ClickRecorder;
  /** Completes ended campaigns and marks overdue deliverables on a schedule (a background task). */
  lifecycle: LifecycleTask;
  /** Who may listen to a campaign's live events (the gateway's subscription asks). */
  liveAccess: LiveAccessService;
  settings: CampaignSettings;
  /** Partner platforms (OAuth clients) and brands' grants to them. */
  partners: PartnerService;
  /** Webhook endpoints and their delivery log. */
  webhooks: WebhookService;
  /** Sends due webhook deliveries (a background task, where WEBHOOK_DELIVERY is on). */
  webhookWorker: WebhookWorker;
  webhookSettings: WebhookSettings;
}

/** What tests replace in the webhook deliverer: the clock, the name resolver. */
export interface WebhookOverrides {
  clock?: WebhookClock;
  resolver?: Resolver;
}

/** The request context of campaign's resolvers: `ctx.services` are the ones below. */
export type CampaignContext = RequestContext<CampaignServices>;

/** The one place campaign's parts are made, with what each needs. */
export function campaignServices(
  runtime: SubgraphRuntime,
  settings: CampaignSettings = campaignSettings(),
  hooks: WebhookSettings = webhookSettings(),
  overrides: WebhookOverrides = {},
): CampaignServices {
  const webhooks = new WebhookService(hooks, overrides.clock);
  const campaigns = new CampaignService();
  const briefs = new BriefService(campaigns);
  const compliance = new ComplianceService();
  const deliverables = new DeliverableService(compliance);
  const tracking = new TrackingService();
  const brands = new BrandService();
  const partnerships = new PartnershipService(campaigns, deliverables, tracking);
  return {
    brands,
    me: new MeService(brands),
    campaigns,
    briefs,
    partnerships,
    messages: new MessageService(partnerships),
    deliverables,
    compliance,
    tracking,
    clicks: new ClickRecorder(runtime, runtime.config.gatewaySigningSecret, runtime.logger.child({ component: 'clicks' })),
    lifecycle: new LifecycleTask(
      runtime,
      campaigns,
      deliverables,
      settings.lifecycleIntervalMs,
      runtime.logger.child({ component: 'lifecycle' }),
    ),
    liveAccess: new LiveAccessService(campaigns),
    partners: new PartnerService(),
    settings,
    webhooks,
    webhookWorker: new WebhookWorker(runtime, webhooks, hooks, runtime.logger.child({ component: 'webhooks' }), overrides.resolver),
    webhookSettings: hooks,
  };
}
