import { randomUUID } from 'node:crypto';
import type { EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import {
  AMOUNT_RULE_MESSAGES,
  AppError,
  assertCurrency,
  badInput,
  conflict,
  ErrorCode,
  forbidden,
  InputProblems,
  invalidState,
  isUuid,
  loadById,
  loadManyBy,
  Logger,
  Money,
  MoneyInput,
  notFound,
  parseMoneyInput,
  RequestContext,
  ServiceRuntime,
} from '@influenceflow/kit';
import { PayoutEventData, PayoutFailedData, PayoutReversedData, PayoutSucceededData, TOPICS } from '@influenceflow/vocabulary';
import type { LedgerPostings, PartnershipParties } from '../ledger/postings';
import { retryDelayMs } from './backoff';
import { assertIdempotencyKey, fingerprint } from './idempotency';
import { CompPartnership, CompPlan } from '../compensation/compensation.entity';
import { Payout, PayoutAttempt, PayoutReason } from './payout.entity';
import type { PayoutRequest, PayoutRequests } from './payout-requests';
import type { PayoutSettings } from './payout-settings';
import { AttemptStatus, attemptMachine, OPEN_ATTEMPT, PayoutActor, payoutMachine, PayoutStatus } from './payout-status';
import type { PayoutProvider, PayoutProviders, ProviderOutcome } from './providers';

/** The longest text an admin or a brand writes on a payout (a reason, a bank reference). */
const MAX_NOTE = 500;
const REASONS = new Set<string>(Object.values(PayoutReason));

export interface CreatePayoutCommand {
  partnershipId: string;
  amount: MoneyInput;
  /** Why the brand pays it, as the creator will read it (optional). */
  reason?: string | null;
  idempotencyKey: string;
}

/** Control characters but tab and newlines (NUL bytes among them). */
const hasControl = (value: string) =>
  [...value].some((ch) => {
    const c = ch.charCodeAt(0);
    return (c < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r') || c === 0x7f;
  });

/** Visible text: 1–500 characters, no control characters but tab and newlines, not blank. */
function note(value: string, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || value.length > MAX_NOTE || hasControl(value)) {
    throw badInput(field, `must be 1 to ${MAX_NOTE} characters of visible text`);
  }
  return text;
}

/**
 * Wakes the payout worker once a transaction that queued an attempt has committed (an attempt queued in an
 * event handler's or a caller's transaction cannot be sent before): a TypeORM subscriber that watches the
 * commits of the query runners it was told about.
 */
export class CommitWaker implements EntitySubscriberInterface {
  private readonly pending = new WeakSet<QueryRunner>();

  constructor(private readonly wake: () => void) {}

  mark(tx: EntityManager): void {
    if (tx.queryRunner?.isTransactionActive) this.pending.add(tx.queryRunner);
    else this.wake();
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A savepoint's release is a "commit" too: wait for the outermost one.
    if (event.queryRunner.isTransactionActive) return;
    if (this.pending.has(event.queryRunner)) {
      this.pending.delete(event.queryRunner);
      this.wake();
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }
}

/**
 * The partnership's payout lock, taken first by every transaction that moves a payout's money (request,
 * outcome, retry, reversal): a request makes two postings (accrual, then start), and an outcome posting
 * of the same partnership between them could lock the same accounts in the other order (a deadlock).
 * One at a time per partnership; partnerships do not wait for each other.
 */
export async function lockPartnership(tx: EntityManager, partnershipId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('payouts:' || $1, 0))`, [partnershipId]);
}

interface AttemptRow {
  id: string;
  payout_id: string;
  number: number;
  status: AttemptStatus;
  provider: string;
  provider_key: string;
}

/**
 * Payouts (docs/payments.md, "Payouts"): requested in the caller's transaction (accrual, start posting, the
 * payout and its first attempt), sent by the worker after commit — each attempt claimed in the database
 * before its one provider call — and settled, failed (then retried with backoff) or reversed, each outcome
 * in its own transaction with its ledger posting and its event.
 */
export class PayoutService implements PayoutRequests {
  readonly waker: CommitWaker;
  private wakeWorker: () => void = () => undefined;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly ledger: LedgerPostings,
    readonly providers: PayoutProviders,
    readonly settings: PayoutSettings,
    private readonly logger: Logger,
  ) {
    this.waker = new CommitWaker(() => this.wakeWorker());
    runtime.dataSource.subscribers.push(this.waker);
  }

  /** The worker calls this to be woken when an attempt is queued. */
  onQueued(wake: () => void): void {
    this.wakeWorker = wake;
  }

  // ---- the seam: requests from compensation (milestones, commission, bonus) and from createPayout ----

  async request(tx: EntityManager, r: PayoutRequest): Promise<{ payoutId: string; replayed: boolean }> {
    const problems = new InputProblems();
    problems.check(() => {
      if (typeof r.idempotencyKey !== 'string' || r.idempotencyKey.length === 0 || r.idempotencyKey.length > 200) {
        throw badInput('idempotencyKey', 'must be 1 to 200 characters');
      }
    });
    for (const field of ['partnershipId', 'campaignId', 'brandId', 'creatorId'] as const) {
      if (!isUuid(r[field])) problems.add(field, 'must be a UUID');
    }
    problems.check(() => assertCurrency(r.amount?.currency, 'amount.currency'));
    if (!Number.isSafeInteger(r.amount?.amountMinor) || r.amount.amountMinor <= 0) {
      problems.add('amount.amountMinor', AMOUNT_RULE_MESSAGES.positive);
    }
    if (!REASONS.has(r.reason)) problems.add('reason', `must be one of ${[...REASONS].join(', ')}`);
    if (r.reference !== null && (typeof r.reference !== 'string' || r.reference.length > MAX_NOTE)) {
      problems.add('reference', `must be null or at most ${MAX_NOTE} characters`);
    }
    problems.throwIfAny();
    const parties: PartnershipParties = {
      partnershipId: r.partnershipId.toLowerCase(),
      campaignId: r.campaignId.toLowerCase(),
      brandId: r.brandId.toLowerCase(),
      creatorId: r.creatorId.toLowerCase(),
    };
    const amount = Money.of(r.amount.amountMinor, r.amount.currency);
    const print = fingerprint([
      parties.partnershipId,
      parties.campaignId,
      parties.brandId,
      parties.creatorId,
      amount.amountMinor,
      amount.currency,
      r.reason,
      r.reference,
    ]);
    // A savepoint: a refused request (escrow short) leaves the caller's transaction as it was, usable.
    return tx.transaction(async (inner) => {
      await lockPartnership(inner, parties.partnershipId);
      const id = randomUUID();
      const provider = this.settings.provider;
      // The key's row is the lock: a concurrent request with the same key waits here for this one to end.
      const inserted = (await inner.query(
        `INSERT INTO payouts (id, idempotency_key, fingerprint, partnership_id, campaign_id, brand_id, creator_id,
                              amount_minor, currency, reason, reference, provider, status, attempt_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'PENDING', 1)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
        [
          id,
          r.idempotencyKey,
          print,
          parties.partnershipId,
          parties.campaignId,
          parties.brandId,
          parties.creatorId,
          amount.amountMinor,
          amount.currency,
          r.reason,
          r.reference,
          provider,
        ],
      )) as { id: string }[];
      if (inserted.length === 0) {
        const [existing] = (await inner.query(`SELECT id, fingerprint FROM payouts WHERE idempotency_key = $1`, [r.idempotencyKey])) as {
          id: string;
          fingerprint: string;
        }[];
        if (existing.fingerprint !== print) throw conflict('This idempotency key was already used for another payout', 'idempotencyKey');
        return { payoutId: existing.id, replayed: true };
      }
      // Commission is accrued order by order (compensation); the others are accrued here, on the payout's key,
      // so an accrual compensation made already under that key is found again, not made twice.
      if (r.reason !== PayoutReason.COMMISSION) {
        await this.ledger.accrue(inner, { ...parties, key: r.idempotencyKey, amount, kind: r.reason });
      }
      await this.queueAttempt(inner, { id, ...parties, amountMinor: amount.amountMinor, currency: amount.currency, provider }, 1);
      this.waker.mark(tx);
      return { payoutId: id, replayed: false };
    });
  }

  /** The start posting (payable → provider clearing) and the attempt row, QUEUED for the worker. */
  private async queueAttempt(
    tx: EntityManager,
    p: PartnershipParties & { id: string; amountMinor: number; currency: string; provider: string },
    n: number,
  ): Promise<void> {
    await this.ledger.startPayout(tx, {
      partnershipId: p.partnershipId,
      campaignId: p.campaignId,
      brandId: p.brandId,
      creatorId: p.creatorId,
      key: `payout:${p.id}:start:${n}`,
      payoutId: p.id,
      provider: p.provider,
      amount: Money.of(p.amountMinor, p.currency),
    });
    await tx.query(
      `INSERT INTO payout_attempts (id, payout_id, number, status, provider, provider_key) VALUES ($1, $2, $3, 'QUEUED', $4, $5)`,
      [randomUUID(), p.id, n, p.provider, `payout:${p.id}:attempt:${n}`],
    );
  }

  // ---- the API ----

  /**
   * createPayout: a member of the partnership's brand pays its creator an amount of their choosing, with
   * Stripe's idempotency: the same key and request → the same payout (replayed); the same key with other
   * parameters → CONFLICT; a request still running with the key → this one waits for it, then replays.
   */
  async create(ctx: RequestContext, input: CreatePayoutCommand): Promise<{ payout: Payout; replayed: boolean }> {
    const identity = ctx.requireRole('brand_member');
    const partnership = isUuid(input.partnershipId) ? await this.partnership(ctx, input.partnershipId.toLowerCase()) : null;
    // Another brand's partnership, or one payments does not know under contract, is not found.
    if (!partnership || !(ctx.isAdmin || identity.brandIds.includes(partnership.brandId))) {
      throw notFound('Partnership', String(input.partnershipId).slice(0, 64));
    }
    ctx.requireBrand(partnership.brandId);
    const problems = ctx.inputProblems();
    const key = problems.check(() => assertIdempotencyKey(input.idempotencyKey, 'input.idempotencyKey'));
    const amount = problems.check(() => parseMoneyInput(input.amount, 'input.amount', 'positive'));
    const reason = input.reason == null ? null : problems.check(() => note(input.reason!, 'input.reason'));
    if (amount && amount.currency !== partnership.currency) {
      problems.add('input.amount.currency', `must be the partnership's currency, ${partnership.currency} (no conversion)`);
    }
    problems.throwIfAny();
    const money = amount!;
    const print = fingerprint([partnership.partnershipId, money.amountMinor, money.currency, reason ?? null]);
    const result = await ctx.transaction(async (tx) => {
      const claimed = await this.claimKey(tx, partnership.brandId, key!, print);
      if (!claimed.fresh) {
        if (claimed.fingerprint !== print) {
          throw conflict(
            'This idempotency key was already used with other parameters; use a new key for a new payout',
            'input.idempotencyKey',
          );
        }
        return { payoutId: claimed.payoutId!, replayed: true };
      }
      const { payoutId } = await this.request(tx, {
        idempotencyKey: `adhoc:${claimed.id}`,
        partnershipId: partnership.partnershipId,
        campaignId: partnership.campaignId,
        brandId: partnership.brandId,
        creatorId: partnership.creatorId,
        amount: money,
        reason: PayoutReason.AD_HOC,
        reference: reason ?? null,
      });
      await tx.query(`UPDATE payout_idempotency_keys SET payout_id = $2 WHERE id = $1`, [claimed.id, payoutId]);
      return { payoutId, replayed: false };
    });
    const payout = await ctx.dataSource.getRepository(Payout).findOneByOrFail({ id: result.payoutId });
    return { payout, replayed: result.replayed };
  }

  /**
   * Takes the key for this request, or finds who took it: a row per (scope, key). A concurrent request
   * with the key waits on the row (the unique index) until the first commits or rolls back; an expired
   * row the cleanup has not deleted yet is taken over (a new id: a new payout).
   */
  private async claimKey(
    tx: EntityManager,
    scope: string,
    key: string,
    print: string,
  ): Promise<{ fresh: boolean; id: string; fingerprint: string; payoutId: string | null }> {
    // DO NOTHING waits only for a request still in flight with the key; replays of a committed key do not
    // lock its row, so they answer side by side.
    const taken = (await tx.query(
      `INSERT INTO payout_idempotency_keys (id, scope, key, fingerprint, created_at, expires_at)
       VALUES ($1, $2, $3, $4, now(), now() + make_interval(hours => $5))
       ON CONFLICT (scope, key) DO NOTHING
       RETURNING id`,
      [randomUUID(), scope, key, print, this.settings.idempotencyTtlHours],
    )) as { id: string }[];
    if (taken.length > 0) return { fresh: true, id: taken[0].id, fingerprint: print, payoutId: null };
    const [row] = (await tx.query(
      `SELECT id, fingerprint, payout_id, expires_at <= now() AS expired FROM payout_idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    )) as { id: string; fingerprint: string; payout_id: string | null; expired: boolean }[];
    // Deleted by the cleanup meanwhile (it had expired): take it anew.
    if (!row) return this.claimKey(tx, scope, key, print);
    if (row.expired) {
      // Expired, not deleted yet: taken over as a new key (a new id, so a new payout); one taker wins the row.
      const [renewed] = (await tx.query(
        `UPDATE payout_idempotency_keys
            SET id = $3, fingerprint = $4, payout_id = NULL, created_at = now(), expires_at = now() + make_interval(hours => $5)
          WHERE scope = $1 AND key = $2 AND expires_at <= now()
          RETURNING id`,
        [scope, key, randomUUID(), print, this.settings.idempotencyTtlHours],
      )) as [{ id: string }[], number];
      if (renewed.length > 0) return { fresh: true, id: renewed[0].id, fingerprint: print, payoutId: null };
      return this.claimKey(tx, scope, key, print);
    }
    return { fresh: false, id: row.id, fingerprint: row.fingerprint, payoutId: row.payout_id };
  }

  /** Deletes the keys past their time (kept PAYMENTS_IDEMPOTENCY_TTL_HOURS, at least 24 h). */
  async cleanupKeys(now = new Date()): Promise<number> {
    const [, count] = (await this.runtime.dataSource.query(`DELETE FROM payout_idempotency_keys WHERE expires_at <= $1`, [now])) as [
      unknown,
      number,
    ];
    return count;
  }

  // ---- reading ----

  /** Whether the caller sees this payout: its creator, members of its brand, admins (not analysts: docs). */
  canSee(ctx: RequestContext, p: { brandId: string; creatorId: string }): boolean {
    if (!ctx.identity) return false;
    return ctx.isAdmin || ctx.isCreator(p.creatorId) || ctx.canActForBrand(p.brandId, ['brand_member']);
  }

  async get(ctx: RequestContext, id: string): Promise<Payout> {
    ctx.requireIdentity();
    const payout = isUuid(id) ? await loadById(ctx, Payout, id.toLowerCase()) : null;
    if (!payout || !this.canSee(ctx, payout)) throw notFound('Payout', String(id).slice(0, 64));
    return payout;
  }

  /** Partnership.payouts: newest first, batched over the partnerships of a request; [] for whoever may not see them. */
  async forPartnership(ctx: RequestContext, partnershipId: string): Promise<Payout[]> {
    if (!ctx.identity || !isUuid(partnershipId)) return [];
    const payouts = await loadManyBy(ctx, Payout, 'partnershipId', partnershipId.toLowerCase(), { createdAt: 'DESC', id: 'DESC' });
    return payouts.filter((p) => this.canSee(ctx, p));
  }

  attemptsOf(ctx: RequestContext, payout: Payout): Promise<PayoutAttempt[]> {
    return loadManyBy(ctx, PayoutAttempt, 'payoutId', payout.id, { number: 'ASC' });
  }

  /**
   * The partnership createPayout pays: compensation's copy (comp_partnerships), once a contract of it was
   * executed (it has a plan, and the copy holds the plan's currency). One copy of a partnership in payments.
   */
  private async partnership(
    ctx: RequestContext,
    id: string,
  ): Promise<{ partnershipId: string; campaignId: string; brandId: string; creatorId: string; currency: string } | null> {
    const [p, plans] = await Promise.all([loadById(ctx, CompPartnership, id), loadManyBy(ctx, CompPlan, 'partnershipId', id)]);
    if (!p || !p.currency || plans.length === 0) return null;
    return { partnershipId: p.id, campaignId: p.campaignId, brandId: p.brandId, creatorId: p.creatorId, currency: p.currency };
  }

  // ---- the worker's steps ----

  /**
   * Claims the oldest queued attempt (QUEUED → SENDING, committed at once) and calls its provider once; the
   * claim is the "at most once": a second worker, replica or redelivery finds it SENDING and skips it.
   * False when nothing was queued.
   */
  async dispatchNext(): Promise<boolean> {
    const [rows] = (await this.runtime.dataSource.query(
      `UPDATE payout_attempts SET status = 'SENDING', sent_at = now()
       WHERE id = (SELECT id FROM payout_attempts WHERE status = 'QUEUED' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         AND status = 'QUEUED'
       RETURNING id, payout_id, number, status, provider, provider_key`,
    )) as [AttemptRow[], number];
    const attempt = rows[0];
    if (!attempt) return false;
    const payout = await this.runtime.dataSource.getRepository(Payout).findOneByOrFail({ id: attempt.payout_id });
    const provider = this.provider(attempt.provider);
    let outcome: ProviderOutcome;
    try {
      outcome = await provider.send({
        payoutId: payout.id,
        attemptId: attempt.id,
        attempt: attempt.number,
        providerKey: attempt.provider_key,
        creatorId: payout.creatorId,
        amountMinor: payout.amountMinor,
        currency: payout.currency,
      });
    } catch (err) {
      // We do not know whether the provider executed it: the attempt stays SENDING for the sweeper to ask.
      this.logger.error({ err, attemptId: attempt.id }, 'payout provider call failed without an answer; left for reconciliation');
      return true;
    }
    try {
      await this.recordOutcome(attempt.id, outcome, 'system');
    } catch (err) {
      this.logger.error({ err, attemptId: attempt.id }, 'could not record a payout outcome; the sweeper will ask the provider again');
    }
    return true;
  }

  private provider(name: string): PayoutProvider {
    const provider = (this.providers as Record<string, PayoutProvider | undefined>)[name];
    if (!provider) throw new Error(`no payout provider named ${name}`);
    return provider;
  }

  /**
   * Records what the provider (or an admin, for a manual transfer) said of an open attempt, with its
   * posting and event, in one transaction under the payout's lock. An attempt whose outcome is recorded
   * already is left alone (false); `strict` (an admin's call) makes that an INVALID_STATE instead.
   */
  async recordOutcome(attemptId: string, outcome: ProviderOutcome, actor: PayoutActor, strict = false): Promise<boolean> {
    const applied = await this.runtime.dataSource.transaction(async (tx) => {
      const [ref] = (await tx.query(
        `SELECT a.payout_id, p.partnership_id FROM payout_attempts a JOIN payouts p ON p.id = a.payout_id WHERE a.id = $1`,
        [attemptId],
      )) as { payout_id: string; partnership_id: string }[];
      if (!ref) throw new Error(`no payout attempt ${attemptId}`);
      // The partnership, the payout, then its attempt: the order every writer locks in.
      await lockPartnership(tx, ref.partnership_id);
      const payout = await tx.getRepository(Payout).findOne({ where: { id: ref.payout_id }, lock: { mode: 'pessimistic_write' } });
      const attempt = await tx.getRepository(PayoutAttempt).findOne({ where: { id: attemptId }, lock: { mode: 'pessimistic_write' } });
      if (!payout || !attempt) throw new Error(`payout attempt ${attemptId} vanished`);
      if (!OPEN_ATTEMPT.includes(attempt.status) || payout.status !== PayoutStatus.PENDING) {
        if (strict) {
          throw invalidState(`This payout is ${payout.status} and its attempt ${attempt.status}: there is nothing to confirm or fail`, {
            status: payout.status,
            attemptStatus: attempt.status,
          });
        }
        this.logger.warn(
          { attemptId, status: attempt.status, outcome: outcome.status },
          'an outcome for a payout attempt already settled; ignored',
        );
        return false;
      }
      const parties: PartnershipParties = {
        partnershipId: payout.partnershipId,
        campaignId: payout.campaignId,
        brandId: payout.brandId,
        creatorId: payout.creatorId,
      };
      const amount = Money.of(payout.amountMinor, payout.currency);
      const now = new Date();
      if (outcome.status === 'PENDING') {
        if (attempt.status === AttemptStatus.SENDING) {
          attemptMachine.assert(attempt.status, AttemptStatus.AWAITING_CONFIRMATION, 'system');
          await tx.update(
            PayoutAttempt,
            { id: attempt.id },
            { status: AttemptStatus.AWAITING_CONFIRMATION, providerRef: outcome.providerRef },
          );
        }
        return true;
      }
      if (outcome.status === 'SUCCEEDED') {
        attemptMachine.assert(attempt.status, AttemptStatus.SUCCEEDED, 'system');
        payoutMachine.assert(payout.status, PayoutStatus.SUCCEEDED, actor);
        await this.ledger.settlePayout(tx, {
          ...parties,
          key: `payout:${payout.id}:settle:${attempt.number}`,
          payoutId: payout.id,
          provider: payout.provider,
          amount,
        });
        await tx.update(
          PayoutAttempt,
          { id: attempt.id },
          { status: AttemptStatus.SUCCEEDED, providerRef: outcome.providerRef ?? attempt.providerRef, finishedAt: now },
        );
        await tx.update(Payout, { id: payout.id }, { status: PayoutStatus.SUCCEEDED, succeededAt: now, failureReason: null });
        const data: PayoutSucceededData = {
          ...this.eventData(payout, attempt.number),
          providerRef: outcome.providerRef ?? attempt.providerRef,
          succeededAt: now.toISOString(),
        };
        await this.runtime.outbox.enqueue(tx, TOPICS.payment, {
          type: 'payout.succeeded',
          subject: payout.id,
          brandid: payout.brandId,
          data,
        });
        return true;
      }
      attemptMachine.assert(attempt.status, AttemptStatus.FAILED, 'system');
      payoutMachine.assert(payout.status, PayoutStatus.FAILED, actor);
      const reason = (outcome.failureReason ?? 'the provider refused it').slice(0, MAX_NOTE);
      await this.ledger.failPayout(tx, {
        ...parties,
        key: `payout:${payout.id}:fail:${attempt.number}`,
        payoutId: payout.id,
        provider: payout.provider,
        amount,
      });
      const delayMs = outcome.retryable ? retryDelayMs(attempt.number, this.settings.retry) : null;
      const nextRetryAt = delayMs === null ? null : new Date(now.getTime() + delayMs);
      await tx.update(
        PayoutAttempt,
        { id: attempt.id },
        { status: AttemptStatus.FAILED, failureReason: reason, retryable: outcome.retryable, finishedAt: now },
      );
      await tx.update(
        Payout,
        { id: payout.id },
        { status: PayoutStatus.FAILED, failureReason: reason, nextRetryAt, finalFailure: nextRetryAt === null },
      );
      await this.emitFailed(tx, payout, attempt.number, reason, nextRetryAt, now);
      return true;
    });
    this.runtime.onEventsCommitted?.();
    return applied;
  }

  private eventData(payout: Payout, attempt: number): PayoutEventData {
    return {
      payoutId: payout.id,
      partnershipId: payout.partnershipId,
      campaignId: payout.campaignId,
      brandId: payout.brandId,
      creatorId: payout.creatorId,
      amountMinor: payout.amountMinor,
      currency: payout.currency,
      reason: payout.reason,
      reference: payout.reference,
      provider: payout.provider,
      attempt,
    };
  }

  private async emitFailed(tx: EntityManager, payout: Payout, attempt: number, reason: string, nextRetryAt: Date | null, now: Date) {
    const data: PayoutFailedData = {
      ...this.eventData(payout, attempt),
      failureReason: reason,
      final: nextRetryAt === null,
      nextRetryAt: nextRetryAt?.toISOString() ?? null,
      failedAt: now.toISOString(),
    };
    await this.runtime.outbox.enqueue(tx, TOPICS.payment, { type: 'payout.failed', subject: payout.id, brandid: payout.brandId, data });
  }

  /**
   * Starts the next attempt of each failed payout whose retry is due (FAILED → PENDING: start posting,
   * attempt QUEUED), one payout per transaction, each checked again under its locks (another replica may
   * have started it). A retry the
   * ledger refuses (the money owed is no longer in the creator's payable) ends the payout as a final failure.
   */
  async startDueRetries(now = new Date(), limit = 50): Promise<number> {
    let started = 0;
    const due = (await this.runtime.dataSource.query(
      `SELECT id, partnership_id FROM payouts WHERE status = 'FAILED' AND next_retry_at <= $1 ORDER BY next_retry_at LIMIT $2`,
      [now, limit],
    )) as { id: string; partnership_id: string }[];
    for (const candidate of due) {
      const picked = await this.runtime.dataSource.transaction(async (tx) => {
        await lockPartnership(tx, candidate.partnership_id);
        const payout = await tx.getRepository(Payout).findOne({ where: { id: candidate.id }, lock: { mode: 'pessimistic_write' } });
        // Another replica may have started it meanwhile.
        if (!payout || payout.status !== PayoutStatus.FAILED || !payout.nextRetryAt || payout.nextRetryAt > now) return false;
        await this.startRetry(tx, payout, 'system');
        return true;
      });
      if (picked) started += 1;
    }
    this.runtime.onEventsCommitted?.();
    if (started > 0) this.wakeWorker();
    return started;
  }

  private async startRetry(tx: EntityManager, payout: Payout, actor: PayoutActor): Promise<void> {
    payoutMachine.assert(payout.status, PayoutStatus.PENDING, actor);
    const n = payout.attemptCount + 1;
    try {
      await tx.transaction((inner) => this.queueAttempt(inner, payout, n));
    } catch (err) {
      // Refused by the ledger: retrying would fail the same way, so the payout ends here, saying why.
      if (!(err instanceof AppError)) throw err;
      const reason =
        err.code === ErrorCode.INVALID_STATE
          ? 'the amount is no longer owed to the creator (a refund took it back), so it was not sent again'
          : 'the ledger refused to send it again';
      await tx.update(Payout, { id: payout.id }, { nextRetryAt: null, finalFailure: true, failureReason: reason });
      await this.emitFailed(tx, payout, payout.attemptCount, reason, null, new Date());
      return;
    }
    await tx.update(
      Payout,
      { id: payout.id },
      { status: PayoutStatus.PENDING, attemptCount: n, nextRetryAt: null, finalFailure: false, failureReason: null },
    );
  }

  /**
   * Attempts left SENDING longer than PAYMENTS_SENDING_TIMEOUT_MS (the process stopped mid-call, or the
   * outcome could not be written): the provider is asked by the attempt's key what became of it, and its
   * answer recorded; one it never received is a retryable failure. A provider that cannot answer now is
   * asked again next time.
   */
  async sweepStale(now = new Date(), limit = 20): Promise<number> {
    const before = new Date(now.getTime() - this.settings.sendingTimeoutMs);
    const stale = (await this.runtime.dataSource.query(
      `SELECT id, provider, provider_key FROM payout_attempts WHERE status = 'SENDING' AND sent_at < $1 ORDER BY sent_at LIMIT $2`,
      [before, limit],
    )) as { id: string; provider: string; provider_key: string }[];
    let settled = 0;
    for (const attempt of stale) {
      let outcome: ProviderOutcome | null;
      try {
        outcome = await this.provider(attempt.provider).lookup(attempt.provider_key);
      } catch (err) {
        this.logger.warn({ err, attemptId: attempt.id }, 'the payout provider could not say what became of an attempt; asking again later');
        continue;
      }
      outcome ??= {
        status: 'FAILED',
        providerRef: null,
        failureReason: 'the provider never received it (the call was cut off)',
        retryable: true,
      };
      if (await this.recordOutcome(attempt.id, outcome, 'system')) settled += 1;
    }
    return settled;
  }

  // ---- admins ----

  private async adminPayout(ctx: RequestContext, id: string): Promise<Payout> {
    if (!ctx.requireIdentity() || !ctx.isAdmin) throw forbidden('Only admins do this');
    const payout = isUuid(id) ? await ctx.dataSource.getRepository(Payout).findOneBy({ id: id.toLowerCase() }) : null;
    if (!payout) throw notFound('Payout', String(id).slice(0, 64));
    return payout;
  }

  /** The manual transfer's open attempt, or INVALID_STATE. */
  private async awaitingAttempt(ctx: RequestContext, payout: Payout): Promise<PayoutAttempt> {
    if (payout.provider !== 'manual') {
      throw invalidState('Only manual bank transfers are confirmed or failed by hand', {
        provider: payout.provider,
        status: payout.status,
      });
    }
    const attempt = await ctx.dataSource.getRepository(PayoutAttempt).findOneBy({ payoutId: payout.id, number: payout.attemptCount });
    if (!attempt || attempt.status !== AttemptStatus.AWAITING_CONFIRMATION) {
      throw invalidState(`This payout is ${payout.status}: there is no transfer waiting for confirmation`, {
        status: payout.status,
        attemptStatus: attempt?.status ?? null,
      });
    }
    return attempt;
  }

  /** An admin confirms a manual bank transfer was made, with the bank's reference: SUCCEEDED. */
  async confirmManual(ctx: RequestContext, id: string, reference: string): Promise<Payout> {
    const payout = await this.adminPayout(ctx, id);
    const problems = ctx.inputProblems();
    const ref = problems.check(() => note(reference, 'reference'));
    problems.throwIfAny();
    const attempt = await this.awaitingAttempt(ctx, payout);
    await this.recordOutcome(attempt.id, { status: 'SUCCEEDED', providerRef: ref!, failureReason: null, retryable: false }, 'admin', true);
    return ctx.dataSource.getRepository(Payout).findOneByOrFail({ id: payout.id });
  }

  /** An admin records that a manual bank transfer failed: FAILED, final (an admin may retry it). */
  async failManual(ctx: RequestContext, id: string, reason: string): Promise<Payout> {
    const payout = await this.adminPayout(ctx, id);
    const problems = ctx.inputProblems();
    const why = problems.check(() => note(reason, 'reason'));
    problems.throwIfAny();
    const attempt = await this.awaitingAttempt(ctx, payout);
    await this.recordOutcome(attempt.id, { status: 'FAILED', providerRef: null, failureReason: why!, retryable: false }, 'admin', true);
    return ctx.dataSource.getRepository(Payout).findOneByOrFail({ id: payout.id });
  }

  /** An admin starts a new attempt of a failed payout now (a final failure included). */
  async retry(ctx: RequestContext, id: string): Promise<Payout> {
    const found = await this.adminPayout(ctx, id);
    await ctx.transaction(async (tx) => {
      await lockPartnership(tx, found.partnershipId);
      const payout = await tx.getRepository(Payout).findOne({ where: { id: found.id }, lock: { mode: 'pessimistic_write' } });
      await this.startRetry(tx, payout!, 'admin');
    });
    this.wakeWorker();
    return ctx.dataSource.getRepository(Payout).findOneByOrFail({ id: found.id });
  }

  /**
   * An admin records that a succeeded payout's money came back (a bank returned it): REVERSED, the money
   * owed to the creator again (paid → payable), payout.reversed.
   */
  async reverse(ctx: RequestContext, id: string, reason: string): Promise<Payout> {
    const found = await this.adminPayout(ctx, id);
    const problems = ctx.inputProblems();
    const why = problems.check(() => note(reason, 'reason'));
    problems.throwIfAny();
    await ctx.transaction(async (tx) => {
      await lockPartnership(tx, found.partnershipId);
      const payout = (await tx.getRepository(Payout).findOne({ where: { id: found.id }, lock: { mode: 'pessimistic_write' } }))!;
      payoutMachine.assert(payout.status, PayoutStatus.REVERSED, 'admin');
      await this.ledger.reversePayout(tx, {
        partnershipId: payout.partnershipId,
        campaignId: payout.campaignId,
        brandId: payout.brandId,
        creatorId: payout.creatorId,
        key: `payout:${payout.id}:reverse`,
        payoutId: payout.id,
        amount: Money.of(payout.amountMinor, payout.currency),
      });
      const now = new Date();
      await tx.update(Payout, { id: payout.id }, { status: PayoutStatus.REVERSED, reversedAt: now, reversalReason: why! });
      const data: PayoutReversedData = {
        ...this.eventData(payout, payout.attemptCount),
        reversalReason: why!,
        reversedAt: now.toISOString(),
      };
      await ctx.emit(tx, TOPICS.payment, { type: 'payout.reversed', subject: payout.id, brandid: payout.brandId, data });
    });
    return ctx.dataSource.getRepository(Payout).findOneByOrFail({ id: found.id });
  }
}
