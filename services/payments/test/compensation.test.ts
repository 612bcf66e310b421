import { Money } from '@influenceflow/kit';
import { ContractExecutedData, ContractTerminatedData, OrderAttributedData, TOPICS } from '@influenceflow/vocabulary';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { LedgerPostings } from '../src/ledger/postings';
import type { PaymentsServices } from '../src/services';
import {
  campaignData,
  compensationTestModule,
  deliver,
  executedData,
  idsOf,
  milestoneData as milestone,
  orderData as order,
  Parties,
  partnershipData,
  postedData as posted,
  RecordingPayouts,
  refundData as refund,
  sqlOf,
} from './support';

const id = idsOf('8f14');
const BRAND = id(1);
const CREATOR = id(2);
const OTHER_CREATOR = id(3);

const parties = (n: number): Parties => ({ partnershipId: id(100 + n), campaignId: id(200 + n), brandId: BRAND, creatorId: CREATOR });

const DELIVERABLES = [
  { platform: 'instagram', format: 'reel', count: 2, dueOn: '2027-03-10' },
  { platform: 'tiktok', format: 'video', count: 1, dueOn: '2027-03-05' },
];

/** This file's contracts list the partnerships' two deliverables unless they say otherwise. */
const executed = (p: Parties, contractId: string, over: Parameters<typeof executedData>[2] = {}): ContractExecutedData =>
  executedData(p, contractId, { deliverables: DELIVERABLES, ...over });

