import { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import {
  CampaignEventData,
  CreatorProfileData,
  DeliverableEventData,
  EventDataMap,
  PartnershipEventData,
  TOPICS,
} from '@influenceflow/vocabulary';
import type { AnalyticsServices } from '../services';

/** Clicks applied in one transaction at most (docs/events.md, "Batched consumers"). */
export const CLICK_BATCH = 500;

/**
 * What analytics consumes: the campaigns, partnerships, deliverables and creators it measures (copies),
 * the posts connected accounts' platforms measure, the clicks on tracking links, the spend payments accrues
 * and the product values contracts declare.
 * Every handler runs in the inbox's transaction: an event is applied exactly once.
 */
export function analyticsConsumers(s: AnalyticsServices): ConsumerDefinition<EventDataMap>[] {
  const campaign: EventHandler<CampaignEventData> = (event, tx) => s.campaignMetrics.apply(tx, event);
  const partnership: EventHandler<PartnershipEventData> = (event, tx) => s.copies.applyPartnership(tx, event);
  const deliverable: EventHandler<DeliverableEventData> = (event, tx) => s.copies.applyDeliverable(tx, event);
  const profile: EventHandler<CreatorProfileData> = (event, tx) => s.copies.applyCreatorProfile(tx, event);
  return [
    {
      name: 'campaigns',
      topics: [TOPICS.campaign],
      handlers: {
        'campaign.created': campaign,
        'campaign.launched': campaign,
        'campaign.paused': campaign,
        'campaign.resumed': campaign,
        'campaign.completed': campaign,
        'campaign.cancelled': campaign,
        'partnership.invited': partnership,
        'partnership.accepted': partnership,
        'partnership.declined': partnership,
        'partnership.contracted': partnership,
        'partnership.activated': partnership,
        'partnership.paused': partnership,
        'partnership.resumed': partnership,
        'partnership.completed': partnership,
        'partnership.terminated': partnership,
        'partnership.countered': partnership,
        'partnership.code-changed': partnership,
        'deliverable.submitted': deliverable,
        'deliverable.resubmitted': deliverable,
        'deliverable.changes-requested': deliverable,
        'deliverable.approved': deliverable,
        'deliverable.posted': deliverable,
        'deliverable.verified': deliverable,
        'deliverable.flagged': deliverable,
        'deliverable.unflagged': deliverable,
      },
    },
    {
      name: 'creators',
      topics: [TOPICS.creator],
      handlers: {
        'creator.created': profile,
        'creator.profile-updated': profile,
        'creator.stats-updated': (event, tx) => s.copies.applyCreatorStats(tx, event),
        // A connected account's post, measured by its platform's API (discovery's connectors).
        'post.measured': async (event, tx, { logger }) => {
          await s.postMeasured.apply(tx, event, logger);
        },
      },
    },
    {
      // the busiest stream (every redirect): batched, a fetched batch of clicks in one transaction
      name: 'clicks',
      topics: [TOPICS.conversion],
      handlers: { 'click.recorded': (event, tx) => s.clicks.record(tx, event.data) },
      // the partitions' batches side by side: the roll-up rows are written in one sorted statement a batch
      batch: { maxEvents: CLICK_BATCH, partitionsConcurrently: 3 },
      batchHandlers: {
        'click.recorded': (events, tx) =>
          s.clicks.recordMany(
            tx,
            events.map((e) => e.data),
          ),
      },
    },
    {
      name: 'spend',
      topics: [TOPICS.payment, TOPICS.contract],
      handlers: {
        'spend.accrued': (event, tx) => s.spend.record(tx, s.spend.accrual(event.data)),
        'contract.executed': async (event, tx) => {
          const product = s.copies.productValue(event);
          if (product) await s.spend.record(tx, { key: `product:${product.partnershipId}`, kind: 'PRODUCT', ...product });
        },
      },
    },
  ];
}
