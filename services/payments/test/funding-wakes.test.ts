import { Identity } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { LedgerPostings } from '../src/ledger/postings';
import type { PaymentsServices } from '../src/services';
import { campaignData, compensationTestModule, deliver, executedData, idsOf, milestoneData, RecordingPayouts, sqlOf } from './support';

const id = idsOf('8e15');

const FUND = `mutation($input: FundCampaignInput!) { fundCampaign(input: $input) { replayed escrow { amountMinor } } }`;

/**
 * Funding wakes what waits: a milestone that fell due while its campaign's escrow was empty is paid as soon
 * as the brand funds the escrow, in fundCampaign itself. The module runs no background task (no
 * awaiting-funds timer), so only the funding can have paid it.
 */
describe('funding pays what waited for the escrow', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const holder: { ledger?: LedgerPostings; payouts?: RecordingPayouts } = {};
  const brandId = id(1);
  const member: Identity = identities.brandMember(brandId);
  const p = { partnershipId: id(101), campaignId: id(201), brandId, creatorId: id(2) };
  const db = sqlOf(() => sub);

  beforeAll(async () => {
    sub = await startTestSubgraph(compensationTestModule(holder));
    await RecordingPayouts.prepare(sub.runtime.dataSource);
  });
  afterAll(() => sub?.close());

  it('a milestone due on an empty escrow is paid when the campaign is funded, with no timer', async () => {
    const campaign = campaignData(p.campaignId, brandId, 'active', {
      name: 'Winter trail',
      previousStatus: 'draft',
      budgetMinor: 500_000,
      currency: 'EUR',
      startsOn: '2026-12-01',
      endsOn: '2027-01-31',
    });
    await deliver(sub, TOPICS.campaign, 'campaign.launched', p.campaignId, campaign, {
      source: 'campaign',
      brandid: brandId,
      consumer: 'payments.ledger-campaigns',
    });

    const contractId = id(301);
    const executed = executedData(p, contractId, {
      currency: 'EUR',
      compensation: { flatFeeMinor: 30_000 },
      milestones: [milestoneData(0, 'ON_EXECUTION', 30_000, null, 'On signature')],
    });
    await deliver(sub, TOPICS.contract, 'contract.executed', contractId, executed, { source: 'contracts' });
    const milestone = async () =>
      (
        await db<{ status: string; awaiting: string | null }>(`SELECT status, awaiting FROM comp_milestones WHERE contract_id = $1`, [
          contractId,
        ])
      )[0];
    // Due, but the escrow holds nothing: it waits, and nothing was requested.
    expect(await milestone()).toEqual({ status: 'DUE', awaiting: 'INSUFFICIENT_FUNDS' });
    expect(await db(`SELECT 1 FROM test_payout_requests WHERE partnership_id = $1`, [p.partnershipId])).toEqual([]);

    const funded = await sub.query<{ fundCampaign: { replayed: boolean; escrow: { amountMinor: number } } }>(
      FUND,
      { input: { campaignId: p.campaignId, amount: { amountMinor: 100_000, currency: 'EUR' }, idempotencyKey: 'wake-1' } },
      member,
    );
    expect(funded.errors).toBeUndefined();
    expect(funded.data?.fundCampaign.replayed).toBe(false);
    // As soon as fundCampaign answered: the milestone is paid, its payout requested, the escrow drawn.
    expect(await milestone()).toEqual({ status: 'PAID', awaiting: null });
    expect(
      await db(`SELECT amount_minor::int AS amount, reason FROM test_payout_requests WHERE partnership_id = $1`, [p.partnershipId]),
    ).toEqual([{ amount: 30_000, reason: 'MILESTONE' }]);
    const escrow = await sub.runtime.dataSource.transaction((tx) =>
      sub.services.ledger.balanceOf(tx, { type: 'CAMPAIGN_ESCROW', ownerId: p.campaignId, currency: 'EUR' }),
    );
    expect(escrow).toBe(70_000);

    // A replayed funding pays nothing twice.
    const again = await sub.query<{ fundCampaign: { replayed: boolean } }>(
      FUND,
      { input: { campaignId: p.campaignId, amount: { amountMinor: 100_000, currency: 'EUR' }, idempotencyKey: 'wake-1' } },
      member,
    );
    expect(again.data?.fundCampaign.replayed).toBe(true);
    expect(await db(`SELECT count(*)::int AS n FROM test_payout_requests WHERE partnership_id = $1`, [p.partnershipId])).toEqual([
      { n: 1 },
    ]);
  });
});
