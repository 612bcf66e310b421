import type { EntityManager } from 'typeorm';
import type { CloudEvent } from '@influenceflow/kit';
import type {
  ContractExecutedData,
  CreatorProfileData,
  CreatorStatsUpdatedData,
  DeliverableEventData,
  PartnershipEventData,
} from '@influenceflow/vocabulary';
import { normalisePostUrl } from '../posts/post-url';

/** Deliverables whose draft the brand approved (what a `content` goal counts). */
export const APPROVED_DELIVERABLE = ['approved', 'posted', 'verified'] as const;

/**
 * Analytics' copies of other services' entities, kept from their events: what attribution matches orders
 * against (a partnership's code, link and UTM parameters), and what reports group by (creator, platform,
 * tier). Each copy keeps the newest event's state: an older event arriving late changes nothing.
 */
export class CopiesService {
  /** partnership.*: the partnership, its parties' names and its tracking (kept when an older producer leaves it out). */
  async applyPartnership(tx: EntityManager, event: CloudEvent<PartnershipEventData>): Promise<void> {
    const d = event.data;
    const t = d.tracking;
    await tx.query(
      `INSERT INTO partnership_facts (partnership_id, campaign_id, brand_id, creator_id, status, platform, brand_name, creator_name,
                                      creator_handle, discount_code, link_slug, utm_campaign, utm_content, last_event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (partnership_id) DO UPDATE SET
         status = EXCLUDED.status, platform = COALESCE(EXCLUDED.platform, partnership_facts.platform),
         brand_name = COALESCE(EXCLUDED.brand_name, partnership_facts.brand_name),
         creator_name = COALESCE(EXCLUDED.creator_name, partnership_facts.creator_name),
         creator_handle = COALESCE(EXCLUDED.creator_handle, partnership_facts.creator_handle),
         discount_code = CASE WHEN $15 THEN EXCLUDED.discount_code ELSE partnership_facts.discount_code END,
         link_slug = CASE WHEN $15 THEN EXCLUDED.link_slug ELSE partnership_facts.link_slug END,
         utm_campaign = CASE WHEN $15 THEN EXCLUDED.utm_campaign ELSE partnership_facts.utm_campaign END,
         utm_content = CASE WHEN $15 THEN EXCLUDED.utm_content ELSE partnership_facts.utm_content END,
         last_event_at = EXCLUDED.last_event_at
       WHERE partnership_facts.last_event_at <= EXCLUDED.last_event_at`,
      [
        d.partnershipId,
        d.campaignId,
        d.brandId,
        d.creatorId,
        d.status,
        d.deliverables[0]?.platform ?? null,
        d.parties?.brandName ?? null,
        d.parties?.creatorName ?? null,
        d.parties?.creatorHandle ?? null,
        t?.discountCode?.toUpperCase() ?? null,
        t?.linkSlug ?? null,
        t?.utmCampaign ?? null,
        t?.utmContent?.toLowerCase() ?? null,
        event.time,
        t !== undefined,
      ],
    );
  }

  /** creator.created / creator.profile-updated: the handle and name reports show. */
  async applyCreatorProfile(tx: EntityManager, event: CloudEvent<CreatorProfileData>): Promise<void> {
    await tx.query(
      `INSERT INTO creator_facts (creator_id, handle, display_name, profile_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (creator_id) DO UPDATE SET handle = EXCLUDED.handle, display_name = EXCLUDED.display_name, profile_at = EXCLUDED.profile_at
       WHERE creator_facts.profile_at IS NULL OR creator_facts.profile_at <= EXCLUDED.profile_at`,
      [event.data.creatorId, event.data.handle, event.data.displayName, event.time],
    );
  }

  /** creator.stats-updated: followers and tier (the tier comparison groups creators by their tier now). */
  async applyCreatorStats(tx: EntityManager, event: CloudEvent<CreatorStatsUpdatedData>): Promise<void> {
    await tx.query(
      `INSERT INTO creator_facts (creator_id, followers, tier, stats_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (creator_id) DO UPDATE SET followers = EXCLUDED.followers, tier = EXCLUDED.tier, stats_at = EXCLUDED.stats_at
       WHERE creator_facts.stats_at IS NULL OR creator_facts.stats_at <= EXCLUDED.stats_at`,
      [event.data.creatorId, event.data.followers, event.data.tier, event.time],
    );
  }

  /** deliverable.*: which partnership a post belongs to, its platform and whether its draft was approved. */
  async applyDeliverable(tx: EntityManager, event: CloudEvent<DeliverableEventData>): Promise<void> {
    const d = event.data;
    await tx.query(
      `INSERT INTO deliverable_facts (deliverable_id, partnership_id, campaign_id, brand_id, creator_id, platform, format, status, post_url, post_url_key, last_event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (deliverable_id) DO UPDATE SET status = EXCLUDED.status, post_url = COALESCE(EXCLUDED.post_url, deliverable_facts.post_url),
         post_url_key = CASE WHEN EXCLUDED.post_url IS NULL THEN deliverable_facts.post_url_key ELSE EXCLUDED.post_url_key END,
         last_event_at = EXCLUDED.last_event_at
       WHERE deliverable_facts.last_event_at <= EXCLUDED.last_event_at`,
      [
        d.deliverableId,
        d.partnershipId,
        d.campaignId,
        d.brandId,
        d.creatorId,
        d.platform,
        d.format,
        d.status,
        d.postUrl,
        // The form a connector's post.measured is matched by (posts/post-url.ts).
        d.postUrl ? normalisePostUrl(d.postUrl) : null,
        event.time,
      ],
    );
  }

  /**
   * contract.executed: the declared value of a product given is spend from the execution on; an amendment's
   * value replaces the version it amends (the higher version wins, whatever order they arrive in).
   */
  productValue(
    event: CloudEvent<ContractExecutedData>,
  ): { partnershipId: string; campaignId: string; amountMinor: number; currency: string; at: Date; version: number } | null {
    const d = event.data;
    if (!d.campaignId || !d.compensation) return null;
    return {
      partnershipId: d.partnershipId,
      campaignId: d.campaignId,
      amountMinor: d.compensation.product?.declaredValueMinor ?? 0,
      currency: d.compensation.currency,
      at: new Date(d.executedAt),
      version: d.version ?? 1,
    };
  }
}
