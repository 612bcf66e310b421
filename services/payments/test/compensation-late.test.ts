import { Identity } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { countByTable, eventually, identities, startTestSubgraph, statementsDuring, TestSubgraph } from '@influenceflow/kit/testing';
import type { DataSource, EntityManager } from 'typeorm';
import type { LedgerPostings } from '../src/ledger/postings';
import { PaymentsServices, paymentsServices } from '../src/services';
import {
  campaignData,
  codeOf,
  compensationTestModule,
  deliver,
  executedData,
  fieldOf,
  fundEscrow,
  idsOf,
  orderData,
  partiesData,
  partnershipData,
  RecordingPayouts,
  refundData,
  sqlOf,
} from './support';

const id = idsOf('8f17');
const BRAND = id(1);
const OTHER_BRAND = id(2);
const CREATOR = id(3);

const FUND = `mutation($input: FundCampaignInput!) { fundCampaign(input: $input) { transferId replayed amount { amountMinor } escrow { amountMinor } } }`;
const REQUESTED = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id fundingRequested { amountMinor currency } } } }`;

/**
 * A launched campaign with an accepted partnership, its escrow funded by `fund`, and the contract executed
 * with 10 % commission: where both suites below start.
 */
async function fundedWithCommission(
  sub: TestSubgraph<PaymentsServices>,
  p: { partnershipId: string; campaignId: string; brandId: string; creatorId: string },
  contractId: string,
  fund: () => Promise<{ errors?: unknown }>,
): Promise<void> {
  await deliver(
    sub,
    TOPICS.campaign,
    'campaign.launched',
    p.campaignId,
    campaignData(p.campaignId, BRAND, 'active', { previousStatus: 'draft' }),
    {
      source: 'campaign',
      consumer: 'payments.ledger-campaigns',
    },
  );
  await deliver(sub, TOPICS.campaign, 'partnership.accepted', p.partnershipId, partnershipData(p, { parties: partiesData() }), {
    source: 'campaign',
  });
  expect((await fund()).errors).toBeUndefined();
  await deliver(
    sub,
    TOPICS.contract,
    'contract.executed',
    contractId,
    executedData(p, contractId, { compensation: { commissionPercent: 10 } }),
    {
      source: 'contracts',
    },
  );
}

/**
 * Commission after the escrow is returned (docs/payments.md, "Commission"): an order attributed after the
 * campaign completed earns commission the returned escrow no longer holds. It waits, the brand is asked to
 * fund it (funding.requested, Campaign.fundingRequested), fundCampaign on the closed campaign takes up to that
 * and pays it out at once; refunds keep reversing, and clawing back what was paid out, as before.
 */
describe('commission after the escrow is returned', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const seams: { ledger?: LedgerPostings; payouts?: RecordingPayouts } = {};
  const db = sqlOf(() => sub);
  const member: Identity = identities.brandMember(BRAND);
  const p = { partnershipId: id(101), campaignId: id(201), brandId: BRAND, creatorId: CREATOR };

  const fund = (amountMinor: number, idempotencyKey: string, who: Identity = member) =>
    sub.query<{
      fundCampaign: { transferId: string; replayed: boolean; amount: { amountMinor: number }; escrow: { amountMinor: number } };
    }>(FUND, { input: { campaignId: p.campaignId, amount: { amountMinor, currency: 'USD' }, idempotencyKey } }, who);
  const requested = async (who: Identity) =>
    (
      await sub.query<{ _entities: { fundingRequested: { amountMinor: number; currency: string } | null }[] }>(
        REQUESTED,
        { reps: [{ __typename: 'Campaign', id: p.campaignId }] },
        who,
      )
    ).data!._entities[0].fundingRequested;
  const balance = (type: string, ownerId: string) =>
    sub.runtime.dataSource.transaction((tx) => seams.ledger!.balanceOf(tx, { type, ownerId, currency: 'USD' }));
  const commission = async () =>
    (
      await db<{ earned: number; accrued: number; paid: number }>(
        `SELECT commission_earned_minor::int AS earned, commission_accrued_minor::int AS accrued, commission_paid_out_minor::int AS paid
           FROM comp_partnerships WHERE id = $1`,
        [p.partnershipId],
      )
    )[0];
  const commissionPayouts = () =>
    db<{ idempotency_key: string; amount: string }>(
      `SELECT idempotency_key, amount_minor::text AS amount FROM test_payout_requests WHERE partnership_id = $1 AND reason = 'COMMISSION' ORDER BY seq`,
      [p.partnershipId],
    );
  const fundingRequests = () =>
    db<{ envelope: { data: { amount: { amountMinor: number; currency: string }; reason: string; partnershipId: string } } }>(
      `SELECT envelope FROM outbox WHERE key = $1 AND type = 'funding.requested' ORDER BY seq`,
      [p.campaignId],
    );
  const transfers = async () => (await db<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_transfers`))[0].n;
  /** What the brand moved into the campaign's escrow, in all (FUND transfers). */
  const funded = async () =>
    (
      await db<{ n: number }>(`SELECT coalesce(sum(amount), 0)::int AS n FROM ledger_transfers WHERE kind = 'FUND' AND campaign_id = $1`, [
        p.campaignId,
      ])
    )[0].n;
  /** Every transfer sums to zero and every balance is the sum of its entries. */
  const expectBalancedLedger = async () => {
    expect(await db(`SELECT transfer_id FROM ledger_entries GROUP BY transfer_id HAVING sum(amount) <> 0`)).toEqual([]);
    expect(
      await db(`SELECT a.id FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
                 GROUP BY a.id, a.balance HAVING a.balance <> coalesce(sum(e.amount), 0)`),
    ).toEqual([]);
  };
  /** Backends of this test's database waiting for an advisory lock (the ledger's, a top-up's). */
  const waitingOnLocks = async () =>
    (
      await db<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
    )[0].n;
  /** A new order earning `commissionMinor` (10 %) on the closed campaign: late commission the brand is asked for. */
  const lateOrder = async (orderId: string, commissionMinor: number) => {
    await deliver(sub, TOPICS.conversion, 'order.attributed', p.partnershipId, orderData(p, orderId, commissionMinor * 10));
    expect(await requested(member)).toEqual({ amountMinor: commissionMinor, currency: 'USD' });
  };

  beforeAll(async () => {
    sub = await startTestSubgraph(compensationTestModule(seams));
    await RecordingPayouts.prepare(sub.runtime.dataSource);
    await fundedWithCommission(sub, p, id(301), () => fund(100_000, 'budget'));
    // 10 % of 10,000 accrues from the escrow; the campaign completes: it is paid out, the rest of the escrow returns.
    await deliver(sub, TOPICS.conversion, 'order.attributed', p.partnershipId, orderData(p, id(501), 10_000));
    await deliver(sub, TOPICS.campaign, 'campaign.completed', p.campaignId, campaignData(p.campaignId, BRAND, 'completed'), {
      source: 'campaign',
      consumer: 'payments.ledger-campaigns',
    });
  }, 120_000);
  afterAll(() => sub?.close());

  it('a late order’s commission waits on the returned escrow, and the brand is asked for exactly it', async () => {
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(0);
    expect(await commissionPayouts()).toEqual([{ idempotency_key: `commission:${p.partnershipId}:1`, amount: '1000' }]);
    expect(await requested(member)).toEqual({ amountMinor: 0, currency: 'USD' });

    // Delivered twice (a redelivery): applied once, one request.
    await deliver(sub, TOPICS.conversion, 'order.attributed', p.partnershipId, orderData(p, id(502), 20_000), { times: 2 });
    expect(await commission()).toEqual({ earned: 3_000, accrued: 1_000, paid: 1_000 });
    expect(await commissionPayouts()).toHaveLength(1);
    const events = await fundingRequests();
    expect(events.map((e) => e.envelope.data)).toEqual([
      expect.objectContaining({
        partnershipId: p.partnershipId,
        reason: 'LATE_COMMISSION',
        amount: { amountMinor: 2_000, currency: 'USD' },
      }),
    ]);
    // The brand's members and analysts see what is asked; another brand and the creator do not.
    expect(await requested(member)).toEqual({ amountMinor: 2_000, currency: 'USD' });
    expect(await requested(identities.analyst(BRAND))).toEqual({ amountMinor: 2_000, currency: 'USD' });
    expect(await requested(identities.brandMember(OTHER_BRAND))).toBeNull();
    expect(await requested(identities.creator(CREATOR))).toBeNull();
  });

  it('a closed campaign takes no more than it owes: more is refused and writes nothing', async () => {
    const before = await transfers();
    const over = await fund(2_001, 'too-much');
    expect(codeOf(over)).toBe('INVALID_STATE');
    expect(fieldOf(over)).toBe('input.amount.amountMinor');
    expect(over.errors![0].extensions).toMatchObject({ reason: 'CAMPAIGN_CLOSED', owed: { amountMinor: 2_000, currency: 'USD' } });
    expect(over.errors![0].message).toContain('$20.00');
    expect(codeOf(await fund(500, 'not-mine', identities.brandMember(OTHER_BRAND)))).toBe('NOT_FOUND');
    expect(codeOf(await fund(500, 'analyst', identities.analyst(BRAND)))).toBe('FORBIDDEN');
    expect(await transfers()).toBe(before);
  });

  it('a refund before the top-up lowers what is asked; the top-up pays the commission out at once, once', async () => {
    await deliver(sub, TOPICS.conversion, 'order.refunded', p.partnershipId, refundData(p, id(601), id(502), 5_000));
    expect(await requested(member)).toEqual({ amountMinor: 1_500, currency: 'USD' });
    const topUp = await fund(1_500, 'late-1');
    expect(topUp.errors).toBeUndefined();
    expect(topUp.data!.fundCampaign).toMatchObject({ replayed: false, amount: { amountMinor: 1_500 } });
    // As soon as fundCampaign answered: accrued and, the campaign having ended, paid out.
    expect(await commission()).toEqual({ earned: 2_500, accrued: 2_500, paid: 2_500 });
    expect((await commissionPayouts()).at(-1)).toEqual({ idempotency_key: `commission:${p.partnershipId}:2`, amount: '1500' });
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(0);
    expect(await requested(member)).toEqual({ amountMinor: 0, currency: 'USD' });
    // The same request again is the same funding; nothing more is paid.
    const again = await fund(1_500, 'late-1');
    expect(again.data!.fundCampaign.replayed).toBe(true);
    expect(await commissionPayouts()).toHaveLength(2);
    // Nothing owed now: closed as ever.
    const closed = await fund(100, 'late-2');
    expect(codeOf(closed)).toBe('INVALID_STATE');
    expect(closed.errors![0].extensions).toMatchObject({ reason: 'CAMPAIGN_CLOSED', owed: { amountMinor: 0 } });
  });

  it('a refund after the payout is a clawback the next commission fills; two top-ups at once: one goes through', async () => {
    const payable = await balance('CREATOR_PAYABLE', p.partnershipId);
    await deliver(sub, TOPICS.conversion, 'order.refunded', p.partnershipId, refundData(p, id(602), id(502), 15_000));
    // 1,500 was paid out and cannot come back from the creator: nothing is reversed, nothing is asked of the brand.
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(payable);
    expect(await commission()).toEqual({ earned: 1_000, accrued: 2_500, paid: 2_500 });
    expect(await requested(member)).toEqual({ amountMinor: 0, currency: 'USD' });

    // 30,000 more earn 3,000: 1,500 fills the clawback, 1,500 is to accrue.
    await deliver(sub, TOPICS.conversion, 'order.attributed', p.partnershipId, orderData(p, id(503), 30_000));
    expect(await requested(member)).toEqual({ amountMinor: 1_500, currency: 'USD' });
    expect((await fundingRequests()).at(-1)!.envelope.data.amount).toEqual({ amountMinor: 1_500, currency: 'USD' });
    const both = await Promise.all([fund(1_500, 'race-a'), fund(1_500, 'race-b')]);
    expect(both.filter((r) => !r.errors)).toHaveLength(1);
    expect(both.map(codeOf).filter(Boolean)).toEqual(['INVALID_STATE']);
    expect(await commission()).toEqual({ earned: 4_000, accrued: 4_000, paid: 4_000 });
    expect((await commissionPayouts()).at(-1)).toEqual({ idempotency_key: `commission:${p.partnershipId}:3`, amount: '1500' });
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(0);
  });

  it('a top-up waits for an accrual in flight and then sees it whole: the brand never pays twice (review #1)', async () => {
    await lateOrder(id(504), 1_000);
    // A first top-up committed (straight through the ledger: its afterFunding has not run yet).
    await fundEscrow(sub, p, 1_000, 'USD', `fund:${BRAND}:first-of-two`);
    const before = await funded();
    // Its retryAwaiting accrues the 1,000 and is held just before it commits.
    const ds = sub.runtime.dataSource;
    let accrued!: () => void;
    let commit!: () => void;
    const inFlight = new Promise<void>((r) => (accrued = r));
    const gate = new Promise<void>((r) => (commit = r));
    const paused = {
      query: (sql: string, params?: unknown[]) => ds.query(sql, params),
      transaction: <T>(work: (tx: EntityManager) => Promise<T>) =>
        ds.transaction(async (tx) => {
          const result = await work(tx);
          accrued();
          await gate;
          return result;
        }),
    } as unknown as DataSource;
    const retry = sub.services.compensation.retryAwaiting(paused, p.campaignId);
    await inFlight;
    // A second top-up (another key, another tab) comes meanwhile: it waits for the accrual's ledger locks …
    const second = fund(1_000, 'second-of-two');
    await eventually(async () => (await waitingOnLocks()) >= 1, 30_000, 'the second top-up to wait for the accrual in flight');
    commit();
    expect(await retry).toEqual({ milestonesPaid: 0, commissionSynced: 1 });
    // … and then reads the accrual whole (the counters and the drained escrow): nothing is owed any more.
    const refused = await second;
    expect(codeOf(refused)).toBe('INVALID_STATE');
    expect(refused.errors![0].extensions).toMatchObject({ reason: 'CAMPAIGN_CLOSED', owed: { amountMinor: 0, currency: 'USD' } });
    expect(await funded()).toBe(before);
    expect(await commission()).toEqual({ earned: 5_000, accrued: 5_000, paid: 5_000 });
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(0);
    await expectBalancedLedger();
  });

  it('two top-ups with different keys racing a retryAwaiting: the brand is charged the shortfall once', async () => {
    await lateOrder(id(505), 1_000);
    const before = await funded();
    const [a, b] = await Promise.all([
      fund(1_000, 'race-d'),
      fund(1_000, 'race-e'),
      sub.services.compensation.retryAwaiting(sub.runtime.dataSource, p.campaignId),
    ]);
    expect([a, b].filter((r) => !r.errors)).toHaveLength(1);
    expect([a, b].map(codeOf).filter(Boolean)).toEqual(['INVALID_STATE']);
    expect((await funded()) - before).toBe(1_000);
    expect(await commission()).toEqual({ earned: 6_000, accrued: 6_000, paid: 6_000 });
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(0);
    await expectBalancedLedger();
  });

  it('the same top-up sent twice while the first waits: the retry is the same funding, replayed (review #3)', async () => {
    await lateOrder(id(506), 1_000);
    const before = await funded();
    // Something holds the escrow's ledger locks (an accrual, another top-up): both identical requests wait.
    const runner = sub.runtime.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let answers: Awaited<ReturnType<typeof fund>>[];
    try {
      await sub.services.ledger.lockCampaignFunding(runner.manager, { brandId: BRAND, campaignId: p.campaignId });
      const both = Promise.all([fund(1_000, 'retried'), fund(1_000, 'retried')]);
      await eventually(async () => (await waitingOnLocks()) >= 2, 30_000, 'both requests to wait');
      await runner.commitTransaction();
      answers = await both;
    } finally {
      await runner.release();
    }
    for (const r of answers) expect(r.errors).toBeUndefined();
    const [x, y] = answers.map((r) => r.data!.fundCampaign);
    expect([x.replayed, y.replayed].sort()).toEqual([false, true]);
    expect(x.transferId).toBe(y.transferId);
    expect(x.amount).toEqual({ amountMinor: 1_000 });
    expect(y.amount).toEqual({ amountMinor: 1_000 });
    expect((await funded()) - before).toBe(1_000);
    expect(await commission()).toEqual({ earned: 7_000, accrued: 7_000, paid: 7_000 });
    // Once settled, the same key is still the same funding (not CAMPAIGN_CLOSED), and a new key is refused.
    expect((await fund(1_000, 'retried')).data!.fundCampaign).toMatchObject({ replayed: true, transferId: x.transferId });
    expect(codeOf(await fund(1_000, 'after-all'))).toBe('INVALID_STATE');
    await expectBalancedLedger();
  });

  /** The payments tables read while `work` runs, and how often. */
  async function queriesDuring<T>(work: () => Promise<T>): Promise<{ result: T; byTable: Record<string, number> }> {
    const { result, statements } = await statementsDuring(sub.runtime.dataSource, work);
    const tables = ['payment_campaigns', 'comp_partnerships', 'comp_milestones', 'ledger_accounts', 'ledger_transfers'];
    return { result, byTable: countByTable(statements, tables) };
  }

  it('Campaign.fundingRequested over a list is one batch, and nothing is read for whom may not see it (review #4)', async () => {
    await lateOrder(id(507), 1_000);
    // Two more campaigns: the brand's own (a partnership, nothing owed) and another brand's.
    const own = { partnershipId: id(102), campaignId: id(202), brandId: BRAND, creatorId: CREATOR };
    const theirs = { partnershipId: id(103), campaignId: id(203), brandId: OTHER_BRAND, creatorId: CREATOR };
    for (const c of [own, theirs]) {
      await deliver(
        sub,
        TOPICS.campaign,
        'campaign.launched',
        c.campaignId,
        campaignData(c.campaignId, c.brandId, 'active', { previousStatus: 'draft' }),
        {
          source: 'campaign',
          consumer: 'payments.ledger-campaigns',
        },
      );
      await deliver(sub, TOPICS.campaign, 'partnership.accepted', c.partnershipId, partnershipData(c, { parties: partiesData() }), {
        source: 'campaign',
      });
    }
    const reps = [p.campaignId, own.campaignId, theirs.campaignId, id(299)].map((cid) => ({ __typename: 'Campaign', id: cid }));
    const list = (who: Identity) =>
      queriesDuring(async () =>
        (
          await sub.query<{ _entities: { fundingRequested: { amountMinor: number; currency: string } | null }[] }>(REQUESTED, { reps }, who)
        ).data!._entities.map((e) => e.fundingRequested),
      );

    const seen = await list(member);
    expect(seen.result).toEqual([{ amountMinor: 1_000, currency: 'USD' }, { amountMinor: 0, currency: 'USD' }, null, null]);
    // One query per table for the four campaigns (not one or two per campaign).
    expect(seen.byTable).toEqual({ payment_campaigns: 1, comp_partnerships: 1, comp_milestones: 1, ledger_accounts: 1 });

    // Another brand's member: its own campaign only; the shortfall of ours is never computed.
    const other = await list(identities.brandMember(OTHER_BRAND));
    expect(other.result).toEqual([null, null, { amountMinor: 0, currency: 'USD' }, null]);
    expect(other.byTable).toEqual({ payment_campaigns: 1, comp_partnerships: 1, comp_milestones: 1 });
    // A creator reads no brand's campaigns: null, and nothing is read at all.
    const creator = await list(identities.creator(CREATOR));
    expect(creator.result).toEqual([null, null, null, null]);
    expect(creator.byTable).toEqual({});

    // Paid, so the next tests of this file start from a settled campaign.
    expect((await fund(1_000, 'batch-settle')).errors).toBeUndefined();
  });
});

