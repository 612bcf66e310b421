import { eventually, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { SpendAccruedData } from '@influenceflow/vocabulary';
import { rebuildRollups } from '../src/rollups/rebuild';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import { count, eventOf, publishAll } from './support';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const BRAND = id(7001);
const CAMPAIGN = id(7010);
const PARTNERSHIP = id(7030);

function accrued(transfer: number, amountMinor: number, currency: string) {
  const data: SpendAccruedData = {
    transferId: id(7500 + transfer),
    campaignId: CAMPAIGN,
    brandId: BRAND,
    partnershipId: PARTNERSHIP,
    creatorId: id(7020),
    kind: 'MILESTONE',
    amount: { amountMinor, currency },
    feeMinor: 0,
    accruedAt: '2026-03-02T00:00:00Z',
  };
  return eventOf('spend.accrued', CAMPAIGN, BRAND, data, '2026-03-02T00:00:00Z');
}

function campaign(currency: string, at: string) {
  return eventOf(
    'campaign.created',
    CAMPAIGN,
    BRAND,
    {
      campaignId: CAMPAIGN,
      brandId: BRAND,
      name: 'Autumn',
      status: 'draft',
      previousStatus: null,
      goalType: 'sales',
      goalTarget: 10,
      budgetMinor: 100_000,
      currency,
      startsOn: '2026-03-01',
      endsOn: '2026-03-31',
    },
    at,
  );
}

/**
 * Spend in another currency than its campaign's is kept and left out, whichever came first: payments'
 * events and campaign's travel on different topics, so an accrual may be taken in before its campaign.
 */
describe('spend in another currency than the campaign', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  const spendOfDays = async () =>
    Number(
      (
        (await sub.runtime.dataSource.query(
          `SELECT COALESCE(sum(spend_minor), 0)::int AS n FROM partnership_days WHERE partnership_id = $1`,
          [PARTNERSHIP],
        )) as { n: number }[]
      )[0].n,
    );

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
  }, 120_000);
  afterAll(() => sub?.close());

  it('counts both entries while the campaign is unknown, then leaves out the one in another currency', async () => {
    await publishAll([accrued(1, 5_000, 'GBP'), accrued(2, 7_000, 'USD')]);
    await eventually(async () => (await count(sub, `SELECT count(*) AS n FROM spend_entries`)) === 2, 30_000, 'both accruals');
    // no currency to compare with yet: nothing is thrown away
    expect(await spendOfDays()).toBe(12_000);

    await publishAll([campaign('GBP', '2026-02-01T00:00:00Z')]);
    await eventually(
      async () => (await count(sub, `SELECT count(*) AS n FROM spend_entries WHERE excluded IS NOT NULL`)) === 1,
      30_000,
      'the weighing',
    );
    expect(await spendOfDays()).toBe(5_000);
    expect(await sub.runtime.dataSource.query(`SELECT currency, excluded FROM spend_entries ORDER BY currency`)).toEqual([
      { currency: 'GBP', excluded: null },
      { currency: 'USD', excluded: 'CURRENCY_MISMATCH' },
    ]);
  });

  it('leaves out an entry in another currency that comes after the campaign, and counts one in its currency', async () => {
    await publishAll([accrued(3, 900, 'USD'), accrued(4, 100, 'GBP')]);
    await eventually(async () => (await count(sub, `SELECT count(*) AS n FROM spend_entries`)) === 4, 30_000, 'the later accruals');
    expect(await spendOfDays()).toBe(5_100);
    expect(await count(sub, `SELECT count(*) AS n FROM spend_entries WHERE excluded = 'CURRENCY_MISMATCH'`)).toBe(2);
  });

  it('weighs every entry again when the campaign changes its currency, and the rebuild agrees', async () => {
    await publishAll([campaign('USD', '2026-02-02T00:00:00Z')]);
    await eventually(async () => (await spendOfDays()) === 7_900, 30_000, 'the spend in dollars');
    expect(await count(sub, `SELECT count(*) AS n FROM spend_entries WHERE excluded = 'CURRENCY_MISMATCH' AND currency = 'GBP'`)).toBe(2);
    await rebuildRollups(sub.runtime.dataSource);
    expect(await spendOfDays()).toBe(7_900);
  });
});
