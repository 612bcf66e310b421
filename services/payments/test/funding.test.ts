import { Identity } from '@influenceflow/kit';
import { CampaignEventData, TOPICS } from '@influenceflow/vocabulary';
import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';
import { PaymentsServices } from '../src/services';
import { campaignData, idsOf, publish } from './support';

// Ids of this file only.
let n = 0;
const ids = idsOf('8f14');
const uuid = () => ids(++n);

const FUND = `mutation($input: FundCampaignInput!) {
  fundCampaign(input: $input) { transferId replayed campaignId amount { amountMinor currency formatted } escrow { amountMinor formatted } }
}`;
const SPEND = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Campaign { id spend { funded { amountMinor } returned { amountMinor } escrow { amountMinor formatted } accrued { amountMinor } paid { amountMinor } fees { amountMinor } } }
  ... on Brand { id balance { currency funded { amountMinor } returned { amountMinor } inEscrow { amountMinor } spent { amountMinor } } }
} }`;

interface Funding {
  fundCampaign: {
    transferId: string;
    replayed: boolean;
    amount: { amountMinor: number; formatted: string };
    escrow: { amountMinor: number; formatted: string };
  };
}

/** Funding a campaign's escrow (GraphQL), the campaign copy from campaign.events, the return on its end, Campaign.spend and Brand.balance. */
describe('campaign funding and escrow', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const brandId = uuid();
  const member: Identity = identities.brandMember(brandId);
  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    (await sub.runtime.dataSource.query(text, params)) as T[];
  const entries = async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries`))[0].n;

  async function campaignEvent(type: string, campaignId: string, status: string, over: Partial<CampaignEventData> = {}, times = 1) {
    const data = campaignData(campaignId, brandId, status, { name: 'Autumn drop', startsOn: '2026-12-01', endsOn: '2027-01-31', ...over });
    await publish(TOPICS.campaign, type, campaignId, data, { source: 'campaign', brandid: data.brandId, times });
  }
  async function knownCampaign(over: Partial<CampaignEventData> = {}): Promise<string> {
    const id = uuid();
    await campaignEvent('campaign.created', id, 'draft', over);
    await eventually(
      async () => (await sql(`SELECT 1 FROM payment_campaigns WHERE id = $1`, [id])).length > 0,
      30_000,
      'the campaign copy',
    );
    return id;
  }
  const fund = (campaignId: string, amountMinor: number, idempotencyKey: string, who: Identity = member, currency = 'USD') =>
    sub.query<Funding>(FUND, { input: { campaignId, amount: { amountMinor, currency }, idempotencyKey } }, who);

  beforeAll(async () => {
    sub = await startTestSubgraph(paymentsSubgraph);
  });
  afterAll(() => sub?.close());

  it("funds a known campaign in its currency, once per key, and shows the campaign's spend and the brand's balance", async () => {
    const campaignId = await knownCampaign();
    const first = await fund(campaignId, 250_000, 'brief-1');
    expect(first.errors).toBeUndefined();
    expect(first.data!.fundCampaign).toMatchObject({
      replayed: false,
      amount: { amountMinor: 250_000, formatted: '$2,500.00' },
      escrow: { amountMinor: 250_000 },
    });
    const count = await entries();
    const again = await fund(campaignId, 250_000, 'brief-1');
    expect(again.data!.fundCampaign).toMatchObject({
      replayed: true,
      transferId: first.data!.fundCampaign.transferId,
      escrow: { amountMinor: 250_000 },
    });
    expect(await entries()).toBe(count);

    const other = await fund(campaignId, 1, 'brief-1');
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(await entries()).toBe(count);

    // The ledger's postings the payouts will use: an accrual and a succeeded payout.
    const p = { partnershipId: uuid(), campaignId, brandId, creatorId: uuid() };
    await sub.runtime.dataSource.transaction(async (tx) => {
      await sub.services.ledger.accrue(tx, {
        ...p,
        key: `m:${p.partnershipId}`,
        amount: { amountMinor: 40_000, currency: 'USD' } as never,
        kind: 'MILESTONE',
      });
      await sub.services.ledger.startPayout(tx, {
        ...p,
        key: `s:${p.partnershipId}`,
        payoutId: p.partnershipId,
        provider: 'manual',
        amount: { amountMinor: 30_000, currency: 'USD' } as never,
      });
      await sub.services.ledger.settlePayout(tx, {
        ...p,
        key: `t:${p.partnershipId}`,
        payoutId: p.partnershipId,
        provider: 'manual',
        amount: { amountMinor: 30_000, currency: 'USD' } as never,
      });
    });
    const reps = [
      { __typename: 'Campaign', id: campaignId },
      { __typename: 'Brand', id: brandId },
    ];
    for (const who of [member, identities.analyst(brandId), identities.admin()]) {
      const seen = await sub.query<{ _entities: unknown[] }>(SPEND, { reps }, who);
      expect(seen.errors).toBeUndefined();
      expect(seen.data!._entities).toEqual([
        {
          id: campaignId,
          spend: {
            funded: { amountMinor: 250_000 },
            returned: { amountMinor: 0 },
            escrow: { amountMinor: 210_000, formatted: '$2,100.00' },
            accrued: { amountMinor: 40_000 },
            paid: { amountMinor: 30_000 },
            fees: { amountMinor: 0 },
          },
        },
        {
          id: brandId,
          balance: [
            {
              currency: 'USD',
              funded: { amountMinor: 250_000 },
              returned: { amountMinor: 0 },
              inEscrow: { amountMinor: 210_000 },
              spent: { amountMinor: 40_000 },
            },
          ],
        },
      ]);
    }
    // Anyone else: null, and nothing about the money.
    for (const who of [identities.brandMember(uuid()), identities.creator(p.creatorId), null]) {
      const hidden = await sub.query<{ _entities: unknown[] }>(SPEND, { reps }, who);
      expect(hidden.data!._entities).toEqual([
        { id: campaignId, spend: null },
        { id: brandId, balance: null },
      ]);
    }
  });

  it('refuses bad input, other brands, analysts, creators, unknown and closed campaigns, with the ledger untouched', async () => {
    const campaignId = await knownCampaign({ currency: 'JPY' });
    const before = await entries();
    const cases: [Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>, Record<string, unknown>][] = [
      [fund(campaignId, 100, 'k1', member, 'USD'), { code: 'BAD_USER_INPUT', field: 'input.amount.currency' }],
      [fund(campaignId, -100, 'k1', member, 'JPY'), { code: 'BAD_USER_INPUT', field: 'input.amount.amountMinor' }],
      [fund(campaignId, 0, 'k1', member, 'JPY'), { code: 'BAD_USER_INPUT', field: 'input.amount.amountMinor' }],
      [fund(campaignId, 100, 'k1', member, 'XXX'), { code: 'BAD_USER_INPUT', field: 'input.amount.currency' }],
      [fund('not-a-uuid', 100, 'k1', member, 'JPY'), { code: 'BAD_USER_INPUT', field: 'input.campaignId' }],
      [fund(campaignId, 100, 'bad key\u0000', member, 'JPY'), { code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' }],
      [fund(campaignId, 100, 'x'.repeat(101), member, 'JPY'), { code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' }],
      [fund(uuid(), 100, 'k1', member, 'JPY'), { code: 'NOT_FOUND' }],
      [fund(campaignId, 100, 'k1', identities.brandMember(uuid()), 'JPY'), { code: 'NOT_FOUND' }],
      [fund(campaignId, 100, 'k1', identities.analyst(brandId), 'JPY'), { code: 'FORBIDDEN' }],
      [fund(campaignId, 100, 'k1', identities.creator(uuid()), 'JPY'), { code: 'FORBIDDEN' }],
    ];
    for (const [request, expected] of cases) {
      const r = await request;
      expect(r.errors?.[0].extensions).toMatchObject(expected);
      expect(JSON.stringify(r.errors)).not.toMatch(/ledger_|SELECT|stack/);
    }
    // A fractional amount never reaches the service (SafeInt).
    const fraction = await fund(campaignId, 1.5, 'k1', member, 'JPY');
    expect(fraction.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await entries()).toBe(before);

    const ok = await fund(campaignId, 5_000, 'yen', member, 'JPY');
    expect(ok.data!.fundCampaign).toMatchObject({ amount: { formatted: '¥5,000' } });
  });

  it('returns what is left in escrow to the brand when the campaign completes (once, however often the event comes), and takes no more funding', async () => {
    const campaignId = await knownCampaign();
    expect((await fund(campaignId, 90_000, `end-${campaignId}`)).errors).toBeUndefined();
    await campaignEvent('campaign.launched', campaignId, 'active', { previousStatus: 'draft' });
    await campaignEvent('campaign.completed', campaignId, 'completed', { previousStatus: 'active' }, 2);
    const returned = await eventually(
      async () => {
        const rows = await sql<{ amount: string }>(
          `SELECT amount FROM ledger_transfers WHERE campaign_id = $1 AND kind = 'ESCROW_RETURN'`,
          [campaignId],
        );
        return rows.length > 0 ? rows : undefined;
      },
      30_000,
      'the escrow returned',
    );
    expect(returned).toEqual([{ amount: '90000' }]);
    // The inbox drops the redelivered event; the handler itself is idempotent too (another event of the same end).
    await sub.runtime.dataSource.transaction((tx) =>
      sub.services.funding.campaignEnded(
        tx,
        {
          campaignId,
          brandId,
          name: 'x',
          status: 'completed',
          previousStatus: 'active',
          goalType: 'sales',
          goalTarget: 1,
          budgetMinor: 1,
          currency: 'USD',
          startsOn: '2026-12-01',
          endsOn: '2027-01-31',
        },
        new Date().toISOString(),
      ),
    );
    const late = await fund(campaignId, 1_000, `late-${campaignId}`);
    expect(late.errors?.[0].extensions).toMatchObject({ code: 'INVALID_STATE', reason: 'CAMPAIGN_CLOSED' });
    const spend = await sub.query<{ _entities: { spend: { escrow: { amountMinor: number }; returned: { amountMinor: number } } }[] }>(
      SPEND,
      { reps: [{ __typename: 'Campaign', id: campaignId }] },
      member,
    );
    expect(spend.data!._entities[0].spend).toMatchObject({ escrow: { amountMinor: 0 }, returned: { amountMinor: 90_000 } });
    expect(
      (
        await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_transfers WHERE campaign_id = $1 AND kind = 'ESCROW_RETURN'`, [
          campaignId,
        ])
      )[0].n,
    ).toBe(1);
  });

  it('runs the steps registered before the return in the same transaction, first', async () => {
    const campaignId = await knownCampaign();
    await fund(campaignId, 10_000, `steps-${campaignId}`);
    const p = { partnershipId: uuid(), campaignId, brandId, creatorId: uuid() };
    // What compensation will plug in: the milestones due on campaign end accrue before the escrow goes back.
    sub.services.funding.beforeEscrowReturn(async (tx, campaign) => {
      if (campaign.id !== campaignId) return;
      await sub.services.ledger.accrue(tx, {
        ...p,
        key: `end:${p.partnershipId}`,
        amount: { amountMinor: 7_500, currency: 'USD' } as never,
        kind: 'MILESTONE',
      });
    });
    await campaignEvent('campaign.cancelled', campaignId, 'cancelled', { previousStatus: 'draft' });
    const kinds = await eventually(
      async () => {
        const rows = await sql<{ kind: string; amount: string }>(
          `SELECT kind, amount FROM ledger_transfers WHERE campaign_id = $1 ORDER BY id`,
          [campaignId],
        );
        return rows.some((r) => r.kind === 'ESCROW_RETURN') ? rows : undefined;
      },
      30_000,
      'the escrow returned',
    );
    expect(kinds.map((k) => [k.kind, k.amount])).toEqual([
      ['FUND', '10000'],
      ['ACCRUE_MILESTONE', '7500'],
      ['ESCROW_RETURN', '2500'],
    ]);
  });
});
