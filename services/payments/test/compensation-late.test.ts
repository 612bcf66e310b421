import { Identity } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { LedgerPostings } from '../src/ledger/postings';
import type { PaymentsServices } from '../src/services';
import {
  campaignData,
  codeOf,
  compensationTestModule,
  deliver,
  executedData,
  fieldOf,
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

const FUND = `mutation($input: FundCampaignInput!) { fundCampaign(input: $input) { replayed amount { amountMinor } escrow { amountMinor } } }`;
const REQUESTED = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id fundingRequested { amountMinor currency } } } }`;

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
    sub.query<{ fundCampaign: { replayed: boolean; amount: { amountMinor: number }; escrow: { amountMinor: number } } }>(
      FUND,
      { input: { campaignId: p.campaignId, amount: { amountMinor, currency: 'USD' }, idempotencyKey } },
      who,
    );
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

  beforeAll(async () => {
    sub = await startTestSubgraph(compensationTestModule(seams));
    await RecordingPayouts.prepare(sub.runtime.dataSource);
    const campaign = campaignData(p.campaignId, BRAND, 'active', { previousStatus: 'draft' });
    await deliver(sub, TOPICS.campaign, 'campaign.launched', p.campaignId, campaign, {
      source: 'campaign',
      consumer: 'payments.ledger-campaigns',
    });
    await deliver(sub, TOPICS.campaign, 'partnership.accepted', p.partnershipId, partnershipData(p, { parties: partiesData() }), {
      source: 'campaign',
    });
    expect((await fund(100_000, 'budget')).errors).toBeUndefined();
    await deliver(
      sub,
      TOPICS.contract,
      'contract.executed',
      id(301),
      executedData(p, id(301), { compensation: { commissionPercent: 10 } }),
      {
        source: 'contracts',
      },
    );
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
});
