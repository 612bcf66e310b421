import { conflict, createEvent, invalidState, Money, SubgraphRuntime } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { eventually, publishRawEvent, TEST_KAFKA_BROKERS, testTopicPrefix, TestSubgraph } from '@influenceflow/kit/testing';
import type { DataSource, EntityManager } from 'typeorm';
import type { LedgerPostings } from '../src/ledger/postings';
import type { PayoutRequest, PayoutRequests } from '../src/payouts/payout-requests';
import { paymentsSubgraph } from '../src/schema';
import { paymentsServices, PaymentsServices } from '../src/services';

/**
 * Until payouts (P2) land: a PayoutRequests that does what the seam promises and records every call in the
 * database (test_payout_requests): it accrues the amount (except commission, which compensation accrued per
 * order), and keeps one payout per key (same key and request → replayed, other parameters → CONFLICT).
 */
export class RecordingPayouts implements PayoutRequests {
  constructor(private readonly ledger: () => LedgerPostings) {}

  static async prepare(db: DataSource): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS test_payout_requests (
      idempotency_key text PRIMARY KEY, payout_id uuid NOT NULL DEFAULT gen_random_uuid(), partnership_id uuid NOT NULL,
      amount_minor bigint NOT NULL, currency char(3) NOT NULL, reason text NOT NULL, reference text, seq bigserial)`);
  }

  async request(tx: EntityManager, r: PayoutRequest): Promise<{ payoutId: string; replayed: boolean }> {
    const [existing] = (await tx.query(`SELECT * FROM test_payout_requests WHERE idempotency_key = $1`, [r.idempotencyKey])) as {
      payout_id: string;
      amount_minor: string;
      currency: string;
      reason: string;
    }[];
    if (existing) {
      if (Number(existing.amount_minor) === r.amount.amountMinor && existing.currency === r.amount.currency && existing.reason === r.reason)
        return { payoutId: existing.payout_id, replayed: true };
      throw conflict('this idempotency key was used with other parameters', 'idempotencyKey');
    }
    if (r.reason !== 'COMMISSION') await this.ledger().accrue(tx, { ...r, key: `accrual:${r.idempotencyKey}`, kind: r.reason });
    const [row] = (await tx.query(
      `INSERT INTO test_payout_requests (idempotency_key, partnership_id, amount_minor, currency, reason, reference)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING payout_id`,
      [r.idempotencyKey, r.partnershipId, r.amount.amountMinor, r.amount.currency, r.reason, r.reference],
    )) as { payout_id: string }[];
    return { payoutId: row.payout_id, replayed: false };
  }
}

/**
 * Until the ledger (P1) lands: the postings compensation uses, on two tables, with the seam's rules (one
 * transfer per key, CONFLICT on another amount, the escrow and the payable never below zero).
 */
export class TestLedger implements LedgerPostings {
  static async prepare(db: DataSource): Promise<void> {
    await db.query(
      `CREATE TABLE IF NOT EXISTS test_transfers (key text PRIMARY KEY, debit text NOT NULL, credit text NOT NULL, amount bigint NOT NULL)`,
    );
    await db.query(`CREATE TABLE IF NOT EXISTS test_balances (account text PRIMARY KEY, balance bigint NOT NULL)`);
  }

  private async post(tx: EntityManager, key: string, debit: string, credit: string, amount: Money, protectedDebit: string | null) {
    if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) throw invalidState('amount must be above 0');
    const [existing] = (await tx.query(`SELECT * FROM test_transfers WHERE key = $1`, [key])) as {
      debit: string;
      credit: string;
      amount: string;
    }[];
    if (existing) {
      if (existing.debit === debit && existing.credit === credit && Number(existing.amount) === amount.amountMinor)
        return { transferId: key, replayed: true };
      throw conflict('this key was used for another transfer', 'key');
    }
    const d = `${debit}:${amount.currency}`;
    const c = `${credit}:${amount.currency}`;
    const [row] = (await tx.query(`SELECT balance FROM test_balances WHERE account = $1 FOR UPDATE`, [d])) as { balance: string }[];
    if (protectedDebit && Number(row?.balance ?? 0) < amount.amountMinor)
      throw invalidState('not enough money', { reason: protectedDebit });
    await tx.query(`INSERT INTO test_transfers (key, debit, credit, amount) VALUES ($1, $2, $3, $4)`, [
      key,
      debit,
      credit,
      amount.amountMinor,
    ]);
    for (const [account, delta] of [
      [d, -amount.amountMinor],
      [c, amount.amountMinor],
    ] as const)
      await tx.query(
        `INSERT INTO test_balances (account, balance) VALUES ($1, $2) ON CONFLICT (account) DO UPDATE SET balance = test_balances.balance + $2`,
        [account, delta],
      );
    return { transferId: key, replayed: false };
  }

  fundCampaign: LedgerPostings['fundCampaign'] = (tx, p) =>
    this.post(tx, p.key, `BRAND_FUNDING/${p.brandId}`, `CAMPAIGN_ESCROW/${p.campaignId}`, p.amount, null);
  accrue: LedgerPostings['accrue'] = (tx, p) =>
    this.post(tx, p.key, `CAMPAIGN_ESCROW/${p.campaignId}`, `CREATOR_PAYABLE/${p.partnershipId}`, p.amount, 'INSUFFICIENT_FUNDS');
  reverseAccrual: LedgerPostings['reverseAccrual'] = (tx, p) =>
    this.post(tx, p.key, `CREATOR_PAYABLE/${p.partnershipId}`, `CAMPAIGN_ESCROW/${p.campaignId}`, p.amount, 'INSUFFICIENT_BALANCE');
  recordProductValue: LedgerPostings['recordProductValue'] = (tx, p) =>
    this.post(tx, p.key, `PRODUCT_VALUE_GIVEN/${p.brandId}`, `PRODUCT_VALUE_MEMO/${p.partnershipId}`, p.amount, null);
  async balanceOf(tx: EntityManager, a: { type: string; ownerId: string; currency: string }): Promise<number> {
    const [row] = (await tx.query(`SELECT balance FROM test_balances WHERE account = $1`, [`${a.type}/${a.ownerId}:${a.currency}`])) as {
      balance: string;
    }[];
    return Number(row?.balance ?? 0);
  }
  private unused = (): never => {
    throw new Error('not used by compensation');
  };
  startPayout = this.unused;
  settlePayout = this.unused;
  failPayout = this.unused;
  reversePayout = this.unused;
  returnEscrow = this.unused;
}

export type CompensationTestSubgraph = TestSubgraph<PaymentsServices> & { ledger: LedgerPostings; payouts: RecordingPayouts };

/** The payments subgraph with the seams above. */
export function compensationTestModule(holder: { ledger?: LedgerPostings; payouts?: RecordingPayouts }) {
  return {
    ...paymentsSubgraph,
    // Tests pay what awaits funding themselves (retryAwaiting), never a timer.
    background: () => [],
    services: (runtime: SubgraphRuntime) => {
      holder.ledger = new TestLedger();
      holder.payouts = new RecordingPayouts(() => holder.ledger!);
      return paymentsServices(runtime, { ledger: holder.ledger, payouts: holder.payouts });
    },
  };
}

/** Publishes an event straight to Kafka (`times` copies of the same envelope: a redelivery) and waits until payments applied it. */
export async function deliver(
  sub: TestSubgraph,
  topic: (typeof TOPICS)[keyof typeof TOPICS],
  type: string,
  subject: string,
  data: unknown,
  options: { times?: number; source?: string; brandid?: string } = {},
): Promise<string> {
  const event = createEvent(options.source ?? 'analytics', { type, subject, data, brandid: options.brandid });
  await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${topic}`, event, options.times ?? 1);
  await eventually(
    async () => (await sub.runtime.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [event.id])).length > 0,
    60_000,
    `${type} to be applied`,
  );
  return event.id;
}
