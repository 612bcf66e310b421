import { conflict, createEvent, SubgraphRuntime } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { eventually, publishRawEvent, TEST_KAFKA_BROKERS, testTopicPrefix, TestSubgraph } from '@influenceflow/kit/testing';
import type { DataSource, EntityManager } from 'typeorm';
import type { LedgerPostings } from '../src/ledger/postings';
import type { PayoutRequest, PayoutRequests } from '../src/payouts/payout-requests';
import { paymentsSubgraph } from '../src/schema';
import { paymentsServices } from '../src/services';

/**
 * A PayoutRequests that does what the seam promises and records every call in the database
 * (test_payout_requests): it accrues the amount (except commission, which compensation accrued per order),
 * and keeps one payout per key (same key and request → replayed, other parameters → CONFLICT). It keeps
 * compensation's tests about compensation: no provider, no worker, nothing moving after the event;
 * compensation-payouts.test.ts runs the same path through the real payouts and the simulated provider.
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
    if (r.reason !== 'COMMISSION') await this.ledger().accrue(tx, { ...r, key: r.idempotencyKey, kind: r.reason });
    const [row] = (await tx.query(
      `INSERT INTO test_payout_requests (idempotency_key, partnership_id, amount_minor, currency, reason, reference)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING payout_id`,
      [r.idempotencyKey, r.partnershipId, r.amount.amountMinor, r.amount.currency, r.reason, r.reference],
    )) as { payout_id: string }[];
    return { payoutId: row.payout_id, replayed: false };
  }
}

/** The payments subgraph with the real ledger and the recording payouts above. */
export function compensationTestModule(holder: { ledger?: LedgerPostings; payouts?: RecordingPayouts }) {
  return {
    ...paymentsSubgraph,
    // Tests pay what awaits funding themselves (retryAwaiting), never a timer.
    background: () => [],
    services: (runtime: SubgraphRuntime) => {
      holder.payouts = new RecordingPayouts(() => holder.ledger!);
      const services = paymentsServices(runtime, undefined, undefined, { payouts: holder.payouts });
      holder.ledger = services.ledger;
      return services;
    },
  };
}

/**
 * Publishes an event straight to Kafka (`times` copies of the same envelope: a redelivery) and waits until
 * payments' `consumer` (default: compensation's) applied it.
 */
export async function deliver(
  sub: TestSubgraph,
  topic: (typeof TOPICS)[keyof typeof TOPICS],
  type: string,
  subject: string,
  data: unknown,
  options: { times?: number; source?: string; brandid?: string; consumer?: string } = {},
): Promise<string> {
  const event = createEvent(options.source ?? 'analytics', { type, subject, data, brandid: options.brandid });
  await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${topic}`, event, options.times ?? 1);
  await eventually(
    async () =>
      (
        await sub.runtime.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1 AND consumer = $2`, [
          event.id,
          options.consumer ?? 'payments.compensation',
        ])
      ).length > 0,
    60_000,
    `${type} to be applied`,
  );
  return event.id;
}
