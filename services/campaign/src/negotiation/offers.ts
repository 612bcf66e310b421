import { InputProblems, loadManyBy, MoneyInput, parseMoneyInput, RequestContext } from '@influenceflow/kit';
import type { EntityManager } from 'typeorm';
import { DeliverableSpec, DeliverableSpecInput, deliverableSpecs } from '../briefs/deliverable-spec';
import { LENGTH_MONTHS, PartnershipLength } from '../partnerships/partnership.types';
import { OfferAnswer, PartnershipOffer } from './offer.entity';
import type { Side } from './negotiation-rules';

/** The terms one side proposes: what a partnership holds once an offer is accepted. */
export interface OfferTerms {
  feeMinor: number;
  currency: string;
  commissionPercent: number | null;
  deliverableTerms: DeliverableSpec[];
  lengthMonths: number | null;
}

export interface OfferTermsFields {
  fee: MoneyInput;
  commissionPercent?: number | null;
  deliverables?: DeliverableSpecInput[] | null;
  length?: PartnershipLength | null;
}

/**
 * Checks proposed terms (an invitation's or a counter-offer's), every bad field at once: the fee,
 * the commission (0–100], the deliverables within the campaign, and the note. What is left out comes
 * from `fallback` (the latest offer, or for an invitation the brief).
 */
export function parseOfferTerms(
  input: OfferTermsFields & { note?: string | null },
  campaign: { startsOn: string; endsOn: string },
  fallback: Omit<OfferTerms, 'feeMinor' | 'currency'>,
  fields: { prefix: string; note: string },
): OfferTerms & { note: string } {
  const problems = new InputProblems();
  const fee = problems.check(() => parseMoneyInput(input.fee, `${fields.prefix}.fee`));
  if (input.commissionPercent != null && !(input.commissionPercent > 0 && input.commissionPercent <= 100)) {
    problems.add(`${fields.prefix}.commissionPercent`, 'must be above 0 and at most 100');
  }
  const note = (input.note ?? '').trim();
  if (note.length > 2000) problems.add(`${fields.prefix}.${fields.note}`, 'must be at most 2,000 characters');
  const deliverables = input.deliverables
    ? problems.check(() => deliverableSpecs(input.deliverables!, campaign, `${fields.prefix}.deliverables`))
    : fallback.deliverableTerms;
  problems.throwIfAny();
  return {
    feeMinor: fee!.amountMinor,
    currency: fee!.currency,
    commissionPercent: input.commissionPercent !== undefined ? (input.commissionPercent ?? null) : fallback.commissionPercent,
    deliverableTerms: deliverables!,
    lengthMonths: input.length != null ? LENGTH_MONTHS[input.length] : fallback.lengthMonths,
    note,
  };
}

/** A partnership's rounds, first to latest (one query for every partnership of a request). */
export function offersOf(ctx: RequestContext, partnershipId: string): Promise<PartnershipOffer[]> {
  return loadManyBy(ctx, PartnershipOffer, 'partnershipId', partnershipId, { round: 'ASC' });
}

/** The latest round, in a transaction (under the partnership's lock when it is about to move). */
export function latestOffer(tx: EntityManager, partnershipId: string): Promise<PartnershipOffer | null> {
  return tx.getRepository(PartnershipOffer).findOne({ where: { partnershipId }, order: { round: 'DESC' } });
}

/** Records the next round of terms (round 1 for a first invitation). */
export async function proposeOffer(
  tx: EntityManager,
  partnershipId: string,
  proposedBy: Side,
  terms: OfferTerms & { note: string },
): Promise<PartnershipOffer> {
  const latest = await latestOffer(tx, partnershipId);
  const repo = tx.getRepository(PartnershipOffer);
  return repo.save(
    repo.create({
      partnershipId,
      round: (latest?.round ?? 0) + 1,
      proposedBy,
      feeMinor: terms.feeMinor,
      currency: terms.currency,
      commissionPercent: terms.commissionPercent,
      deliverableTerms: terms.deliverableTerms,
      lengthMonths: terms.lengthMonths,
      note: terms.note,
      answer: null,
      answeredAt: null,
    }),
  );
}

/** Answers the latest round if it still awaits an answer; returns it. */
export async function answerLatestOffer(tx: EntityManager, partnershipId: string, answer: OfferAnswer): Promise<PartnershipOffer | null> {
  const latest = await latestOffer(tx, partnershipId);
  if (!latest || latest.answer) return latest;
  latest.answer = answer;
  latest.answeredAt = new Date();
  return tx.getRepository(PartnershipOffer).save(latest);
}

/** How the open offer ends when an invited partnership moves into `to`. */
export function answerOnMove(to: string): OfferAnswer {
  if (to === 'accepted') return OfferAnswer.ACCEPTED;
  if (to === 'declined') return OfferAnswer.DECLINED;
  return OfferAnswer.WITHDRAWN;
}
