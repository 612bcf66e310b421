import type { Outbox } from '@influenceflow/kit';
import {
  EVENT_TYPES,
  OfferData,
  PartnershipEventData,
  PartnershipPartiesData,
  PartnershipTrackingData,
  TOPICS,
} from '@influenceflow/vocabulary';
import { In, type EntityManager } from 'typeorm';
import { PartnershipOffer } from '../negotiation/offer.entity';
import { answerLatestOffer, answerOnMove } from '../negotiation/offers';
import { Partnership } from './partnership.entity';
import {
  assertPartnershipTransition,
  CampaignOutcome,
  campaignEndMove,
  OPEN_PARTNERSHIP,
  partnershipEventType,
  PartnershipStatus,
} from './partnership-status';

export function partnershipSnapshot(p: Partnership, previousStatus: PartnershipStatus | null): PartnershipEventData {
  return {
    partnershipId: p.id,
    campaignId: p.campaignId,
    brandId: p.brandId,
    creatorId: p.creatorId,
    status: p.status,
    previousStatus,
    lengthMonths: p.lengthMonths,
    deliverables: p.deliverableTerms,
    fee: { amountMinor: p.feeMinor, currency: p.currency },
    commissionPercent: p.commissionPercent,
    briefVersion: p.briefVersion,
    reason: p.statusReason,
    tracking: trackingOf(p),
  };
}

/** The partnership's code and link as analytics attributes orders by them (the UTM parameters read off its link target). */
export function trackingOf(p: Partnership): PartnershipTrackingData {
  let utm: URLSearchParams | null = null;
  try {
    utm = p.linkTarget ? new URL(p.linkTarget).searchParams : null;
  } catch {
    utm = null; // a target stored before targets were checked: no UTM to attribute by
  }
  return {
    discountCode: p.discountCode,
    linkSlug: p.linkSlug,
    utmCampaign: utm?.get('utm_campaign') ?? null,
    utmContent: utm?.get('utm_content') ?? null,
  };
}

/** An offer as partnership.countered carries it. */
export function offerData(o: PartnershipOffer): OfferData {
  return {
    offerId: o.id,
    round: o.round,
    proposedBy: o.proposedBy,
    fee: { amountMinor: o.feeMinor, currency: o.currency },
    commissionPercent: o.commissionPercent,
    deliverables: o.deliverableTerms,
    lengthMonths: o.lengthMonths,
    note: o.note,
  };
}

/** The names of the partnership's brand, creator and campaign, and the campaign's dates (null if one is unknown). */
export async function partiesOf(tx: EntityManager, p: Partnership): Promise<PartnershipPartiesData | undefined> {
  const [row] = (await tx.query(
    `SELECT b.name AS brand_name, cr.display_name, cr.handle, c.name AS campaign_name,
            to_char(c.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(c.ends_on, 'YYYY-MM-DD') AS ends_on
       FROM campaigns c JOIN brands b ON b.id = c.brand_id LEFT JOIN creators cr ON cr.id = $2
      WHERE c.id = $1`,
    [p.campaignId, p.creatorId],
  )) as {
    brand_name: string;
    display_name: string | null;
    handle: string | null;
    campaign_name: string;
    starts_on: string;
    ends_on: string;
  }[];
  if (!row) return undefined;
  return {
    brandName: row.brand_name,
    creatorName: row.display_name ?? row.handle ?? 'the creator',
    creatorHandle: row.handle,
    campaignName: row.campaign_name,
    campaignStartsOn: row.starts_on,
    campaignEndsOn: row.ends_on,
  };
}

/** Announces a partnership's move into its current status (from `from`; null: it was just invited), with its parties' names. */
export async function announcePartnership(outbox: Outbox, tx: EntityManager, p: Partnership, from: PartnershipStatus | null) {
  const parties = await partiesOf(tx, p);
  return outbox.enqueue(tx, TOPICS.campaign, {
    type: partnershipEventType(from, p.status),
    subject: p.id,
    brandid: p.brandId,
    data: { ...partnershipSnapshot(p, from), ...(parties ? { parties } : {}) },
  });
}

/** Announces that the brand gave a partnership another discount code (its status unchanged). */
export async function announceCodeChange(outbox: Outbox, tx: EntityManager, p: Partnership) {
  const parties = await partiesOf(tx, p);
  return outbox.enqueue(tx, TOPICS.campaign, {
    type: EVENT_TYPES.partnershipCodeChanged,
    subject: p.id,
    brandid: p.brandId,
    data: { ...partnershipSnapshot(p, p.status), ...(parties ? { parties } : {}) },
  });
}

/**
 * The end of a campaign ends its open partnerships, in the campaign's transaction: each one moves as
 * `campaignEndMove` says (the system's move, with the reason "campaign completed" / "campaign cancelled")
 * and is announced as its own event. Returns the partnerships it moved.
 */
export async function endPartnershipsOfCampaign(
  tx: EntityManager,
  outbox: Outbox,
  campaignId: string,
  outcome: CampaignOutcome,
): Promise<Partnership[]> {
  const repo = tx.getRepository(Partnership);
  const open = await repo.find({
    where: { campaignId, status: In(OPEN_PARTNERSHIP) },
    order: { createdAt: 'ASC', id: 'ASC' },
    lock: { mode: 'pessimistic_write' },
  });
  for (const p of open) {
    const from = p.status;
    const { to, reason } = campaignEndMove(from, outcome);
    assertPartnershipTransition(from, to, 'system');
    p.status = to;
    p.statusReason = reason;
    if (from === PartnershipStatus.INVITED) await answerLatestOffer(tx, p.id, answerOnMove(to));
    await repo.save(p);
    await announcePartnership(outbox, tx, p, from);
  }
  return open;
}

/**
 * The campaign has started (it is live and its first day has come): its contracted partnerships become
 * active, each the system's move announced as partnership.activated, in the caller's transaction.
 * Returns the partnerships it started.
 */
export async function startContractedPartnerships(tx: EntityManager, outbox: Outbox, campaignId: string): Promise<Partnership[]> {
  const repo = tx.getRepository(Partnership);
  const contracted = await repo.find({
    where: { campaignId, status: PartnershipStatus.CONTRACTED },
    order: { createdAt: 'ASC', id: 'ASC' },
    lock: { mode: 'pessimistic_write' },
  });
  for (const p of contracted) {
    assertPartnershipTransition(p.status, PartnershipStatus.ACTIVE, 'system');
    p.status = PartnershipStatus.ACTIVE;
    p.statusReason = null;
    await repo.save(p);
    await announcePartnership(outbox, tx, p, PartnershipStatus.CONTRACTED);
  }
  return contracted;
}