/**
 * With a platform fee, a closed campaign's shortfall is what the accruals will draw (the ledger's
 * accrualCost: the amount and the fee on it), so the top-up it asks for pays the commission in full.
 */
describe('commission after the escrow is returned, with a platform fee', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const seams: { ledger?: LedgerPostings; payouts?: RecordingPayouts } = {};
  const member: Identity = identities.brandMember(BRAND);
  const p = { partnershipId: id(111), campaignId: id(211), brandId: BRAND, creatorId: CREATOR };
  const db = sqlOf(() => sub);
  const fund = (amountMinor: number, idempotencyKey: string) =>
    sub.query(FUND, { input: { campaignId: p.campaignId, amount: { amountMinor, currency: 'USD' }, idempotencyKey } }, member);

  beforeAll(async () => {
    const base = compensationTestModule(seams);
    sub = await startTestSubgraph({
      ...base,
      services: (runtime) => {
        seams.payouts = new RecordingPayouts(() => seams.ledger!);
        const services = paymentsServices(runtime, { platformFeeBasisPoints: 250 }, undefined, { payouts: seams.payouts });
        seams.ledger = services.ledger;
        return services;
      },
    });
    await RecordingPayouts.prepare(sub.runtime.dataSource);
    await fundedWithCommission(sub, p, id(311), () => fund(100_000, 'budget'));
    await deliver(sub, TOPICS.campaign, 'campaign.completed', p.campaignId, campaignData(p.campaignId, BRAND, 'completed'), {
      source: 'campaign',
      consumer: 'payments.ledger-campaigns',
    });
  }, 120_000);
  afterAll(() => sub?.close());

  it('asks for the commission and its fee, takes exactly that, and pays the commission in full', async () => {
    // 10 % of 9,990 is 999; its accrual draws 999 + 24 (2.5 %, rounded down).
    await deliver(sub, TOPICS.conversion, 'order.attributed', p.partnershipId, orderData(p, id(511), 9_990));
    expect((await fundingRequestedOf()).amountMinor).toBe(1_023);
    expect((await fund(1_024, 'too-much')).errors![0].extensions).toMatchObject({
      reason: 'CAMPAIGN_CLOSED',
      owed: { amountMinor: 1_023 },
    });
    expect((await fund(1_023, 'late')).errors).toBeUndefined();
    expect(
      await db(
        `SELECT commission_earned_minor::int AS earned, commission_accrued_minor::int AS accrued FROM comp_partnerships WHERE id = $1`,
        [p.partnershipId],
      ),
    ).toEqual([{ earned: 999, accrued: 999 }]);
    expect(
      await db(`SELECT balance::int AS balance FROM ledger_accounts WHERE type = 'CAMPAIGN_ESCROW' AND owner_id = $1`, [p.campaignId]),
    ).toEqual([{ balance: 0 }]);
    expect((await fundingRequestedOf()).amountMinor).toBe(0);
  });

  const fundingRequestedOf = async () =>
    (
      await sub.query<{ _entities: { fundingRequested: { amountMinor: number } }[] }>(
        REQUESTED,
        { reps: [{ __typename: 'Campaign', id: p.campaignId }] },
        member,
      )
    ).data!._entities[0].fundingRequested;
});