describe('compensation: plans, milestones and commission from the events', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const seams: { ledger?: LedgerPostings; payouts?: RecordingPayouts } = {};
  const db = sqlOf(() => sub);

  const fund = (p: Parties, amountMinor: number, key: string) =>
    sub.runtime.dataSource.transaction((tx) =>
      seams.ledger!.fundCampaign(tx, { key, brandId: p.brandId, campaignId: p.campaignId, amount: Money.of(amountMinor, 'USD') }),
    );
  const balance = (type: string, ownerId: string) =>
    sub.runtime.dataSource.transaction((tx) => seams.ledger!.balanceOf(tx, { type, ownerId, currency: 'USD' }));
  const milestones = (contractId: string) =>
    db<{ idx: number; status: string; amount: string; credit: string; awaiting: string | null; payout_id: string | null }>(
      `SELECT idx, status, amount_minor::text AS amount, credit_minor::text AS credit, awaiting, payout_id FROM comp_milestones WHERE contract_id = $1 ORDER BY idx`,
      [contractId],
    );
  const statuses = async (contractId: string) => (await milestones(contractId)).map((m) => m.status);
  const payoutRequests = (partnershipId: string) =>
    db<{ idempotency_key: string; amount: string; reason: string }>(
      `SELECT idempotency_key, amount_minor::text AS amount, reason FROM test_payout_requests WHERE partnership_id = $1 ORDER BY seq`,
      [partnershipId],
    );
  const partnershipAccepted = (p: Parties) => partnershipData(p, { deliverables: DELIVERABLES });

  beforeAll(async () => {
    sub = await startTestSubgraph(compensationTestModule(seams));
    await RecordingPayouts.prepare(sub.runtime.dataSource);
  });
  afterAll(() => sub?.close());

  const main = parties(1);
  const C1 = id(301);

  it('makes one plan of a contract.executed delivered twice, and pays ON_EXECUTION at once', async () => {
    await deliver(sub, TOPICS.campaign, 'partnership.accepted', main.partnershipId, partnershipAccepted(main), { source: 'campaign' });
    await fund(main, 200_000, 'fund:main:1');
    const data = executed(main, C1, {
      compensation: {
        flatFeeMinor: 100_000,
        commissionPercent: 10,
        bonus: { metric: 'attributed orders', threshold: 2, amountMinor: 20_000 },
        product: { description: 'Trail shoes', declaredValueMinor: 15_000 },
      },
      milestones: [
        milestone(0, 'ON_EXECUTION', 40_000),
        milestone(1, 'ON_DELIVERABLE_POSTED', 30_000, 0),
        milestone(2, 'ON_CAMPAIGN_END', 30_000),
        milestone(3, 'ON_BONUS_THRESHOLD', 20_000),
      ],
    });
    await deliver(sub, TOPICS.contract, 'contract.executed', C1, data, { times: 2, source: 'contracts' });
    // A copy of the same execution under another event id changes nothing either (the plan's unique contract).
    await deliver(sub, TOPICS.contract, 'contract.executed', C1, data, { source: 'contracts' });

    expect(await db(`SELECT status, version FROM comp_plans WHERE partnership_id = $1`, [main.partnershipId])).toEqual([
      { status: 'ACTIVE', version: 1 },
    ]);
    expect(await statuses(C1)).toEqual(['PAID', 'PENDING', 'PENDING', 'PENDING']);
    const [m0] = await milestones(C1);
    expect(await payoutRequests(main.partnershipId)).toEqual([
      {
        idempotency_key: `milestone:${(await db<{ id: string }>(`SELECT id FROM comp_milestones WHERE contract_id = $1 AND idx = 0`, [C1]))[0].id}`,
        amount: '40000',
        reason: 'MILESTONE',
      },
    ]);
    expect(m0.payout_id).toEqual(expect.any(String));
    expect(await balance('CAMPAIGN_ESCROW', main.campaignId)).toBe(160_000);
    expect(await balance('CREATOR_PAYABLE', main.partnershipId)).toBe(40_000);
    // The product given in kind, for the creator's statement.
    expect(await balance('PRODUCT_VALUE_MEMO', main.partnershipId)).toBe(15_000);
    const due = await db<{ envelope: { data: Record<string, unknown> } }>(
      `SELECT envelope FROM outbox WHERE type = 'milestone.due' AND key = $1`,
      [main.partnershipId],
    );
    expect(due.map((e) => e.envelope.data)).toEqual([
      expect.objectContaining({ contractId: C1, index: 0, trigger: 'ON_EXECUTION', amountMinor: 40_000, currency: 'USD', brandId: BRAND }),
    ]);
  });

  it('pays a deliverable milestone when the last post of that deliverable arrives, once', async () => {
    // Sequence 1 is the TikTok video (due first), 2 and 3 the two reels of deliverable 0.
    await deliver(sub, TOPICS.campaign, 'deliverable.posted', id(401), posted(main, id(401), 1, 'tiktok', 'video'), { source: 'campaign' });
    await deliver(sub, TOPICS.campaign, 'deliverable.posted', id(402), posted(main, id(402), 2, 'instagram', 'reel'), {
      source: 'campaign',
    });
    expect((await statuses(C1))[1]).toBe('PENDING');
    await deliver(sub, TOPICS.campaign, 'deliverable.posted', id(403), posted(main, id(403), 3, 'instagram', 'reel'), {
      source: 'campaign',
      times: 2,
    });
    expect((await statuses(C1))[1]).toBe('PAID');
    // The same post again (another event id) is no second payment.
    await deliver(sub, TOPICS.campaign, 'deliverable.posted', id(403), posted(main, id(403), 3, 'instagram', 'reel'), {
      source: 'campaign',
    });
    expect((await payoutRequests(main.partnershipId)).map((r) => [r.amount, r.reason])).toEqual([
      ['40000', 'MILESTONE'],
      ['30000', 'MILESTONE'],
    ]);
  });

  it('accrues commission per order (floor of 10 %), pays the bonus at its threshold, reverses refunds and refuses one larger than the order', async () => {
    const [o1, o2] = [id(501), id(502)];
    await deliver(sub, TOPICS.conversion, 'order.attributed', main.partnershipId, order(main, o1, 12_345), { times: 2 });
    expect(await balance('CREATOR_PAYABLE', main.partnershipId)).toBe(70_000 + 1_234);
    expect((await statuses(C1))[3]).toBe('PENDING');
    await deliver(sub, TOPICS.conversion, 'order.attributed', main.partnershipId, order(main, o2, 10_000));
    // Two attributed orders: the bonus threshold ("attributed orders" ≥ 2).
    expect((await statuses(C1))[3]).toBe('PAID');
    expect((await payoutRequests(main.partnershipId)).at(-1)).toMatchObject({ amount: '20000', reason: 'BONUS' });
    expect(await balance('CREATOR_PAYABLE', main.partnershipId)).toBe(90_000 + 1_234 + 1_000);

    // 5,000 of order 1 refunded: its commission goes from 1,234 to floor(7,345 × 10 %) = 734.
    await deliver(sub, TOPICS.conversion, 'order.refunded', main.partnershipId, refund(main, id(601), o1, 5_000));
    expect(await balance('CREATOR_PAYABLE', main.partnershipId)).toBe(90_000 + 734 + 1_000);
    const escrow = await balance('CAMPAIGN_ESCROW', main.campaignId);
    // 8,000 is more than the 7,345 left of it: refused, recorded with its reason, the ledger untouched.
    await deliver(sub, TOPICS.conversion, 'order.refunded', main.partnershipId, refund(main, id(602), o1, 8_000));
    expect(await db(`SELECT status, reason FROM comp_refunds WHERE refund_id = $1`, [id(602)])).toEqual([
      { status: 'REJECTED', reason: expect.stringContaining('larger than what is left of the order') },
    ]);
    expect(await balance('CAMPAIGN_ESCROW', main.campaignId)).toBe(escrow);
    expect(await balance('CREATOR_PAYABLE', main.partnershipId)).toBe(90_000 + 734 + 1_000);
    expect(await db(`SELECT refunded_minor::int AS refunded FROM comp_orders WHERE order_id = $1`, [o1])).toEqual([{ refunded: 5_000 }]);
  });

  it('on campaign end pays ON_CAMPAIGN_END and the commission; a refund after payout becomes a clawback later commission fills', async () => {
    const completed = campaignData(main.campaignId, BRAND, 'completed', { previousStatus: 'active', budgetMinor: 200_000 });
    // The ledger's funding runs compensation's end of campaign before the escrow returns.
    await deliver(sub, TOPICS.campaign, 'campaign.completed', main.campaignId, completed, {
      source: 'campaign',
      consumer: 'payments.ledger-campaigns',
    });
    expect(await statuses(C1)).toEqual(['PAID', 'PAID', 'PAID', 'PAID']);
    expect((await payoutRequests(main.partnershipId)).slice(-2)).toEqual([
      expect.objectContaining({ amount: '30000', reason: 'MILESTONE' }),
      { idempotency_key: `commission:${main.partnershipId}:1`, amount: '1734', reason: 'COMMISSION' },
    ]);
    // Order 2 refunded in full after its commission was paid out: 1,000 cannot come back from the creator.
    const payable = await balance('CREATOR_PAYABLE', main.partnershipId);
    await deliver(sub, TOPICS.conversion, 'order.refunded', main.partnershipId, refund(main, id(603), id(502), 10_000));
    expect(await balance('CREATOR_PAYABLE', main.partnershipId)).toBe(payable);
    const [copy] = await db<{ earned: number; accrued: number; paid: number }>(
      `SELECT commission_earned_minor::int AS earned, commission_accrued_minor::int AS accrued, commission_paid_out_minor::int AS paid FROM comp_partnerships WHERE id = $1`,
      [main.partnershipId],
    );
    expect(copy).toEqual({ earned: 734, accrued: 1_734, paid: 1_734 });
    // What was left in the escrow went back to the brand once the end was paid for.
    expect(await balance('CAMPAIGN_ESCROW', main.campaignId)).toBe(0);
    // 15,000 more sales earn 1,500: 1,000 fills the clawback and 500 is to accrue, but the escrow is empty: it waits.
    await deliver(sub, TOPICS.conversion, 'order.attributed', main.partnershipId, order(main, id(503), 15_000));
    expect(await payoutRequests(main.partnershipId)).toHaveLength(5);
    expect(await sub.services.compensation.retryAwaiting(sub.runtime.dataSource, main.campaignId)).toEqual({
      milestonesPaid: 0,
      commissionSynced: 0,
    });
    // Money comes back into the escrow (here the ledger's own posting; over the API a closed campaign takes what it owes:
    // compensation-late.test.ts):
    // the commission accrues and, the campaign having ended, is paid out at once.
    await fund(main, 500, 'fund:main:late');
    expect(await sub.services.compensation.retryAwaiting(sub.runtime.dataSource, main.campaignId)).toEqual({
      milestonesPaid: 0,
      commissionSynced: 1,
    });
    expect((await payoutRequests(main.partnershipId)).at(-1)).toEqual({
      idempotency_key: `commission:${main.partnershipId}:2`,
      amount: '500',
      reason: 'COMMISSION',
    });
  });

  it('shows the plan to the partnership’s creator, brand and analysts (no payout ids), and to no one else', async () => {
    const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Partnership { id compensation { version status currency flatFee { amountMinor } commissionPercent
        bonus { metric measuredAs threshold amount { amountMinor } } product { description declaredValue { amountMinor formatted } }
        milestones { index trigger status amount { amountMinor } payable { amountMinor } payoutId awaitingFunds }
        commission { orders earned { amountMinor } accrued { amountMinor } paidOut { amountMinor } clawback { amountMinor } awaitingFunds { amountMinor } } } }
      ... on Contract { id milestones { index status } } } }`;
    const reps = {
      reps: [
        { __typename: 'Partnership', id: main.partnershipId },
        { __typename: 'Contract', id: C1 },
      ],
    };
    type Milestone = { trigger: string; status: string; payoutId: string | null };
    type Result = {
      _entities: [{ compensation: { milestones: Milestone[]; [field: string]: unknown } | null }, { milestones: unknown[] | null }];
    };
    const asCreator = await sub.query<Result>(QUERY, reps, identities.creator(CREATOR));
    expect(asCreator.errors).toBeUndefined();
    const plan = asCreator.data!._entities[0].compensation!;
    expect(plan).toMatchObject({
      version: 1,
      status: 'ACTIVE',
      currency: 'USD',
      flatFee: { amountMinor: 100_000 },
      commissionPercent: 10,
      bonus: { metric: 'attributed orders', measuredAs: 'ATTRIBUTED_ORDERS', threshold: 2, amount: { amountMinor: 20_000 } },
      product: { description: 'Trail shoes', declaredValue: { amountMinor: 15_000, formatted: '$150.00' } },
      commission: {
        orders: 2,
        earned: { amountMinor: 2_234 },
        accrued: { amountMinor: 2_234 },
        paidOut: { amountMinor: 2_234 },
        clawback: { amountMinor: 0 },
      },
    });
    expect(plan.milestones.map((m) => [m.trigger, m.status])).toEqual([
      ['ON_EXECUTION', 'PAID'],
      ['ON_DELIVERABLE_POSTED', 'PAID'],
      ['ON_CAMPAIGN_END', 'PAID'],
      ['ON_BONUS_THRESHOLD', 'PAID'],
    ]);
    expect(plan.milestones.every((m) => typeof m.payoutId === 'string')).toBe(true);
    expect(asCreator.data!._entities[1].milestones).toHaveLength(4);

    const asBrand = await sub.query<Result>(QUERY, reps, identities.brandMember(BRAND));
    expect(asBrand.data!._entities[0].compensation!.milestones[0].payoutId).toEqual(expect.any(String));
    const asAnalyst = await sub.query<Result>(QUERY, reps, identities.analyst(BRAND));
    expect(asAnalyst.data!._entities[0].compensation).toMatchObject({
      flatFee: { amountMinor: 100_000 },
      commission: { paidOut: null, clawback: null },
    });
    expect(asAnalyst.data!._entities[0].compensation!.milestones.map((m) => m.payoutId)).toEqual([null, null, null, null]);
    for (const stranger of [identities.creator(OTHER_CREATOR), identities.brandMember(id(9)), identities.analyst(id(9)), null]) {
      const r = await sub.query<Result>(QUERY, reps, stranger);
      expect(r.errors).toBeUndefined();
      expect(r.data!._entities.map((e) => ('compensation' in e ? e.compensation : e.milestones))).toEqual([null, null]);
    }
  });

  it('keeps a milestone due while the escrow is short, pays it once funded; termination cancels what is still pending', async () => {
    const p = parties(2);
    const C2 = id(311);
    await deliver(
      sub,
      TOPICS.contract,
      'contract.executed',
      C2,
      executed(p, C2, {
        compensation: { flatFeeMinor: 100_000 },
        milestones: [milestone(0, 'ON_EXECUTION', 50_000), milestone(1, 'ON_CAMPAIGN_END', 50_000)],
      }),
      { source: 'contracts' },
    );
    expect((await milestones(C2))[0]).toMatchObject({ status: 'DUE', awaiting: 'INSUFFICIENT_FUNDS', payout_id: null });
    expect(await payoutRequests(p.partnershipId)).toEqual([]);
    expect(await db(`SELECT 1 FROM outbox WHERE type = 'milestone.due' AND key = $1`, [p.partnershipId])).toHaveLength(1);

    await fund(p, 60_000, 'fund:p2:1');
    expect(await sub.services.compensation.retryAwaiting(sub.runtime.dataSource, p.campaignId)).toEqual({
      milestonesPaid: 1,
      commissionSynced: 0,
    });
    expect((await milestones(C2))[0]).toMatchObject({ status: 'PAID', awaiting: null });
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(10_000);
    // Asked again: nothing waits any more.
    expect(await sub.services.compensation.retryAwaiting(sub.runtime.dataSource, p.campaignId)).toEqual({
      milestonesPaid: 0,
      commissionSynced: 0,
    });

    const terminated: ContractTerminatedData = {
      contractId: C2,
      ...p,
      version: 1,
      amends: null,
      status: 'terminated',
      previousStatus: 'executed',
      documentSha256: 'a'.repeat(64),
      reason: 'Brand safety',
      terminatedBy: 'brand',
      terminatedAt: new Date().toISOString(),
      endsPartnership: true,
    };
    await deliver(sub, TOPICS.contract, 'contract.terminated', C2, terminated, { source: 'contracts' });
    expect(await statuses(C2)).toEqual(['PAID', 'CANCELLED']);
    expect(await db(`SELECT status FROM comp_plans WHERE contract_id = $1`, [C2])).toEqual([{ status: 'TERMINATED' }]);
  });

  it('replaces an amended plan: paid milestones stay paid, the new ones pay only the difference, an excess is carried', async () => {
    const p = parties(3);
    const [v1, v2, v3] = [id(321), id(322), id(323)];
    await fund(p, 500_000, 'fund:p3:1');
    await deliver(
      sub,
      TOPICS.contract,
      'contract.executed',
      v1,
      executed(p, v1, {
        compensation: { flatFeeMinor: 100_000 },
        milestones: [milestone(0, 'ON_EXECUTION', 50_000), milestone(1, 'ON_DELIVERABLE_POSTED', 50_000, 0)],
      }),
      { source: 'contracts' },
    );
    await deliver(
      sub,
      TOPICS.contract,
      'contract.executed',
      v2,
      executed(p, v2, {
        version: 2,
        amends: v1,
        compensation: { flatFeeMinor: 100_000 },
        milestones: [milestone(0, 'ON_EXECUTION', 70_000), milestone(1, 'ON_DELIVERABLE_POSTED', 30_000, 0)],
      }),
      { source: 'contracts' },
    );
    expect(await statuses(v1)).toEqual(['PAID', 'REPLACED']);
    expect((await milestones(v2)).map((m) => [m.status, m.amount, m.credit])).toEqual([
      ['PAID', '70000', '50000'],
      ['PENDING', '30000', '0'],
    ]);
    expect((await payoutRequests(p.partnershipId)).map((r) => r.amount)).toEqual(['50000', '20000']);

    // v3 pays less on execution than was already paid: settled by the credit, no payout, the excess carried.
    await deliver(
      sub,
      TOPICS.contract,
      'contract.executed',
      v3,
      executed(p, v3, {
        version: 3,
        amends: v2,
        compensation: { flatFeeMinor: 100_000 },
        milestones: [milestone(0, 'ON_EXECUTION', 40_000), milestone(1, 'ON_CAMPAIGN_END', 60_000)],
      }),
      { source: 'contracts' },
    );
    expect((await milestones(v3)).map((m) => [m.status, m.credit, m.payout_id])).toEqual([
      ['PAID', '40000', null],
      ['PENDING', '0', null],
    ]);
    expect(await payoutRequests(p.partnershipId)).toHaveLength(2);
    expect(
      await db(`SELECT version, status, carried_credits FROM comp_plans WHERE partnership_id = $1 ORDER BY version`, [p.partnershipId]),
    ).toEqual([
      { version: 1, status: 'SUPERSEDED', carried_credits: {} },
      { version: 2, status: 'SUPERSEDED', carried_credits: {} },
      { version: 3, status: 'ACTIVE', carried_credits: { ON_EXECUTION: 30_000 } },
    ]);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(430_000);
  });

  it('rejects events with bad data clearly, writing nothing but the rejection', async () => {
    const p = parties(4);
    const C4 = id(331);
    await fund(p, 100_000, 'fund:p4:1');
    await deliver(
      sub,
      TOPICS.contract,
      'contract.executed',
      C4,
      executed(p, C4, { compensation: { flatFeeMinor: 10_000, commissionPercent: 5 }, milestones: [milestone(0, 'ON_EXECUTION', 10_000)] }),
      { source: 'contracts' },
    );
    const escrow = await balance('CAMPAIGN_ESCROW', p.campaignId);
    const bad: [Partial<OrderAttributedData>, string][] = [
      [{ amountMinor: -5 }, 'amountMinor must be a whole number of minor units'],
      [{ amountMinor: 12.5 }, 'amountMinor must be a whole number of minor units'],
      [{ currency: 'XYZ' }, 'currency must be an ISO 4217 currency code'],
      [{ currency: 'EUR' }, 'payments converts no currency'],
      [{ orderId: 'not-a-uuid' }, 'orderId must be a UUID'],
      [{ creatorId: OTHER_CREATOR }, "is not the partnership's"],
      [{ discountCode: 'A\u0000B' }, 'discountCode must be text'],
    ];
    for (const [over, reason] of bad) {
      const eventId = await deliver(sub, TOPICS.conversion, 'order.attributed', p.partnershipId, order(p, id(700), 1_000, over));
      expect(await db(`SELECT type, reason FROM comp_rejected_events WHERE event_id = $1`, [eventId])).toEqual([
        { type: 'order.attributed', reason: expect.stringContaining(reason) },
      ]);
    }
    const badContract = id(332);
    const rejected = await deliver(
      sub,
      TOPICS.contract,
      'contract.executed',
      badContract,
      executed(p, badContract, {
        version: 2,
        amends: C4,
        compensation: { flatFeeMinor: 10_000 },
        milestones: [milestone(0, 'ON_EXECUTION', 9_000)],
      }),
      { source: 'contracts' },
    );
    expect((await db<{ reason: string }>(`SELECT reason FROM comp_rejected_events WHERE event_id = $1`, [rejected]))[0].reason).toMatch(
      /do not add up to the flat fee/,
    );
    expect(await db(`SELECT 1 FROM comp_plans WHERE contract_id = $1`, [badContract])).toEqual([]);
    expect(await db(`SELECT 1 FROM comp_orders WHERE partnership_id = $1`, [p.partnershipId])).toEqual([]);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(escrow);
    expect(await db(`SELECT status FROM comp_plans WHERE contract_id = $1`, [C4])).toEqual([{ status: 'ACTIVE' }]);
  });
});
