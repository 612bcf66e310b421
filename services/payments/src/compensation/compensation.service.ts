import { AppError, ErrorCode, isUuid, Logger, minorDigits, Money, Outbox, RequestContext } from '@influenceflow/kit';
import type { CloudEvent } from '@influenceflow/kit';
import {
  ContractExecutedData,
  ContractTerminatedData,
  DeliverableEventData,
  FundingRequestedData,
  MilestoneDueData,
  OrderAttributedData,
  OrderRefundedData,
  PartnershipEventData,
  TOPICS,
} from '@influenceflow/vocabulary';
import { In } from 'typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { LedgerPostings, PartnershipParties } from '../ledger/postings';
import { CLOSED_CAMPAIGN_STATUSES } from '../ledger/funding.service';
import type { PayoutRequests } from '../payouts/payout-requests';
import { CompMilestone, CompPartnership, CompPlan } from './compensation.entity';
import {
  checkContractExecuted,
  checkDeliverablePosted,
  checkedDeliverables,
  checkOrderAttributed,
  checkOrderRefunded,
  checkPartnershipEvent,
  checkedParties,
  RejectedEvent,
} from './event-checks';
import {
  allocateCredits,
  applyRefund,
  bonusMetricOf,
  bonusReached,
  commissionOn,
  commissionSync,
  COMMISSION_TO_ACCRUE_SQL,
  contractIndexOf,
  creditsOf,
  DeliverableTerm,
  requiredPosts,
  triggerSatisfied,
} from './plan-rules';

export interface CompensationDeps {
  ledger: LedgerPostings;
  payouts: PayoutRequests;
  /** The service's outbox (milestone.due, funding.requested). */
  outbox: Outbox;
  logger: Logger;
}

/** A posting or payout the escrow cannot cover yet: it waits for funding (retryAwaiting). */
export function isInsufficientFunds(err: unknown): boolean {
  return err instanceof AppError && err.code === ErrorCode.INVALID_STATE && err.details?.reason === 'INSUFFICIENT_FUNDS';
}

let savepoints = 0;

/**
 * Runs `work` under a savepoint of `tx`: if it throws, what it wrote is rolled back and the transaction
 * goes on (PostgreSQL aborts a whole transaction on a failed statement otherwise).
 */
