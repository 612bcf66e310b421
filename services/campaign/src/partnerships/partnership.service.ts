import {
  badInput,
  Connection,
  EventHandlerContext,
  invalidState,
  loadById,
  Money,
  newestFirstPage,
  newestFirstPageBy,
  notFound,
  conflict,
  RequestContext,
  toConnection,
} from '@influenceflow/kit';
import { ContractExecutedData, ContractTerminatedData, EVENT_TYPES, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { canSeeAsParty, sideOf } from '../parties';
import { CampaignBrief } from '../briefs/brief.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignService } from '../campaigns/campaign.service';
import { CampaignStatus } from '../campaigns/campaign-status';
import { hasEnded, hasStarted, todayUtc } from '../campaigns/campaign-calendar';
import { checkCreatorReference, resolveCreator } from '../creators/creator-lookup';
import { DeliverableService } from '../deliverables/deliverable.service';
import { TrackingService } from '../tracking/tracking.service';
import { Partnership } from './partnership.entity';
import { OfferAnswer, PartnershipOffer } from '../negotiation/offer.entity';
import { OfferAssessment, OfferTermsInput } from '../negotiation/offer.types';
import { assessOffer } from '../negotiation/creator-rate';
import { rateCardOf } from '../negotiation/rate-card-copy';
import { assertNegotiating, assertOfferTurn, OfferMove } from '../negotiation/negotiation-rules';
import { answerLatestOffer, answerOnMove, latestOffer, OfferTerms, offersOf, parseOfferTerms, proposeOffer } from '../negotiation/offers';
import { announceCodeChange, announcePartnership, offerData, partnershipSnapshot, startContractedPartnerships } from './partnership-events';
import { assertPartnershipTransition, partnershipMachine, PartnershipStatus, REASON_REQUIRED } from './partnership-status';
import { InviteCreatorInput, PartnershipsArgs } from './partnership.types';

/** Campaigns that still take partnerships. */
const OPEN_CAMPAIGN: ReadonlySet<CampaignStatus> = new Set([CampaignStatus.DRAFT, CampaignStatus.ACTIVE, CampaignStatus.PAUSED]);

/** An invitation's defaults before the brief is read: one campaign, no commission (the brief's deliverables). */
const NO_FALLBACK: Omit<OfferTerms, 'feeMinor' | 'currency'> = { commissionPercent: null, deliverableTerms: [], lengthMonths: null };

/** A creator who declined, or whose invitation ended before it was ever accepted, may be invited again. */
function canInviteAgain(p: Partnership): boolean {
  return p.status === PartnershipStatus.DECLINED || (p.status === PartnershipStatus.TERMINATED && p.briefVersion === null);
}

/** The terms an offer proposes, as the partnership holds them once it is accepted. */
function termsOf(offer: PartnershipOffer): OfferTerms {
  return {
    feeMinor: offer.feeMinor,
    currency: offer.currency,
    commissionPercent: offer.commissionPercent,
    deliverableTerms: offer.deliverableTerms,
    lengthMonths: offer.lengthMonths,
  };
}

function reasonOf(reason: string | undefined | null, to: PartnershipStatus): string | null {
  const text = (reason ?? '').trim();
  if (text.length > 1000) throw badInput('reason', 'must be at most 1,000 characters');
  if (!text && REASON_REQUIRED.has(to)) throw badInput('reason', `say why the partnership is ${to}: the creator reads it`);
  return text || null;
}

/**
 * Partnerships: the brand invites a creator to a campaign with terms, the creator answers, a contract
 * (contracts service) puts it under contract, the brand runs it. Every move is checked against the
 * status machine and who may make it, under a row lock, and announced on campaign.events.
 */
export class PartnershipService {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly deliverables: DeliverableService,
    private readonly tracking: TrackingService,
  ) {}

  /**
   * The brand invites a creator with terms (round 1 of the negotiation). A creator who declined, or whose
   * invitation was withdrawn before it was ever accepted, can be invited again: the same partnership
   * gets a new round. An open (or accepted, or running) partnership is a CONFLICT.
   */
  async invite(ctx: RequestContext, input: InviteCreatorInput): Promise<Partnership> {
    const campaign = await this.campaigns.get(ctx, input.campaignId);
    const identity = ctx.requireBrand(campaign.brandId);
    // The brief's deliverables stand in when none are given; they are checked against it under the lock.
    // Every bad field at once: how the creator is named, and the terms.
    const problems = ctx.inputProblems();
    problems.check(() => checkCreatorReference(input));
    const terms = problems.check(() =>
      parseOfferTerms({ ...input, note: input.message }, campaign, NO_FALLBACK, { prefix: 'input', note: 'message' }),
    )!;
    problems.throwIfAny();

    return ctx.transaction(async (tx) => {
      // Under the campaign's lock, a second invitation of the same creator waits and then sees the first.
      const locked = await tx.getRepository(Campaign).findOne({ where: { id: campaign.id }, lock: { mode: 'pessimistic_write' } });
      if (!OPEN_CAMPAIGN.has(locked!.status)) {
        throw invalidState(`A ${locked!.status} campaign takes no new partnerships`, { status: locked!.status });
      }
      if (hasEnded(locked!.endsOn, todayUtc())) {
        throw invalidState(`The campaign ended on ${locked!.endsOn}: it takes no new partnerships`, {
          status: locked!.status,
          endsOn: locked!.endsOn,
        });
      }
      const brief = await this.latestBrief(tx, campaign.id);
      if (!brief) throw invalidState('Publish a brief before inviting creators: the invitation shows it', { status: locked!.status });
      const creatorId = (await resolveCreator(tx, input)).id;
      const creatorField = input.creatorHandle ? 'input.creatorHandle' : 'input.creatorId';
      const repo = tx.getRepository(Partnership);
      const earlier = await repo.findOne({ where: { campaignId: campaign.id, creatorId } });
      if (earlier && !canInviteAgain(earlier)) {
        throw conflict(`This creator is already invited to this campaign (the partnership is ${earlier.status})`, creatorField);
      }
      const from = earlier?.status ?? null;
      if (from) assertPartnershipTransition(from, PartnershipStatus.INVITED, 'brand');
      const offered = { ...terms, deliverableTerms: input.deliverables ? terms.deliverableTerms : brief.deliverables };
      const partnership = await repo.save(
        repo.merge(earlier ?? repo.create({ campaignId: campaign.id, brandId: campaign.brandId, creatorId }), {
          status: PartnershipStatus.INVITED,
          lengthMonths: offered.lengthMonths,
          deliverableTerms: offered.deliverableTerms,
          feeMinor: offered.feeMinor,
          currency: offered.currency,
          commissionPercent: offered.commissionPercent,
          message: offered.note,
          briefVersion: null,
          statusReason: null,
          invitedBy: identity.sub,
        }),
      );
      await proposeOffer(tx, partnership.id, 'brand', offered);
      await this.announce(ctx, tx, partnership, from);
      return partnership;
    });
  }

  /**
   * The side whose turn it is answers the latest offer: the creator the invitation (or the brand's
   * counter-offer), the brand the creator's counter-offer. Accepting makes that offer's terms the
   * partnership's (the posting schedule is made from them) and records the brief version; declining
   * ends the negotiation.
   */
  async respond(ctx: RequestContext, id: string, accept: boolean, reason?: string | null): Promise<Partnership> {
    const to = accept ? PartnershipStatus.ACCEPTED : PartnershipStatus.DECLINED;
    const move = accept ? 'accept' : 'decline';
    return this.move(ctx, id, to, reason, {
      turn: move,
      beforeSave: async (tx, p) => {
        if (!accept) return;
        const offer = (await latestOffer(tx, p.id))!;
        Object.assign(p, termsOf(offer));
        p.briefVersion = (await this.latestBrief(tx, p.campaignId))?.version ?? null;
        await this.deliverables.schedule(tx, p);
        await this.tracking.assign(tx, p);
      },
    });
  }

  /**
   * The side whose turn it is proposes other terms (FORBIDDEN for the side that made the latest offer,
   * whatever the status; then the terms; then INVALID_STATE unless the invitation is open). The
   * partnership's terms stay those of the invitation until an offer is accepted.
   */
  async counter(ctx: RequestContext, id: string, input: OfferTermsInput): Promise<PartnershipOffer> {
    const visible = await this.get(ctx, id);
    const actor = sideOf(ctx, visible);
    const before = (await latestOffer(ctx.dataSource.manager, id))!;
    assertOfferTurn('counter', actor, before.proposedBy);
    const campaign = (await this.campaigns.load(ctx, visible.campaignId))!;
    const terms = parseOfferTerms(input, campaign, termsOf(before), { prefix: 'terms', note: 'note' });
    return ctx.transaction(async (tx) => {
      const p = (await tx.getRepository(Partnership).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))!;
      const latest = (await latestOffer(tx, id))!;
      assertOfferTurn('counter', actor, latest.proposedBy);
      assertNegotiating(p.status);
      await answerLatestOffer(tx, id, OfferAnswer.COUNTERED);
      const offer = await proposeOffer(tx, id, actor, terms);
      await ctx.runtime.outbox.enqueue(tx, TOPICS.campaign, {
        type: EVENT_TYPES.partnershipCountered,
        subject: p.id,
        brandid: p.brandId,
        data: { ...partnershipSnapshot(p, p.status), offer: offerData(offer) },
      });
      return offer;
    });
  }

  /** The brand runs the partnership: activate, pause, resume, complete or terminate (with a reason). */
  async changeStatus(ctx: RequestContext, id: string, to: PartnershipStatus, reason?: string | null): Promise<Partnership> {
    ctx.requireBrand((await this.get(ctx, id)).brandId);
    // Answers and invitations have their own rules (whose turn it is, the terms): one path for each.
    if (to === PartnershipStatus.ACCEPTED || to === PartnershipStatus.DECLINED)
      return this.respond(ctx, id, to === PartnershipStatus.ACCEPTED, reason);
    if (to === PartnershipStatus.INVITED) throw badInput('status', 'invite the creator again with inviteCreator (new terms)');
    return this.move(ctx, id, to, reason);
  }

  /**
   * contract.executed: the partnership is under contract. Idempotent (a partnership already contracted
   * or further along stays as it is); a contract for an unknown or unaccepted partnership is logged and
   * left alone rather than retried forever.
   */
  async markContracted(tx: EntityManager, data: ContractExecutedData, context: EventHandlerContext): Promise<void> {
    const repo = tx.getRepository(Partnership);
    const p = await repo.findOne({ where: { id: data.partnershipId }, lock: { mode: 'pessimistic_write' } });
    if (!p) {
      context.logger.warn({ partnershipId: data.partnershipId, contractId: data.contractId }, 'contract for an unknown partnership');
      return;
    }
    if (p.status !== PartnershipStatus.ACCEPTED) {
      const level = p.status === PartnershipStatus.INVITED || p.status === PartnershipStatus.DECLINED ? 'warn' : 'debug';
      context.logger[level]({ partnershipId: p.id, status: p.status }, 'contract.executed leaves the partnership as it is');
      return;
    }
    const from = p.status;
    p.status = PartnershipStatus.CONTRACTED;
    p.statusReason = null;
    await repo.save(p);
    await announcePartnership(context.outbox, tx, p, from);
    // A campaign already live and begun puts the partnership to work at once (else its launch, or the
    // lifecycle task on its first day, does).
    const campaign = await tx.getRepository(Campaign).findOne({ where: { id: p.campaignId } });
    if (campaign?.status === CampaignStatus.ACTIVE && hasStarted(campaign, todayUtc()) && !hasEnded(campaign.endsOn, todayUtc())) {
      await startContractedPartnerships(tx, context.outbox, campaign.id);
    }
  }

  /**
   * contract.terminated: a contract in force (or the first one, before it was executed) ended, so the
   * partnership ends too: the system terminates it with the contract's reason. Idempotent: a partnership
   * already ended stays as it is; a discarded amendment (`endsPartnership` false) changes nothing.
   */
  async endByContract(tx: EntityManager, data: ContractTerminatedData, context: EventHandlerContext): Promise<void> {
    if (!data.endsPartnership) return;
    const repo = tx.getRepository(Partnership);
    const p = await repo.findOne({ where: { id: data.partnershipId }, lock: { mode: 'pessimistic_write' } });
    if (!p) {
      context.logger.warn(
        { partnershipId: data.partnershipId, contractId: data.contractId },
        'contract.terminated for an unknown partnership',
      );
      return;
    }
    if (!partnershipMachine.actorsOf(p.status, PartnershipStatus.TERMINATED).includes('system')) {
      context.logger.debug({ partnershipId: p.id, status: p.status }, 'contract.terminated leaves the partnership as it is');
      return;
    }
    const from = p.status;
    p.status = PartnershipStatus.TERMINATED;
    p.statusReason = `contract terminated by the ${data.terminatedBy === 'system' ? 'platform' : data.terminatedBy}: ${data.reason}`.slice(
      0,
      1000,
    );
    if (from === PartnershipStatus.INVITED) await answerLatestOffer(tx, p.id, answerOnMove(PartnershipStatus.TERMINATED));
    await repo.save(p);
    await announcePartnership(context.outbox, tx, p, from);
  }

  /** The brand replaces a partnership's discount code (CONFLICT if the brand already uses it). */
  async setDiscountCode(ctx: RequestContext, id: string, code: string): Promise<Partnership> {
    const p = await this.get(ctx, id);
    ctx.requireBrand(p.brandId);
    if (!p.discountCode) throw invalidState('A partnership gets its code when the creator accepts', { status: p.status });
    return ctx.transaction(async (tx) => {
      p.discountCode = await this.tracking.setDiscountCode(tx, p, code);
      // analytics attributes orders by the code: it hears of the new one with the change, from the outbox
      await announceCodeChange(ctx.runtime.outbox, tx, p);
      return p;
    });
  }

  /** The rounds of a partnership the caller already sees. */
  offers(ctx: RequestContext, p: Partnership): Promise<PartnershipOffer[]> {
    return offersOf(ctx, p.id);
  }

  /**
   * Terms beside the creator's rate card: an offer's beside the prices valid the day it was made (`madeAt`,
   * UTC), the partnership's standing terms beside today's.
   */
  async assess(ctx: RequestContext, creatorId: string, terms: OfferTerms, madeAt?: Date): Promise<OfferAssessment> {
    const a = assessOffer(
      { fee: { amountMinor: terms.feeMinor, currency: terms.currency }, deliverables: terms.deliverableTerms },
      await rateCardOf(ctx, creatorId, todayUtc(madeAt)),
    );
    return { ...a, creatorRate: a.creatorRate && Money.of(a.creatorRate.amountMinor, a.creatorRate.currency) };
  }

  /** A partnership its brand's members and analysts, its creator, and admins may see; NOT_FOUND for others. */
  async get(ctx: RequestContext, id: string): Promise<Partnership> {
    ctx.requireIdentity();
    const p = await this.visibleReference(ctx, id);
    if (!p) throw notFound('Partnership', id);
    return p;
  }

  /**
   * A partnership its brand's members and analysts, its creator and admins may see, else null: what
   * another subgraph gets when it references the partnership (federation), and what `get` checks.
   */
  async visibleReference(ctx: RequestContext, id: string): Promise<Partnership | null> {
    const p = await this.load(ctx, id);
    return p && canSeeAsParty(ctx, p) ? p : null;
  }

  load(ctx: RequestContext, id: string): Promise<Partnership | null> {
    return loadById(ctx, Partnership, id);
  }

  async forCampaign(ctx: RequestContext, campaign: Campaign, args: PartnershipsArgs): Promise<Connection<Partnership>> {
    ctx.requireBrand(campaign.brandId, ['brand_member', 'analyst']);
    // A list under a list (every campaign of a page): one query for all of them.
    return newestFirstPageBy(ctx, {
      entity: Partnership,
      keyColumn: 'campaign_id',
      key: campaign.id,
      args,
      filter: args.statuses?.length ? { sql: 't.status = ANY($1)', params: [[...new Set(args.statuses)].sort()] } : undefined,
    });
  }

  /**
   * A creator's partnerships: all of them for the creator, those of the caller's brands for brand members
   * and analysts, everything for admins, nothing for anyone else.
   */
  async forCreator(ctx: RequestContext, creatorId: string, args: PartnershipsArgs): Promise<Connection<Partnership>> {
    const identity = ctx.identity;
    const qb = ctx.dataSource.getRepository(Partnership).createQueryBuilder('p').where('p.creator_id = :creatorId', { creatorId });
    if (!ctx.isAdmin && identity?.creatorId !== creatorId) {
      const brands = identity && (identity.roles.includes('brand_member') || identity.roles.includes('analyst')) ? identity.brandIds : [];
      if (brands.length === 0) return toConnection<Partnership>([], 1, () => [], false);
      qb.andWhere('p.brand_id IN (:...brands)', { brands });
    }
    if (args.statuses?.length) qb.andWhere('p.status IN (:...statuses)', { statuses: args.statuses });
    return newestFirstPage(qb, args);
  }

  /** The creator's own partnerships (their invitations among them). */
  mine(ctx: RequestContext, args: PartnershipsArgs): Promise<Connection<Partnership>> {
    const identity = ctx.requireRole('creator');
    if (!identity.creatorId) throw badInput('creatorId', 'your token names no creator profile');
    return this.forCreator(ctx, identity.creatorId, args);
  }

  /** Creators who completed a partnership with the brand, most recent first: candidates for repeat work. */
  async pastPartners(ctx: RequestContext, brandId: string): Promise<string[]> {
    ctx.requireBrand(brandId, ['brand_member', 'analyst']);
    const rows: { creator_id: string }[] = await ctx.dataSource.query(
      `SELECT creator_id FROM partnerships WHERE brand_id = $1 AND status = 'completed'
        GROUP BY creator_id ORDER BY max(updated_at) DESC LIMIT 100`,
      [brandId],
    );
    return rows.map((r) => r.creator_id);
  }

  private async move(
    ctx: RequestContext,
    id: string,
    to: PartnershipStatus,
    reason: string | null | undefined,
    options: { turn?: OfferMove; beforeSave?: (tx: EntityManager, p: Partnership) => Promise<void> } = {},
  ): Promise<Partnership> {
    // Who may, before what: NOT_FOUND for a partnership the caller cannot see, FORBIDDEN for the wrong
    // side (whatever the status is now), then the reason, then the state under the row's lock.
    const visible = await this.get(ctx, id);
    const actor = sideOf(ctx, visible);
    partnershipMachine.assertActor(to, actor);
    const turn = options.turn;
    if (turn) assertOfferTurn(turn, actor, (await latestOffer(ctx.dataSource.manager, id))!.proposedBy);
    const statusReason = reasonOf(reason, to);
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Partnership);
      // Lock the row: two concurrent moves must not both pass the check.
      const p = (await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))!;
      const from = p.status;
      if (turn) assertOfferTurn(turn, actor, (await latestOffer(tx, id))!.proposedBy);
      assertPartnershipTransition(from, to, actor);
      p.status = to;
      p.statusReason = statusReason;
      await options.beforeSave?.(tx, p);
      if (from === PartnershipStatus.INVITED) await answerLatestOffer(tx, id, answerOnMove(to));
      await repo.save(p);
      await this.announce(ctx, tx, p, from);
      return p;
    });
  }

  private latestBrief(tx: EntityManager, campaignId: string): Promise<CampaignBrief | null> {
    return tx.getRepository(CampaignBrief).findOne({ where: { campaignId }, order: { version: 'DESC' } });
  }

  private announce(ctx: RequestContext, tx: EntityManager, p: Partnership, from: PartnershipStatus | null) {
    return announcePartnership(ctx.runtime.outbox, tx, p, from);
  }
}
