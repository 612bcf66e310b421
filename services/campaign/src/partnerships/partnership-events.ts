import type { Outbox } from '@influenceflow/kit';
import { OfferData, PartnershipEventData, TOPICS } from '@influenceflow/vocabulary';
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

/** Announces a partnership's move into its current status (from `from`; null: it was just invited). */
export function announcePartnership(outbox: Outbox, tx: EntityManager, p: Partnership, from: PartnershipStatus | null) {
  return outbox.enqueue(tx, TOPICS.campaign, {
    type: partnershipEventType(from, p.status),
    subject: p.id,
    brandid: p.brandId,
    data: partnershipSnapshot(p, from),
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
