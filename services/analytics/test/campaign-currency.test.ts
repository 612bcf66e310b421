import { eventually, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { PartnershipEventData, SpendAccruedData } from '@influenceflow/vocabulary';
import { identities } from '@influenceflow/kit/testing';
import { rebuildRollups } from '../src/rollups/rebuild';
import { analyticsSubgraph } from '../src/schema';
import { applyCampaignEvent } from '../src/campaign-metrics/campaign-metrics.service';
import { CampaignFact } from '../src/campaign-metrics/campaign-fact.entity';
import { WaitingSweep } from '../src/orders/waiting-sweep';
import type { AnalyticsServices } from '../src/services';
import { count, eventOf, ok, publishAll } from './support';

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

function campaign(currency: string, at: string, campaignId = CAMPAIGN) {
  return eventOf(
    'campaign.created',
    campaignId,
    BRAND,
    {
      campaignId,
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

const OTHER_CAMPAIGN = id(7011);
const P_OTHER = id(7031);

function partnershipOf(pid: string, campaignId: string, code: string): PartnershipEventData {
  return {
    partnershipId: pid,
    campaignId,
    brandId: BRAND,
    creatorId: id(7020),
    status: 'accepted',
    previousStatus: 'invited',
    lengthMonths: null,
    deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2026-03-15' }],
    fee: { amountMinor: 20_000, currency: 'USD' },
    commissionPercent: 10,
    briefVersion: 1,
    reason: null,
    parties: {
      brandName: 'Oaty',
      creatorName: 'Ella Runs',
      creatorHandle: 'ella',
      campaignName: 'Autumn',
      campaignStartsOn: '2026-03-01',
      campaignEndsOn: '2026-03-31',
    },
    tracking: { discountCode: code, linkSlug: `${code.toLowerCase()}-slug`, utmCampaign: 'autumn', utmContent: 'ella' },
  };
}

const RECORD_ORDERS = `mutation($b: ID!, $o: [OrderInput!]!) { recordOrders(brandId: $b, orders: $o) { partnershipId reason } }`;

/**
 * Amounts in another currency than their campaign's are kept and left out, whichever came first: payments'
 * events, partnerships' and campaigns' travel apart (other topics, other keys), so an accrual, or an order
 * credited to a partnership, may be taken in before its campaign.
 */
describe('amounts in another currency than the campaign', () => {
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
    // without its background sweep: the last test runs its rounds itself
    sub = await startTestSubgraph({ ...analyticsSubgraph, background: undefined });
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

  it('keeps an order credited to a partnership of a campaign not heard of yet waiting, then counts or excludes it', async () => {
    await publishAll([
      eventOf('partnership.accepted', P_OTHER, BRAND, partnershipOf(P_OTHER, OTHER_CAMPAIGN, 'LATE'), '2026-02-10T00:00:00Z'),
      eventOf('partnership.accepted', PARTNERSHIP, BRAND, partnershipOf(PARTNERSHIP, CAMPAIGN, 'AUTUMN'), '2026-02-10T00:00:00Z'),
    ]);
    await eventually(async () => (await count(sub, `SELECT count(*) AS n FROM partnership_facts`)) === 2, 30_000, 'the partnerships');
    const member = identities.brandMember(BRAND);
    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    const { recordOrders } = ok(
      await sub.query<{ recordOrders: { partnershipId: string | null; reason: string }[] }>(
        RECORD_ORDERS,
        {
          b: BRAND,
          o: [
            { externalId: 'wait-usd', orderedAt: '2026-03-05T09:00:00Z', amount: usd(4_000), discountCodes: ['late'] },
            {
              externalId: 'wait-gbp',
              orderedAt: '2026-03-05T10:00:00Z',
              amount: { amountMinor: 3_000, currency: 'GBP' },
              discountCodes: ['late'],
            },
          ],
        },
        member,
      ),
    );
    expect(recordOrders).toEqual([
      { partnershipId: null, reason: 'AWAITING_CAMPAIGN' },
      { partnershipId: null, reason: 'AWAITING_CAMPAIGN' },
    ]);
    const announced = () => count(sub, `SELECT count(*) AS n FROM outbox WHERE envelope->>'type' = 'order.attributed'`);
    expect(await announced()).toBe(0);
    // the campaign (in dollars) arrives: the dollar order is credited, counted and announced; the pound order is kept out
    await publishAll([campaign('USD', '2026-02-01T00:00:00Z', OTHER_CAMPAIGN)]);
    await eventually(
      async () =>
        (await count(sub, `SELECT count(*) AS n FROM orders WHERE reason = 'DISCOUNT_CODE' AND partnership_id = $1`, [P_OTHER])) === 2,
      30_000,
      'the waiting orders to be credited',
    );
    expect(
      await sub.runtime.dataSource.query(`SELECT external_id, excluded FROM orders WHERE partnership_id = $1 ORDER BY external_id`, [
        P_OTHER,
      ]),
    ).toEqual([
      { external_id: 'wait-gbp', excluded: 'CURRENCY_MISMATCH' },
      { external_id: 'wait-usd', excluded: null },
    ]);
    expect(await announced()).toBe(1);
    const [{ orders, gross }] = (await sub.runtime.dataSource.query(
      `SELECT COALESCE(sum(orders), 0)::int AS orders, COALESCE(sum(gross_minor), 0)::int AS gross FROM partnership_days WHERE partnership_id = $1`,
      [P_OTHER],
    )) as { orders: number; gross: number }[];
    expect({ orders, gross }).toEqual({ orders: 1, gross: 4_000 });
  });

  it('settles in its sweep what missed the arrival it waited for: a campaign, a partnership, a click', async () => {
    const member = identities.brandMember(BRAND);
    const sweep = new WaitingSweep(
      sub.runtime,
      sub.services.orders,
      [
        { table: 'orders', waiter: sub.services.orders },
        { table: 'conversions', waiter: sub.services.conversions },
      ],
      sub.runtime.logger,
    );
    const reasonOf = async (externalId: string) =>
      ((await sub.runtime.dataSource.query(`SELECT reason FROM orders WHERE external_id = $1`, [externalId])) as { reason: string }[])[0]
        ?.reason;
    const record = (o: Record<string, unknown>) => sub.query(RECORD_ORDERS, { b: BRAND, o: [o] }, member);
    const at = '2026-03-06T09:00:00Z';
    const usd = { amountMinor: 2_500, currency: 'USD' };

    // 1. its campaign came in while the order was being recorded (stored here without settling what waited)
    const C5 = id(7015);
    const P5 = id(7035);
    await publishAll([eventOf('partnership.accepted', P5, BRAND, partnershipOf(P5, C5, 'MISSED'), '2026-02-10T00:00:00Z')]);
    await eventually(
      async () => (await count(sub, `SELECT count(*) AS n FROM partnership_facts WHERE partnership_id = $1`, [P5])) === 1,
      30_000,
      'P5',
    );
    ok(await record({ externalId: 'missed-campaign', orderedAt: at, amount: usd, discountCodes: ['missed'] }));
    expect(await reasonOf('missed-campaign')).toBe('AWAITING_CAMPAIGN');
    await sub.runtime.dataSource.getRepository(CampaignFact).save(applyCampaignEvent(null, campaign('USD', '2026-02-01T00:00:00Z', C5))!);

    // 2. a click names a partnership analytics has no copy of yet: the order waits with no campaign to wait for
    const C6 = id(7016);
    const P6 = id(7036);
    const click6 = id(7600);
    const click = (clickId: string, pid: string, campaignId: string) =>
      eventOf(
        'click.recorded',
        pid,
        BRAND,
        {
          clickId,
          link: 'l',
          partnershipId: pid,
          campaignId,
          brandId: BRAND,
          creatorId: id(7020),
          at: '2026-03-05T09:00:00Z',
          referrer: null,
          ipHash: null,
          userAgentHash: null,
          traffic: 'human',
          agent: null,
        },
        '2026-03-05T09:00:00Z',
      );
    await publishAll([click(click6, P6, C6)]);
    await eventually(
      async () => (await count(sub, `SELECT count(*) AS n FROM clicks WHERE click_id = $1`, [click6])) === 1,
      30_000,
      'the click',
    );
    ok(
      await record({
        externalId: 'missed-partnership',
        orderedAt: at,
        amount: usd,
        landingUrl: `https://oaty.example/?ifclid=${click6.toUpperCase()}`,
      }),
    );
    expect(await reasonOf('missed-partnership')).toBe('AWAITING_CAMPAIGN');
    await publishAll([
      eventOf('partnership.accepted', P6, BRAND, partnershipOf(P6, C6, 'SIX'), '2026-02-10T00:00:00Z'),
      campaign('USD', '2026-02-01T00:00:00Z', C6),
    ]);
    await eventually(
      async () => (await count(sub, `SELECT count(*) AS n FROM campaign_facts WHERE campaign_id = $1`, [C6])) === 1,
      30_000,
      'C6',
    );

    // 3. its click came in while the order was being recorded (stored here without settling what waited)
    const click7 = id(7700);
    ok(await record({ externalId: 'missed-click', orderedAt: at, amount: usd, landingUrl: `https://oaty.example/?ifclid=${click7}` }));
    expect(await reasonOf('missed-click')).toBe('AWAITING_CLICK');
    await sub.runtime.dataSource.query(
      `INSERT INTO clicks (click_id, partnership_id, campaign_id, brand_id, link, at, traffic, after_end)
       VALUES ($1, $2, $3, $4, 'l', '2026-03-05T10:00:00Z', 'human', false)`,
      [click7, P5, C5, BRAND],
    );

    expect(await reasonOf('missed-campaign')).toBe('AWAITING_CAMPAIGN');
    expect(await reasonOf('missed-partnership')).toBe('AWAITING_CAMPAIGN');
    expect(await sweep.round()).toBe(3);
    expect([await reasonOf('missed-campaign'), await reasonOf('missed-partnership'), await reasonOf('missed-click')]).toEqual([
      'DISCOUNT_CODE',
      'CLICK_ID',
      'CLICK_ID',
    ]);
    // nothing is left to sweep, and a second round changes nothing
    expect(await sweep.round()).toBe(0);
    expect(await count(sub, `SELECT count(*) AS n FROM orders WHERE external_id LIKE 'missed-%' AND partnership_id IS NOT NULL`)).toBe(3);
  });

  it('marks, on upgrade, the entries stored before in another currency, and takes them out of the spend', async () => {
    const ds = sub.runtime.dataSource;
    const hasColumn = async () =>
      (await count(
        sub,
        `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'spend_entries' AND column_name = 'excluded'`,
      )) === 1;
    expect(await spendOfDays()).toBe(7_900);
    // back to before the migration: every entry counts, as it did then (the two pound entries too)
    while (await hasColumn()) await ds.undoLastMigration();
    expect(await spendOfDays()).toBe(13_000);
    await ds.runMigrations();
    expect(await spendOfDays()).toBe(7_900);
    expect(await count(sub, `SELECT count(*) AS n FROM spend_entries WHERE excluded = 'CURRENCY_MISMATCH'`)).toBe(2);
  });
});