async function underSavepoint<T>(tx: EntityManager, work: () => Promise<T>): Promise<T> {
  const name = `comp_${++savepoints}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}

/** A partnership's commission counters, as plan-rules' commissionSync reads them. */
const commissionPosition = (p: CompPartnership) => ({
  earnedMinor: p.commissionEarnedMinor,
  accruedMinor: p.commissionAccruedMinor,
  paidOutMinor: p.commissionPaidOutMinor,
});

/** The commission earned and not accrued yet (commissionSync's delta when it accrues; 0 when it reverses or is even). */
const commissionToAccrue = (p: CompPartnership) => Math.max(0, commissionSync(commissionPosition(p)).delta);

const partiesOf = (p: CompPartnership): PartnershipParties => ({
  partnershipId: p.id,
  campaignId: p.campaignId,
  brandId: p.brandId,
  creatorId: p.creatorId,
});

/**
 * Compensation plans (docs/payments.md, "Compensation plans and milestones"): made from contract.executed, replaced by an executed
 * amendment, ended by contract.terminated; their milestones fall due when their trigger's event arrives and
 * are paid at once through PayoutRequests; commission accrues from order.attributed and is reversed by
 * order.refunded. Every handler runs in the inbox's transaction and is idempotent on its own too.
 */
export class CompensationService {
  constructor(private readonly deps: CompensationDeps) {}

  // ---- the events ------------------------------------------------------------------------------

  /**
   * Applies one event: a RejectedEvent (data payments can never apply) rolls back what the handler wrote and
   * is recorded with its reason instead, so the stream goes on and nothing is half-written.
   */
  async apply(tx: EntityManager, event: CloudEvent, work: () => Promise<void>): Promise<void> {
    try {
      await underSavepoint(tx, work);
    } catch (err) {
      if (!(err instanceof RejectedEvent)) throw err;
      this.deps.logger.warn({ eventId: event.id, type: event.type, reason: err.message }, 'event rejected');
      await tx.query(
        `INSERT INTO comp_rejected_events (event_id, type, subject, reason) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING`,
        [event.id, event.type.slice(0, 100), event.subject.slice(0, 200), err.message],
      );
    }
  }

  /**
   * partnership.*: the copy's status, terms and term (what campaign numbers its deliverables from), and the
   * parties' names when the event carries them (an older producer's event keeps the names already known),
   * with when they were set (`names_at`, the event's time): names from an event older than the ones held
   * are not taken (events of a partnership come in order; several partnerships' do not).
   */
  async onPartnership(tx: EntityManager, d: PartnershipEventData, time?: string): Promise<void> {
    checkPartnershipEvent(d);
    const names = checkedParties(d.parties);
    const at = time !== undefined && Number.isFinite(Date.parse(time)) ? new Date(time) : new Date();
    const newer = `(EXCLUDED.names_at IS NOT NULL AND (comp_partnerships.names_at IS NULL OR EXCLUDED.names_at >= comp_partnerships.names_at))`;
    const named = (column: string) =>
      `${column} = CASE WHEN ${newer} THEN COALESCE(EXCLUDED.${column}, comp_partnerships.${column}) ELSE comp_partnerships.${column} END`;
    await tx.query(
      `INSERT INTO comp_partnerships (id, campaign_id, brand_id, creator_id, status, currency, length_months, schedule_terms,
         brand_name, creator_name, creator_handle, campaign_name, campaign_starts_on, campaign_ends_on, names_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, length_months = EXCLUDED.length_months,
         schedule_terms = EXCLUDED.schedule_terms, currency = COALESCE(comp_partnerships.currency, EXCLUDED.currency),
         ${named('brand_name')}, ${named('creator_name')},
         creator_handle = CASE WHEN ${newer} AND EXCLUDED.creator_name IS NOT NULL THEN EXCLUDED.creator_handle
                               ELSE comp_partnerships.creator_handle END,
         ${named('campaign_name')}, ${named('campaign_starts_on')}, ${named('campaign_ends_on')},
         names_at = CASE WHEN ${newer} THEN EXCLUDED.names_at ELSE comp_partnerships.names_at END,
         updated_at = now()`,
      [
        d.partnershipId,
        d.campaignId,
        d.brandId,
        d.creatorId,
        String(d.status).slice(0, 50),
        d.fee?.currency ?? null,
        d.lengthMonths ?? null,
        JSON.stringify(checkedDeliverables(d.deliverables ?? [], 'deliverables')),
        names?.brandName ?? null,
        names?.creatorName ?? null,
        names?.creatorHandle ?? null,
        names?.campaignName ?? null,
        names?.campaignStartsOn ?? null,
        names?.campaignEndsOn ?? null,
        names ? at : null,
      ],
    );
  }

  /** contract.executed: the plan of this version (replacing the one it amends); ON_EXECUTION milestones fall due at once. */
  async onContractExecuted(tx: EntityManager, d: ContractExecutedData): Promise<void> {
    const x = checkContractExecuted(d);
    const p = await this.lockPartnership(tx, { ...d, campaignId: d.campaignId! });
    if (await tx.getRepository(CompPlan).existsBy({ contractId: d.contractId })) return;
    const active = await this.activePlan(tx, p.id);
    const deliverables = x.deliverables ?? p.scheduleTerms ?? [];
    const lengthMonths = x.deliverables ? x.lengthMonths : p.lengthMonths;
    // A later version already in force (its event came first): this one is recorded as superseded, and pays nothing.
    const stale = active !== null && active.version >= x.version;
    let credits: Record<string, number> = {};
    if (active && !stale) {
      await tx.query(`UPDATE comp_plans SET status = 'SUPERSEDED', ended_at = $2 WHERE id = $1`, [active.id, x.executedAt]);
      const old = await tx.getRepository(CompMilestone).findBy({ planId: active.id });
      credits = creditsOf(
        old.map((m) => ({ ...m, settledMinor: m.status === 'PAID' || m.status === 'DUE' ? m.amountMinor : m.creditMinor })),
        active.carriedCredits,
      );
      await tx.query(`UPDATE comp_milestones SET status = 'REPLACED', ended_at = now() WHERE plan_id = $1 AND status = 'PENDING'`, [
        active.id,
      ]);
    }
    const bonusMeasuredAs = x.bonus ? bonusMetricOf(x.bonus.metric) : null;
    const [plan] = (await tx.query(
      `INSERT INTO comp_plans (contract_id, partnership_id, campaign_id, brand_id, creator_id, version, amends_contract_id, currency,
         flat_fee_minor, commission_ppm, bonus_metric, bonus_measured_as, bonus_threshold, bonus_amount_minor, product_description,
         product_value_minor, deliverables, length_months, status, executed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
      [
        d.contractId,
        p.id,
        p.campaignId,
        p.brandId,
        p.creatorId,
        x.version,
        d.amends ?? null,
        x.currency,
        x.flatFeeMinor,
        x.commissionPpm,
        x.bonus?.metric ?? null,
        bonusMeasuredAs,
        x.bonus?.threshold ?? null,
        x.bonus?.amountMinor ?? null,
        x.product?.description ?? null,
        x.product?.declaredValueMinor ?? null,
        JSON.stringify(deliverables),
        lengthMonths,
        stale ? 'SUPERSEDED' : 'ACTIVE',
        x.executedAt,
      ],
    )) as { id: string }[];
    const allocated = allocateCredits(
      x.milestones.map((m) => ({ ...m, amountMinor: m.amountMinor })),
      credits,
    );
    for (const m of allocated.milestones) {
      // Nothing left to pay (an amended version paid it all): settled at once, with no payout.
      const settled = !stale && m.payableMinor === 0;
      await tx.query(
        `INSERT INTO comp_milestones (plan_id, contract_id, partnership_id, idx, label, trigger, deliverable_index, amount_minor, credit_minor,
           currency, status, due_at, paid_at, ended_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)`,
        [
          plan.id,
          d.contractId,
          p.id,
          m.index,
          m.label.trim().slice(0, 200),
          m.trigger,
          m.deliverableIndex,
          m.amountMinor,
          m.creditMinor,
          x.currency,
          stale ? 'REPLACED' : settled ? 'PAID' : 'PENDING',
          settled ? x.executedAt : null,
          stale ? new Date() : null,
        ],
      );
    }
    if (stale) return;
    await tx.query(`UPDATE comp_plans SET carried_credits = $2 WHERE id = $1`, [plan.id, JSON.stringify(allocated.carried)]);
    await tx.query(`UPDATE comp_partnerships SET currency = $2, updated_at = now() WHERE id = $1`, [p.id, x.currency]);
    p.currency = x.currency;
    if (x.product) await this.recordProductValue(tx, p, d.contractId, x.product, x.currency);
    const created = await tx.getRepository(CompPlan).findOneByOrFail({ id: plan.id });
    await this.fireSatisfied(tx, p, created, null);
  }

  /** contract.terminated: the plan ends; its milestones still waiting for their trigger are cancelled (those already due stay). */
  async onContractTerminated(tx: EntityManager, d: ContractTerminatedData): Promise<void> {
    if (!isUuid(d.contractId) || !isUuid(d.partnershipId)) throw new RejectedEvent('contractId and partnershipId must be UUIDs');
    const p = await tx.getRepository(CompPartnership).findOne({ where: { id: d.partnershipId }, lock: { mode: 'pessimistic_write' } });
    if (!p) return; // never executed here: nothing to end
    const plan = await tx.getRepository(CompPlan).findOneBy({ contractId: d.contractId });
    // A discarded amendment has no plan; a superseded version has nothing left to cancel.
    if (!plan || plan.status !== 'ACTIVE') return;
    const at = Number.isFinite(Date.parse(d.terminatedAt)) ? new Date(d.terminatedAt) : new Date();
    await tx.query(`UPDATE comp_plans SET status = 'TERMINATED', ended_at = $2 WHERE id = $1`, [plan.id, at]);
    await tx.query(`UPDATE comp_milestones SET status = 'CANCELLED', ended_at = $2 WHERE plan_id = $1 AND status = 'PENDING'`, [
      plan.id,
      at,
    ]);
    await this.payOutCommission(tx, p);
  }

  /** deliverable.posted: a contract deliverable whose posts are all in makes its milestones due. */
  async onDeliverablePosted(tx: EntityManager, d: DeliverableEventData): Promise<void> {
    checkDeliverablePosted(d);
    const p = await this.lockPartnership(tx, d);
    const inserted = (await tx.query(
      `INSERT INTO comp_posted_deliverables (deliverable_id, partnership_id, sequence, platform, format)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (deliverable_id) DO NOTHING RETURNING deliverable_id`,
      [d.deliverableId, p.id, d.sequence, d.platform.toLowerCase(), d.format.toLowerCase()],
    )) as unknown[];
    if (inserted.length === 0) return; // posted before (a repost after a flag changes nothing)
    const plan = await this.activePlan(tx, p.id);
    if (plan) await this.fireSatisfied(tx, p, plan, 'ON_DELIVERABLE_POSTED');
  }

  /**
   * A campaign's end, before what is left in its escrow returns to the brand (the ledger's funding runs this
   * first, in its transaction): completed, its ON_CAMPAIGN_END milestones fall due; completed or cancelled,
   * what is due (milestones waiting for funds, commission earned) is paid while the escrow still holds it.
   */
  async beforeEscrowReturn(tx: EntityManager, campaignId: string, completed: boolean): Promise<void> {
    const partnerships = await tx.getRepository(CompPartnership).find({
      where: { campaignId },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const p of partnerships) {
      if (completed && !p.campaignEndedAt) {
        p.campaignEndedAt = new Date();
        await tx.query(`UPDATE comp_partnerships SET campaign_ended_at = $2, updated_at = now() WHERE id = $1`, [p.id, p.campaignEndedAt]);
        const plan = await this.activePlan(tx, p.id);
        if (plan) await this.fireSatisfied(tx, p, plan, 'ON_CAMPAIGN_END');
      }
      const due = await tx.getRepository(CompMilestone).find({ where: { partnershipId: p.id, status: 'DUE' }, order: { index: 'ASC' } });
      for (const m of due) await this.pay(tx, p, m);
      await this.syncCommission(tx, p, `commission:${p.id}:catch-up:${p.commissionPostings + 1}`);
      await this.payOutCommission(tx, p);
    }
  }

  /** order.attributed: the order's commission accrues into the creator's payable; bonus metrics move. */
  async onOrderAttributed(tx: EntityManager, d: OrderAttributedData): Promise<void> {
    const o = checkOrderAttributed(d);
    const p = await this.lockKnownPartnership(tx, d);
    const existing = (await tx.query(`SELECT amount_minor::text AS amount, currency FROM comp_orders WHERE order_id = $1`, [
      d.orderId,
    ])) as {
      amount: string;
      currency: string;
    }[];
    if (existing.length > 0) {
      if (Number(existing[0].amount) === o.amountMinor && existing[0].currency === o.currency) return;
      throw new RejectedEvent('the order was attributed before with another amount or currency');
    }
    const plan = await this.activePlan(tx, p.id);
    if (plan && plan.currency !== o.currency)
      throw new RejectedEvent(`the order is in ${o.currency} but the contract pays in ${plan.currency}: payments converts no currency`);
    const ppm = plan?.commissionPpm ?? 0;
    await tx.query(
      `INSERT INTO comp_orders (order_id, partnership_id, plan_id, currency, amount_minor, commission_ppm, via, discount_code, link, ordered_at, attributed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [d.orderId, p.id, plan?.id ?? null, o.currency, o.amountMinor, ppm, d.via, d.discountCode, d.link, o.orderedAt, o.attributedAt],
    );
    p.ordersCount += 1;
    p.salesMinor += o.amountMinor;
    p.commissionEarnedMinor += commissionOn(o.amountMinor, ppm);
    if (!p.currency) p.currency = o.currency;
    await this.saveCounters(tx, p);
    await this.syncCommission(tx, p, `order:${d.orderId}:commission`);
    if (plan) await this.fireSatisfied(tx, p, plan, 'ON_BONUS_THRESHOLD');
    if (p.campaignEndedAt || !plan) await this.payOutCommission(tx, p);
    if (commissionToAccrue(p) > 0) await this.requestFunding(tx, p);
  }

  /**
   * Commission that waits on a closed campaign's escrow (returned to the brand): the brand is asked to fund
   * what the campaign now owes (funding.requested), which fundCampaign takes on a closed campaign. An open
   * campaign's brand sees the shortfall as before (commission.awaitingFunds) and funds as it would anyway.
   */
  private async requestFunding(tx: EntityManager, p: CompPartnership): Promise<void> {
    const [campaign] = (await tx.query(`SELECT brand_id, status FROM payment_campaigns WHERE id = $1`, [p.campaignId])) as {
      brand_id: string;
      status: string;
    }[];
    if (!campaign || !CLOSED_CAMPAIGN_STATUSES.has(campaign.status)) return;
    // Under the escrow's ledger locks, as fundCampaign reads it: an accrual of another partnership in flight
    // is seen whole or not at all, so the amount asked for is the one the top-up will take.
    await this.deps.ledger.lockCampaignFunding(tx, { brandId: campaign.brand_id, campaignId: p.campaignId });
    const shortfall = await this.shortfall(tx, p.campaignId);
    if (!shortfall) return;
    const data: FundingRequestedData = {
      campaignId: p.campaignId,
      brandId: p.brandId,
      partnershipId: p.id,
      creatorId: p.creatorId,
      reason: 'LATE_COMMISSION',
      amount: { amountMinor: shortfall.amountMinor, currency: shortfall.currency },
      requestedAt: new Date().toISOString(),
    };
    await this.deps.outbox.enqueue(tx, TOPICS.payment, { type: 'funding.requested', subject: p.campaignId, brandid: p.brandId, data });
    this.deps.logger.info(
      { campaignId: p.campaignId, shortfall: shortfall.amountMinor },
      'closed campaign owes commission: funding requested',
    );
  }

  /**
   * Campaign.fundingRequested: the shortfall (0 when none) for the campaign's brand's members and analysts
   * (and admins); anyone else null. Batched per request: the campaigns' copies in one query, then only
   * those the caller may read go on to `shortfalls` (three queries for the whole batch), all in one
   * read-only REPEATABLE READ snapshot, so an accrual committing meanwhile is seen whole or not at all.
   */
  async fundingRequestedOf(ctx: RequestContext, campaignId: string): Promise<Money | null> {
    if (!isUuid(campaignId)) return null;
    // Nobody who could read any brand's campaigns: no work at all.
    if (!ctx.isAdmin && !(ctx.hasRole('brand_member') || ctx.hasRole('analyst'))) return null;
    return ctx.loaders
      .get<string, Money | null>('compensation:fundingRequested', (ids) => this.fundingRequestedBatch(ctx, ids))
      .load(campaignId.toLowerCase());
  }

  private fundingRequestedBatch(ctx: RequestContext, ids: readonly string[]): Promise<(Money | null)[]> {
    return ctx.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const campaigns = (await tx.query(`SELECT id, brand_id, currency FROM payment_campaigns WHERE id = ANY($1::uuid[])`, [
        [...ids],
      ])) as { id: string; brand_id: string; currency: string }[];
      const readable = new Map(
        campaigns.filter((c) => ctx.canActForBrand(c.brand_id, ['brand_member', 'analyst'])).map((c) => [c.id, c.currency.trim()]),
      );
      const owed = readable.size > 0 ? await this.shortfalls(tx, [...readable.keys()]) : new Map();
      return ids.map((id) => {
        const currency = readable.get(id);
        return currency ? Money.of(owed.get(id)?.amountMinor ?? 0, currency) : null;
      });
    });
  }

  /** One campaign's shortfall (`shortfalls`); null when nothing waits or the escrow covers it. */
  async shortfall(tx: EntityManager, campaignId: string): Promise<{ amountMinor: number; currency: string } | null> {
    return (await this.shortfalls(tx, [campaignId])).get(campaignId) ?? null;
  }

  /**
   * What each campaign's escrow must still receive to pay everything that waits on it — its DUE milestones
   * (each its `payableMinor`) and the commission earned and not accrued (`commissionSync`'s delta, when
   * positive), each with what its accrual draws (the ledger's `accrualCost`: the fee on top) — less what
   * the escrow holds now; absent when nothing waits (or the escrow covers it). One currency per campaign:
   * its plans'. Three queries whatever the number of campaigns; the rules are applied here, in code, to
   * the rows read. The caller makes the reads one consistent state: fundCampaign holds the ledger's locks
   * on the escrow, a read-only caller a REPEATABLE READ snapshot.
   */
  async shortfalls(tx: EntityManager, campaignIds: readonly string[]): Promise<Map<string, { amountMinor: number; currency: string }>> {
    const out = new Map<string, { amountMinor: number; currency: string }>();
    if (campaignIds.length === 0) return out;
    const partnerships = await tx.getRepository(CompPartnership).find({ where: { campaignId: In([...campaignIds]) } });
    const due =
      partnerships.length === 0
        ? []
        : await tx.getRepository(CompMilestone).find({ where: { partnershipId: In(partnerships.map((p) => p.id)), status: 'DUE' } });
    const byId = new Map(partnerships.map((p) => [p.id, p]));
    const waiting = new Map<string, { owed: number; currency: string }>();
    const add = (campaignId: string, amountMinor: number, currency: string) => {
      if (amountMinor <= 0) return;
      const w = waiting.get(campaignId) ?? { owed: 0, currency: currency.trim() };
      w.owed += this.deps.ledger.accrualCost(amountMinor);
      waiting.set(campaignId, w);
    };
    for (const m of due) add(byId.get(m.partnershipId)!.campaignId, m.payableMinor, m.currency);
    for (const p of partnerships) if (p.currency) add(p.campaignId, commissionToAccrue(p), p.currency);
    if (waiting.size === 0) return out;
    const escrows = await this.deps.ledger.balancesOf(tx, 'CAMPAIGN_ESCROW', [...waiting.keys()]);
    for (const [campaignId, w] of waiting) {
      const escrow = escrows.find((e) => e.ownerId === campaignId && e.currency === w.currency)?.balance ?? 0;
      if (w.owed > escrow) out.set(campaignId, { amountMinor: w.owed - escrow, currency: w.currency });
    }
    return out;
  }

  /** order.refunded: the refund's share of the commission is reversed (from the payable, else carried as a clawback). */
  async onOrderRefunded(tx: EntityManager, d: OrderRefundedData): Promise<void> {
    const r = checkOrderRefunded(d);
    const p = await this.lockKnownPartnership(tx, d);
    const [order] = (await tx.query(
      `SELECT amount_minor::text AS amount, refunded_minor::text AS refunded, commission_ppm AS ppm, currency
         FROM comp_orders WHERE order_id = $1 AND partnership_id = $2 FOR UPDATE`,
      [d.orderId, p.id],
    )) as { amount: string; refunded: string; ppm: number; currency: string }[];
    // Not attributed yet (its event may still be on its way): retried, then dead-lettered and replayed.
    if (!order) throw new Error(`order ${d.orderId} is not known yet`);
    if ((await tx.query(`SELECT 1 FROM comp_refunds WHERE refund_id = $1`, [d.refundId])).length > 0) return;
    if (r.currency !== order.currency) throw new RejectedEvent(`the refund is in ${r.currency} but the order was in ${order.currency}`);
    const state = { amountMinor: Number(order.amount), refundedMinor: Number(order.refunded), ppm: order.ppm };
    const outcome = applyRefund(state, r.amountMinor);
    if (!outcome.accepted) {
      // Recorded as refused, with the reason; the order, the commission and the ledger are untouched.
      await tx.query(
        `INSERT INTO comp_refunds (refund_id, order_id, amount_minor, status, reason, refunded_at) VALUES ($1, $2, $3, 'REJECTED', $4, $5)`,
        [d.refundId, d.orderId, r.amountMinor, outcome.reason, r.refundedAt],
      );
      this.deps.logger.warn({ refundId: d.refundId, orderId: d.orderId }, 'refund refused: larger than what is left of the order');
      return;
    }
    await tx.query(`UPDATE comp_orders SET refunded_minor = $2 WHERE order_id = $1`, [d.orderId, outcome.refundedMinor]);
    await tx.query(
      `INSERT INTO comp_refunds (refund_id, order_id, amount_minor, status, commission_reversed_minor, refunded_at)
       VALUES ($1, $2, $3, 'APPLIED', $4, $5)`,
      [d.refundId, d.orderId, r.amountMinor, outcome.reversal, r.refundedAt],
    );
    if (outcome.refundedMinor === state.amountMinor) p.ordersCount -= 1;
    p.salesMinor -= r.amountMinor;
    p.commissionEarnedMinor -= outcome.reversal;
    await this.saveCounters(tx, p);
    await this.syncCommission(tx, p, `refund:${d.refundId}`);
  }

  // ---- what waits for funding ------------------------------------------------------------------------

  /**
   * Pays what waits for the escrow (DUE milestones, commission not accrued yet), each partnership in a
   * transaction of its own; a periodic task calls it, and funding may (campaignId: that campaign only).
   */
  async retryAwaiting(dataSource: DataSource, campaignId?: string): Promise<{ milestonesPaid: number; commissionSynced: number }> {
    const filter = campaignId ? `AND p.campaign_id = $1` : '';
    const params = campaignId ? [campaignId] : [];
    const waiting = (await dataSource.query(
      `SELECT DISTINCT p.id FROM comp_partnerships p
        WHERE (EXISTS (SELECT 1 FROM comp_milestones m WHERE m.partnership_id = p.id AND m.status = 'DUE')
               OR ${COMMISSION_TO_ACCRUE_SQL('p')} > 0) ${filter}
        ORDER BY p.id LIMIT 500`,
      params,
    )) as { id: string }[];
    let milestonesPaid = 0;
    let commissionSynced = 0;
    for (const { id } of waiting) {
      await dataSource.transaction(async (tx) => {
        const p = await tx.getRepository(CompPartnership).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!p) return;
        const due = await tx
          .getRepository(CompMilestone)
          .find({ where: { partnershipId: id, status: 'DUE' }, order: { dueAt: 'ASC', index: 'ASC' } });
        for (const m of due) if (await this.pay(tx, p, m)) milestonesPaid++;
        const before = p.commissionAccruedMinor;
        await this.syncCommission(tx, p, `commission:${p.id}:catch-up:${p.commissionPostings + 1}`);
        if (p.commissionAccruedMinor !== before) {
          commissionSynced++;
          const plan = await this.activePlan(tx, p.id);
          if (p.campaignEndedAt || !plan) await this.payOutCommission(tx, p);
        }
      });
    }
    return { milestonesPaid, commissionSynced };
  }

  // ---- the parts ---------------------------------------------------------------------------------------

  /** The partnership's copy (made from the event's parties if there is none yet), locked; its parties must be the event's. */
  private async lockPartnership(
    tx: EntityManager,
    d: { partnershipId: string; campaignId: string; brandId: string; creatorId: string },
  ): Promise<CompPartnership> {
    await tx.query(
      `INSERT INTO comp_partnerships (id, campaign_id, brand_id, creator_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [d.partnershipId, d.campaignId, d.brandId, d.creatorId],
    );
    return this.lockKnownPartnership(tx, d);
  }

  /** The partnership's copy, locked (every change of its plan, orders and commission goes through this lock). */
  private async lockKnownPartnership(
    tx: EntityManager,
    d: { partnershipId: string; campaignId: string; brandId: string; creatorId: string },
  ): Promise<CompPartnership> {
    const p = await tx.getRepository(CompPartnership).findOne({ where: { id: d.partnershipId }, lock: { mode: 'pessimistic_write' } });
    // Its partnership or contract event may still be on its way (another topic): retried, then dead-lettered and replayed.
    if (!p) throw new Error(`partnership ${d.partnershipId} is not known yet`);
    if (p.brandId !== d.brandId || p.creatorId !== d.creatorId || p.campaignId !== d.campaignId)
      throw new RejectedEvent("the event's brand, creator or campaign is not the partnership's");
    return p;
  }

  private activePlan(tx: EntityManager, partnershipId: string): Promise<CompPlan | null> {
    return tx.getRepository(CompPlan).findOneBy({ partnershipId, status: 'ACTIVE' });
  }

  private async saveCounters(tx: EntityManager, p: CompPartnership): Promise<void> {
    await tx.query(
      `UPDATE comp_partnerships SET orders_count = $2, sales_minor = $3, commission_earned_minor = $4, currency = $5, updated_at = now() WHERE id = $1`,
      [p.id, p.ordersCount, p.salesMinor, p.commissionEarnedMinor, p.currency],
    );
  }

  /** Whether each of the plan's contract deliverables has all its posts (posted pieces mapped as plan-rules says). */
  private async deliverablesComplete(tx: EntityManager, p: CompPartnership, plan: CompPlan): Promise<boolean[]> {
    const posted = (await tx.query(
      `SELECT sequence, platform, format FROM comp_posted_deliverables WHERE partnership_id = $1 ORDER BY posted_at, sequence`,
      [p.id],
    )) as { sequence: number; platform: string; format: string }[];
    const terms: DeliverableTerm[] = plan.deliverables;
    const required = requiredPosts(terms, plan.lengthMonths);
    const counts = terms.map(() => 0);
    for (const piece of posted) {
      const i = contractIndexOf(piece, p.scheduleTerms, p.lengthMonths, terms, counts, required);
      if (i !== null) counts[i]++;
    }
    return counts.map((c, i) => c >= required[i]);
  }

  /** Makes due (and pays) the plan's pending milestones whose trigger has happened; `only`: just that trigger. */
  private async fireSatisfied(tx: EntityManager, p: CompPartnership, plan: CompPlan, only: CompMilestone['trigger'] | null): Promise<void> {
    const pending = await tx.getRepository(CompMilestone).find({
      where: { planId: plan.id, status: 'PENDING', ...(only ? { trigger: only } : {}) },
      order: { index: 'ASC' },
    });
    if (pending.length === 0) return;
    const needs = (t: CompMilestone['trigger']) => pending.some((m) => m.trigger === t);
    const facts = {
      campaignEnded: p.campaignEndedAt !== null,
      deliverablesComplete: needs('ON_DELIVERABLE_POSTED') ? await this.deliverablesComplete(tx, p, plan) : [],
      bonusReached:
        plan.bonusMeasuredAs !== null &&
        plan.bonusThreshold !== null &&
        bonusReached(
          plan.bonusMeasuredAs,
          plan.bonusThreshold,
          { orders: p.ordersCount, salesMinor: p.salesMinor },
          minorDigits(plan.currency),
        ),
    };
    for (const m of pending) if (triggerSatisfied(m, facts)) await this.fall(tx, p, plan, m);
  }

  /** The milestone falls due: milestone.due, and its payout requested in the same transaction. */
  private async fall(tx: EntityManager, p: CompPartnership, plan: CompPlan, m: CompMilestone): Promise<void> {
    m.dueAt = new Date();
    m.status = 'DUE';
    await tx.query(`UPDATE comp_milestones SET status = 'DUE', due_at = $2 WHERE id = $1 AND status = 'PENDING'`, [m.id, m.dueAt]);
    const data: MilestoneDueData = {
      milestoneId: m.id,
      planId: plan.id,
      contractId: m.contractId,
      ...partiesOf(p),
      index: m.index,
      label: m.label,
      trigger: m.trigger,
      amountMinor: m.payableMinor,
      currency: m.currency,
      dueAt: m.dueAt.toISOString(),
    };
    await this.deps.outbox.enqueue(tx, TOPICS.payment, { type: 'milestone.due', subject: p.id, brandid: p.brandId, data });
    await this.pay(tx, p, m);
  }

  /**
   * Requests a due milestone's payout (key `milestone:<id>`: asking again returns the same payout). Escrow
   * short: it stays DUE, awaiting funds, and is asked again later. True when it is now PAID.
   */
  private async pay(tx: EntityManager, p: CompPartnership, m: CompMilestone): Promise<boolean> {
    try {
      const { payoutId } = await underSavepoint(tx, () =>
        this.deps.payouts.request(tx, {
          ...partiesOf(p),
          idempotencyKey: `milestone:${m.id}`,
          amount: Money.of(m.payableMinor, m.currency),
          reason: m.trigger === 'ON_BONUS_THRESHOLD' ? 'BONUS' : 'MILESTONE',
          reference: m.id,
        }),
      );
      await tx.query(`UPDATE comp_milestones SET status = 'PAID', paid_at = now(), payout_id = $2, awaiting = NULL WHERE id = $1`, [
        m.id,
        payoutId,
      ]);
      return true;
    } catch (err) {
      if (!isInsufficientFunds(err)) throw err;
      await tx.query(`UPDATE comp_milestones SET awaiting = 'INSUFFICIENT_FUNDS' WHERE id = $1`, [m.id]);
      this.deps.logger.info({ milestoneId: m.id, campaignId: p.campaignId }, 'milestone due, awaiting escrow funding');
      return false;
    }
  }

  /**
   * Brings the payable's commission to max(earned, paid out) (plan-rules' commissionSync): accrues from
   * escrow (short: it waits, retried later) or reverses into it. Each posting has its own key.
   */
  private async syncCommission(tx: EntityManager, p: CompPartnership, key: string): Promise<void> {
    const { delta } = commissionSync(commissionPosition(p));
    if (delta === 0 || !p.currency) return;
    try {
      await underSavepoint(tx, () =>
        delta > 0
          ? this.deps.ledger.accrue(tx, { ...partiesOf(p), key, amount: Money.of(delta, p.currency!), kind: 'COMMISSION' })
          : this.deps.ledger.reverseAccrual(tx, { ...partiesOf(p), key, amount: Money.of(-delta, p.currency!), kind: 'COMMISSION_REFUND' }),
      );
    } catch (err) {
      if (!isInsufficientFunds(err)) throw err;
      this.deps.logger.info({ partnershipId: p.id, campaignId: p.campaignId }, 'commission awaiting escrow funding');
      return;
    }
    p.commissionAccruedMinor += delta;
    p.commissionPostings += 1;
    await tx.query(
      `UPDATE comp_partnerships SET commission_accrued_minor = $2, commission_postings = $3, updated_at = now() WHERE id = $1`,
      [p.id, p.commissionAccruedMinor, p.commissionPostings],
    );
  }

  /** Pays out the commission accrued and not paid out yet (key `commission:<partnershipId>:<n>`). */
  private async payOutCommission(tx: EntityManager, p: CompPartnership): Promise<void> {
    const unpaid = p.commissionAccruedMinor - p.commissionPaidOutMinor;
    if (unpaid <= 0 || !p.currency) return;
    const n = p.commissionPayouts + 1;
    try {
      await underSavepoint(tx, () =>
        this.deps.payouts.request(tx, {
          ...partiesOf(p),
          idempotencyKey: `commission:${p.id}:${n}`,
          amount: Money.of(unpaid, p.currency!),
          reason: 'COMMISSION',
          reference: p.id,
        }),
      );
    } catch (err) {
      if (!isInsufficientFunds(err)) throw err;
      return;
    }
    p.commissionPaidOutMinor += unpaid;
    p.commissionPayouts = n;
    await tx.query(
      `UPDATE comp_partnerships SET commission_paid_out_minor = $2, commission_payouts = $3, updated_at = now() WHERE id = $1`,
      [p.id, p.commissionPaidOutMinor, n],
    );
  }

  /** The product's declared value, in kind, on the creator's statement: what this version adds over what was recorded. */
  private async recordProductValue(
    tx: EntityManager,
    p: CompPartnership,
    contractId: string,
    product: { description: string; declaredValueMinor: number },
    currency: string,
  ): Promise<void> {
    const more = product.declaredValueMinor - p.productValueRecordedMinor;
    if (more <= 0) return;
    await this.deps.ledger.recordProductValue(tx, {
      ...partiesOf(p),
      key: `product:${contractId}`,
      amount: Money.of(more, currency),
      description: product.description.slice(0, 500),
    });
    p.productValueRecordedMinor = product.declaredValueMinor;
    await tx.query(`UPDATE comp_partnerships SET product_value_recorded_minor = $2 WHERE id = $1`, [p.id, product.declaredValueMinor]);
  }
}
