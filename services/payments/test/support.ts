import { conflict, createEvent, Money, SubgraphRuntime } from '@influenceflow/kit';
import {
  CampaignEventData,
  ContractCompensationData,
  ContractExecutedData,
  ContractMilestoneData,
  DeliverableEventData,
  OrderAttributedData,
  OrderRefundedData,
  PartnershipEventData,
  PartnershipPartiesData,
  TOPICS,
} from '@influenceflow/vocabulary';
import {
  eventually,
  GraphQLResponse,
  publishRawEvent,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import type { DataSource, EntityManager } from 'typeorm';
import type { LedgerPostings, PartnershipParties } from '../src/ledger/postings';
import type { PayoutRequest, PayoutRequests } from '../src/payouts/payout-requests';
import { paymentsSubgraph } from '../src/schema';
import { PaymentsServices, paymentsServices } from '../src/services';

/**
 * What the payments tests share: ids, the events other services publish (built with their defaults and
 * published to the real Kafka), partnerships under an executed contract, funded escrows, a recording
 * PayoutRequests, and reading responses. Each file keeps its own scenarios; the fixtures are here, once.
 */

// ---- ids, responses, the database -------------------------------------------------------------------

/** A file's own ids: `idsOf('8e15')(7)` is `00000000-0000-4000-8e15-000000000007`; each file takes its own tag. */
export const idsOf =
  (tag: string) =>
  (n: number): string =>
    `00000000-0000-4000-${tag}-${String(n).padStart(12, '0')}`;

/** The four parties of a partnership (what every payments event and posting names). */
export type Parties = PartnershipParties;

/** The first error's code and field. */
export const codeOf = (r: GraphQLResponse<unknown>) => r.errors?.[0]?.extensions?.code;
export const fieldOf = (r: GraphQLResponse<unknown>) => r.errors?.[0]?.extensions?.field;

/** The data of a response that must have no errors. */
export function ok<T>(r: GraphQLResponse<T>): T {
  expect(r.errors).toBeUndefined();
  return r.data!;
}

/** A query on the subgraph's database. */
export const sqlOf =
  (sub: () => TestSubgraph) =>
  <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> =>
    sub().runtime.dataSource.query(sql, params) as Promise<T[]>;

// ---- the events other services publish --------------------------------------------------------------

/** campaign.* data (campaign's) with the defaults of a USD campaign. */
export function campaignData(
  campaignId: string,
  brandId: string,
  status: string,
  over: Partial<CampaignEventData> = {},
): CampaignEventData {
  return {
    campaignId,
    brandId,
    name: 'Spring run',
    status,
    previousStatus: null,
    goalType: 'sales',
    goalTarget: 100,
    budgetMinor: 1_000_000,
    currency: 'USD',
    startsOn: '2027-03-01',
    endsOn: '2027-03-31',
    ...over,
  };
}

/** The names partnership events carry (campaign's `parties`). */
export function partiesData(over: Partial<PartnershipPartiesData> = {}): PartnershipPartiesData {
  return {
    brandName: 'Northwind Outdoor',
    creatorName: 'Tess Walker',
    creatorHandle: 'tess.trails',
    campaignName: 'Spring run',
    campaignStartsOn: '2027-03-01',
    campaignEndsOn: '2027-03-31',
    ...over,
  };
}

/** partnership.* data (campaign's): accepted, USD, 10 % commission, no names unless `over.parties`. */
export function partnershipData(p: Parties, over: Partial<PartnershipEventData> = {}): PartnershipEventData {
  return {
    ...p,
    status: 'accepted',
    previousStatus: 'invited',
    lengthMonths: null,
    deliverables: [],
    fee: { amountMinor: 100_000, currency: 'USD' },
    commissionPercent: 10,
    briefVersion: 1,
    reason: null,
    ...over,
  };
}

/** A milestone of contract.executed. */
export const milestoneData = (
  index: number,
  trigger: ContractMilestoneData['trigger'],
  amountMinor: number,
  deliverableIndex: number | null = null,
  label = `Milestone ${index + 1}`,
): ContractMilestoneData => ({ index, label, amountMinor, sharePercent: null, trigger, deliverableIndex });

/** contract.executed data (contracts'): version 1 in USD, no milestones, a plan that pays nothing unless `over.compensation` says. */
export function executedData(
  p: Parties,
  contractId: string,
  over: Omit<Partial<ContractExecutedData>, 'compensation'> & { compensation?: Partial<ContractCompensationData> } = {},
): ContractExecutedData {
  const { compensation, ...rest } = over;
  const currency = rest.currency ?? 'USD';
  return {
    contractId,
    ...p,
    executedAt: new Date().toISOString(),
    version: 1,
    amends: null,
    documentSha256: 'a'.repeat(64),
    currency,
    deliverables: [],
    lengthMonths: null,
    milestones: [],
    ...rest,
    compensation: { currency, flatFeeMinor: null, commissionPercent: null, bonus: null, product: null, ...compensation },
  };
}

/** deliverable.posted data (campaign's). */
export function postedData(
  p: Parties,
  deliverableId: string,
  sequence: number,
  platform = 'instagram',
  format = 'reel',
  over: Partial<DeliverableEventData> = {},
): DeliverableEventData {
  return {
    deliverableId,
    ...p,
    sequence,
    platform,
    format,
    dueOn: '2027-03-10',
    status: 'posted',
    previousStatus: 'approved',
    postUrl: `https://www.instagram.com/p/${deliverableId.slice(-6)}`,
    draftVersion: null,
    ugcReuseAllowed: false,
    flagReason: null,
    ...over,
  };
}

/** order.attributed data (analytics'), USD, by discount code. */
export function orderData(p: Parties, orderId: string, amountMinor: number, over: Partial<OrderAttributedData> = {}): OrderAttributedData {
  return {
    orderId,
    ...p,
    amountMinor,
    currency: 'USD',
    via: 'discount_code',
    discountCode: 'TESS10',
    link: null,
    orderedAt: new Date().toISOString(),
    attributedAt: new Date().toISOString(),
    ...over,
  };
}

/** order.refunded data (analytics'), USD. */
export function refundData(p: Parties, refundId: string, orderId: string, amountMinor: number, currency = 'USD'): OrderRefundedData {
  return { refundId, orderId, ...p, amountMinor, currency, refundedAt: new Date().toISOString() };
}

/** Publishes an event straight to the test Kafka (`times` copies of the same envelope: a redelivery); its id. */
export async function publish(
  topic: (typeof TOPICS)[keyof typeof TOPICS],
  type: string,
  subject: string,
  data: unknown,
  options: { times?: number; source?: string; brandid?: string } = {},
): Promise<string> {
  const event = createEvent(options.source ?? 'analytics', { type, subject, data, brandid: options.brandid });
  await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${topic}`, event, options.times ?? 1);
  return event.id;
}

// ---- partnerships and escrows ----------------------------------------------------------------------------

/** Moves money into a campaign's escrow through the ledger (no permission check: the tests' own funding). */
export function fundEscrow(
  sub: TestSubgraph<PaymentsServices>,
  p: Pick<Parties, 'brandId' | 'campaignId'>,
  amountMinor: number,
  currency: string,
  key = `fund:${p.campaignId}`,
  ledger: LedgerPostings = sub.services.ledger,
) {
  return sub.runtime.dataSource.transaction((tx) =>
    ledger.fundCampaign(tx, { key, brandId: p.brandId, campaignId: p.campaignId, amount: Money.of(amountMinor, currency) }),
  );
}

/**
 * A partnership under an executed contract whose plan pays nothing by itself (paid by createPayout and the
 * seam): contract.executed through the real inbox, then, with `fundedMinor`, its escrow funded.
 */
export async function executedPartnership(
  sub: TestSubgraph<PaymentsServices>,
  p: Parties,
  contractId: string,
  currency: string,
  fundedMinor = 0,
): Promise<Parties> {
  const data = executedData(p, contractId, { currency });
  await publish(TOPICS.contract, 'contract.executed', contractId, data, { source: 'contracts', brandid: p.brandId });
  await eventually(
    async () => (await sub.runtime.dataSource.query(`SELECT 1 FROM comp_plans WHERE partnership_id = $1`, [p.partnershipId])).length === 1,
    30_000,
    'the partnership copy',
  );
  if (fundedMinor > 0) await fundEscrow(sub, p, fundedMinor, currency);
  return p;
}

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

// ---- compensation without payouts ----------------------------------------------------------------------

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
  const eventId = await publish(topic, type, subject, data, options);
  await eventually(
    async () =>
      (
        await sub.runtime.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1 AND consumer = $2`, [
          eventId,
          options.consumer ?? 'payments.compensation',
        ])
      ).length > 0,
    60_000,
    `${type} to be applied`,
  );
  return eventId;
}
