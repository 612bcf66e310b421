import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import {
  GOLDEN_COMMENTS,
  BRAND,
  CAMPAIGN,
  CLICK,
  GOLDEN_ORDERS,
  GOLDEN_REFUNDS,
  GOLDEN_SNAPSHOTS,
  applyGoldenEvents,
  OTHER_BRAND,
  P_ELLA,
  P_NOAH,
} from './golden-data';
import { count, ok, publishAll, refusal } from './support';

const RECORD_ORDERS = `mutation($brandId: ID!, $orders: [OrderInput!]!) { recordOrders(brandId: $brandId, orders: $orders) { externalId duplicate partnershipId reason } }`;
const RECORD_REFUNDS = `mutation($brandId: ID!, $refunds: [RefundInput!]!) { recordRefunds(brandId: $brandId, refunds: $refunds) { externalId duplicate } }`;
const RECORD_POST = `mutation($id: ID!, $s: [PostSnapshotInput!]!) { recordPostMetrics(deliverableId: $id, snapshots: $s) }`;
const RECORD_COMMENTS = `mutation($deliverableId: ID!, $comments: [PostCommentInput!]!, $caption: String, $captionPostedAt: DateTimeISO) {
  recordPostComments(deliverableId: $deliverableId, comments: $comments, caption: $caption, captionPostedAt: $captionPostedAt) }`;
const RESULTS = `reach impressions engagements engagementRateByReach clicks uncountedClicks ctr orders revenue { amountMinor currency }
  refunds { amountMinor } conversionRate spend { amountMinor } cpa { amountMinor } roi costPerEngagement { amountMinor }
  newCustomerOrders returningCustomerOrders referredCustomers repeatPurchaseRate approvedDeliverables`;
const REPORT = `query($id: ID!, $interval: ReportInterval) { campaignReport(campaignId: $id, interval: $interval) {
  name currency attributionWindowDays results { ${RESULTS} } goal { goalType target value percent }
  series { period clicks orders revenue { amountMinor } spend { amountMinor } }
  creators { key label partnerships results { orders revenue { amountMinor } clicks } }
  platforms { key partnerships results { clicks orders } } tiers { key partnerships results { clicks orders roi } } } }`;

/*
 * Worked out by hand from golden-data.ts:
 * - clicks: human k1, k2 (Ella), k4, k6 (Noah) = 4; k3 (bot) and k5 (preview) uncounted = 2.
 * - credited, in USD: o1 10,000 + o2 5,000 (Ella, by code), o3 8,000 (Noah, by click), o5 6,000 (Ella, by UTM);
 *   o4 (outside the window), o6 (unknown code), o8, o9 unattributed; o7 credited to Noah but in EUR: left out.
 *   refunds: o1 2,000, o3 8,000 (in full: o3 is no longer an order) → orders = 3, revenue = 29,000 − 10,000 = 19,000.
 * - spend: 20,000 + 15,000 + 1,000 − 200 (refunded commission) + 4,000 (the amended product value) = 39,800;
 *   Noah's 9,999 in EUR is kept and left out (the campaign is in USD).
 * - posts: Ella's latest (4 March) 2,000 reach, 3,000 impressions, 150 + 20 + 10; Noah's 3,000, 5,000, 300 + 30 + 20
 *   → reach 5,000, impressions 8,000, engagements 530.
 * - CTR = 4 ÷ 8,000 × 100 = 0.05; conversion = 3 ÷ 4 × 100 = 75; CPA = 39,800 ÷ 3 = 13,266.67 → 13,267;
 *   ROI = 19,000 ÷ 39,800 = 0.4774; cost per engagement = 39,800 ÷ 530 = 75.09 → 75; ER by reach = 530 ÷ 5,000 × 100 = 10.6.
 * - customers first credited in the campaign: X (o1), Y (o2), Z (o3); X (o5, 3 days) and Y (o8, 58 days) ordered
 *   again within 90 days, Z (o9, 118 days) not → 2 ÷ 3 × 100 = 66.67. New: o1, o2, o3; returning: o5.
 * - goal: sales, target 4 orders → 3 ÷ 4 × 100 = 75.
 */
interface Period {
  period: string;
  clicks: number;
  orders: number;
  revenue: { amountMinor: number };
  spend: { amountMinor: number };
}
interface Group {
  key: string;
  label: string;
  partnerships: number;
  results: { orders: number; clicks: number; revenue: { amountMinor: number } };
}
interface Report {
  attributionWindowDays: number;
  results: Record<string, unknown> & { roi: number };
  goal: unknown;
  series: Period[];
  creators: Group[];
  platforms: Group[];
  tiers: Group[];
}

describe('analytics on the golden data set', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  const member = identities.brandMember(BRAND);
  const analyst = identities.analyst(BRAND);

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
    await applyGoldenEvents(sub);
    const orders = ok(
      await sub.query<{ recordOrders: { externalId: string; partnershipId: string | null; reason: string }[] }>(
        RECORD_ORDERS,
        { brandId: BRAND, orders: GOLDEN_ORDERS },
        member,
      ),
    );
    expect(orders.recordOrders.map((o) => [o.externalId, o.partnershipId, o.reason])).toEqual([
      ['o1', P_ELLA, 'DISCOUNT_CODE'],
      ['o2', P_ELLA, 'DISCOUNT_CODE'],
      ['o3', P_NOAH, 'CLICK_ID'],
      ['o4', null, 'OUTSIDE_WINDOW'],
      ['o5', P_ELLA, 'UTM'],
      ['o6', null, 'UNKNOWN_CODE'],
      ['o7', P_NOAH, 'DISCOUNT_CODE'],
      ['o8', null, 'NO_REFERRAL'],
      ['o9', null, 'NO_REFERRAL'],
    ]);
    ok(await sub.query(RECORD_REFUNDS, { brandId: BRAND, refunds: GOLDEN_REFUNDS }, member));
    for (const [id, s] of GOLDEN_SNAPSHOTS) ok(await sub.query(RECORD_POST, { id, s }, member));
    ok(await sub.query(RECORD_COMMENTS, GOLDEN_COMMENTS, member));
  }, 90_000);
  afterAll(() => sub?.close());

  it('reports exactly the hand-computed figures', async () => {
    const { campaignReport: r } = ok(await sub.query<{ campaignReport: Report }>(REPORT, { id: CAMPAIGN }, analyst));
    expect(r.results).toEqual({
      reach: 5_000,
      impressions: 8_000,
      engagements: 530,
      engagementRateByReach: 10.6,
      clicks: 4,
      uncountedClicks: 2,
      ctr: 0.05,
      orders: 3,
      revenue: { amountMinor: 19_000, currency: 'USD' },
      refunds: { amountMinor: 10_000 },
      conversionRate: 75,
      spend: { amountMinor: 39_800 },
      cpa: { amountMinor: 13_267 },
      roi: 19_000 / 39_800,
      costPerEngagement: { amountMinor: 75 },
      newCustomerOrders: 3,
      returningCustomerOrders: 1,
      referredCustomers: 3,
      repeatPurchaseRate: (2 / 3) * 100,
      approvedDeliverables: 2,
    });
    expect(r.results.roi.toFixed(4)).toBe('0.4774');
    expect(r.goal).toEqual({ goalType: 'sales', target: 4, value: 3, percent: 75 });
    expect(r.attributionWindowDays).toBe(21);
    // Ella: o1, o2, o5 (19,000 net); Noah: o3 refunded in full → nothing
    expect(r.creators.map((c) => [c.label, c.partnerships, c.results.orders, c.results.revenue.amountMinor, c.results.clicks])).toEqual([
      ['Ella Runs (@ella)', 1, 3, 19_000, 2],
      ['Noah Lifts (@noah)', 1, 0, 0, 2],
    ]);
    expect(r.tiers.map((t) => [t.key, t.results.orders])).toEqual([
      ['macro', 0],
      ['micro', 3],
    ]);
    expect(r.platforms.map((p) => p.key)).toEqual(['instagram', 'tiktok']);
  });

  it('keeps a time series whose days add up to the totals', async () => {
    const { campaignReport: r } = ok(await sub.query<{ campaignReport: Report }>(REPORT, { id: CAMPAIGN, interval: 'DAY' }, member));
    const sum = (f: (p: Period) => number) => r.series.reduce((s: number, p) => s + f(p), 0);
    expect(sum((p) => p.clicks)).toBe(4);
    expect(sum((p) => p.orders)).toBe(3);
    expect(sum((p) => p.revenue.amountMinor)).toBe(19_000);
    expect(sum((p) => p.spend.amountMinor)).toBe(39_800);
    // the euro entry is kept, with its reason, and counted nowhere
    expect(
      await sub.runtime.dataSource.query(
        `SELECT amount_minor::int AS amount, currency, excluded FROM spend_entries WHERE excluded IS NOT NULL`,
      ),
    ).toEqual([{ amount: 9_999, currency: 'EUR', excluded: 'CURRENCY_MISMATCH' }]);
    expect(r.series.find((p) => p.period === '2026-03-03')).toMatchObject({ orders: 1, revenue: { amountMinor: 10_000 } });
    const { campaignReport: weekly } = ok(await sub.query<{ campaignReport: Report }>(REPORT, { id: CAMPAIGN, interval: 'WEEK' }, member));
    expect(weekly.series.every((p) => new Date(`${p.period}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(weekly.series.reduce((s: number, p) => s + p.clicks, 0)).toBe(4);
  });

  it('announces each counted order and refund once, for payments', async () => {
    const types = (await sub.runtime.dataSource.query(
      `SELECT type, envelope->'data'->>'via' AS via, (envelope->'data'->>'amountMinor')::int AS amount FROM outbox WHERE topic LIKE '%conversion.events' ORDER BY seq`,
    )) as { type: string; via: string; amount: number }[];
    expect(types).toEqual([
      { type: 'order.attributed', via: 'discount_code', amount: 10_000 },
      { type: 'order.attributed', via: 'discount_code', amount: 5_000 },
      { type: 'order.attributed', via: 'link', amount: 8_000 },
      { type: 'order.attributed', via: 'link', amount: 6_000 },
      { type: 'order.refunded', via: null, amount: 2_000 },
      { type: 'order.refunded', via: null, amount: 8_000 },
    ]);
  });

  it('answers a redelivered order and refund as duplicates and counts nothing twice', async () => {
    const again = ok(
      await sub.query<{ recordOrders: { duplicate: boolean }[] }>(
        RECORD_ORDERS,
        { brandId: BRAND, orders: GOLDEN_ORDERS.slice(0, 2) },
        member,
      ),
    );
    expect(again.recordOrders.map((o) => o.duplicate)).toEqual([true, true]);
    const refundAgain = ok(
      await sub.query<{ recordRefunds: { duplicate: boolean }[] }>(RECORD_REFUNDS, { brandId: BRAND, refunds: GOLDEN_REFUNDS }, member),
    );
    expect(refundAgain.recordRefunds.map((r) => r.duplicate)).toEqual([true, true]);
    const { campaignReport: r } = ok(await sub.query<{ campaignReport: Report }>(REPORT, { id: CAMPAIGN }, member));
    expect(r.results).toMatchObject({ orders: 3, revenue: { amountMinor: 19_000 }, clicks: 4 });
    expect(await count(sub, `SELECT count(*) AS n FROM outbox WHERE type = 'order.attributed'`)).toBe(4);
  });

  it('refuses a refund above what is left, a refund of an unknown order, and writes nothing of the batch', async () => {
    const above = await sub.query(
      RECORD_REFUNDS,
      {
        brandId: BRAND,
        refunds: [
          { externalId: 'r9', orderExternalId: 'o2', refundedAt: '2026-03-12T00:00:00Z', amount: { amountMinor: 1_000, currency: 'USD' } },
          { externalId: 'r3', orderExternalId: 'o2', refundedAt: '2026-03-12T00:00:00Z', amount: { amountMinor: 4_001, currency: 'USD' } },
        ],
      },
      member,
    );
    expect(refusal(above)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'refunds.1.amountMinor' });
    const unknown = await sub.query(
      RECORD_REFUNDS,
      {
        brandId: BRAND,
        refunds: [
          { externalId: 'r4', orderExternalId: 'nope', refundedAt: '2026-03-12T00:00:00Z', amount: { amountMinor: 1, currency: 'USD' } },
        ],
      },
      member,
    );
    expect(refusal(unknown)).toMatchObject({ code: 'NOT_FOUND', field: 'refunds.0.orderExternalId' });
    const otherCurrency = await sub.query(
      RECORD_REFUNDS,
      {
        brandId: BRAND,
        refunds: [
          { externalId: 'r5', orderExternalId: 'o2', refundedAt: '2026-03-12T00:00:00Z', amount: { amountMinor: 1, currency: 'EUR' } },
        ],
      },
      member,
    );
    expect(refusal(otherCurrency)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'refunds.0.currency' });
    expect(await count(sub, `SELECT count(*) AS n FROM refunds`)).toBe(2);
  });

  it('refuses bad orders with the field, and writes none of the batch', async () => {
    const bad = await sub.query(
      RECORD_ORDERS,
      {
        brandId: BRAND,
        orders: [
          { externalId: 'ok-1', orderedAt: '2026-03-08T00:00:00Z', amount: { amountMinor: 100, currency: 'USD' } },
          { externalId: 'neg', orderedAt: '2026-03-08T00:00:00Z', amount: { amountMinor: -5, currency: 'USD' } },
          { externalId: '  ', orderedAt: '2026-03-08T00:00:00Z', amount: { amountMinor: 1, currency: 'ZZZ' } },
        ],
      },
      member,
    );
    const fields = (bad.errors?.[0]?.extensions?.problems as { field: string }[] | undefined)?.map((p) => p.field) ?? [refusal(bad)?.field];
    expect(refusal(bad)?.code).toBe('BAD_USER_INPUT');
    expect(fields).toEqual(expect.arrayContaining(['orders.1.amount.amountMinor', 'orders.2.externalId', 'orders.2.amount.currency']));
    expect(await count(sub, `SELECT count(*) AS n FROM orders WHERE external_id = 'ok-1'`)).toBe(0);
  });

  it('lets only the brand read its figures and only its members write them', async () => {
    const outsider = identities.brandMember(OTHER_BRAND);
    expect(refusal(await sub.query(REPORT, { id: CAMPAIGN }, outsider))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refusal(await sub.query(REPORT, { id: CAMPAIGN }, identities.creator(P_ELLA)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refusal(await sub.query(REPORT, { id: CAMPAIGN }, null))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refusal(await sub.query(REPORT, { id: 'not-a-uuid' }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'campaignId' });
    const order = [{ externalId: 'x1', orderedAt: '2026-03-08T00:00:00Z', amount: { amountMinor: 100, currency: 'USD' } }];
    expect(refusal(await sub.query(RECORD_ORDERS, { brandId: BRAND, orders: order }, analyst))).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal(await sub.query(RECORD_ORDERS, { brandId: BRAND, orders: order }, outsider))).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal(await sub.query(RECORD_ORDERS, { brandId: BRAND, orders: order }, null))).toMatchObject({ code: 'UNAUTHENTICATED' });
    const metrics = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Partnership { metrics { orders } } ... on Campaign { metrics { results { orders } } } } }`;
    const reps = {
      r: [
        { __typename: 'Partnership', id: P_ELLA },
        { __typename: 'Partnership', id: P_NOAH },
        { __typename: 'Campaign', id: CAMPAIGN },
      ],
    };
    expect(ok(await sub.query<{ _entities: unknown[] }>(metrics, reps, analyst))._entities).toEqual([
      { metrics: { orders: 3 } },
      { metrics: { orders: 0 } },
      { metrics: { results: { orders: 3 } } },
    ]);
    expect(ok(await sub.query<{ _entities: unknown[] }>(metrics, reps, outsider))._entities).toEqual([
      { metrics: null },
      { metrics: null },
      { metrics: null },
    ]);
  });

  it('credits an order that names a click analytics has not heard of yet once the click arrives', async () => {
    const late = '00000000-0000-4000-8000-000000000999';
    const res = ok(
      await sub.query<{ recordOrders: { reason: string }[] }>(
        RECORD_ORDERS,
        {
          brandId: BRAND,
          orders: [
            {
              externalId: 'late-1',
              orderedAt: '2026-03-09T12:00:00Z',
              amount: { amountMinor: 1_000, currency: 'USD' },
              landingUrl: `https://oaty.example/?ifclid=${late}`,
            },
          ],
        },
        member,
      ),
    );
    expect(res.recordOrders[0].reason).toBe('AWAITING_CLICK');
    // a sign-up on the same landing URL (no click id of its own) waits for the click too
    const signup = ok(
      await sub.query<{ recordConversions: { reason: string }[] }>(
        `mutation($b: ID!, $c: [ConversionInput!]!) { recordConversions(brandId: $b, conversions: $c) { reason } }`,
        {
          b: BRAND,
          c: [
            {
              kind: 'SIGNUP',
              externalId: 'late-sign',
              occurredAt: '2026-03-09T12:30:00Z',
              landingUrl: `https://oaty.example/?ifclid=${late}`,
            },
          ],
        },
        member,
      ),
    );
    expect(signup.recordConversions[0].reason).toBe('AWAITING_CLICK');
    // refunded in part while it waits: counted, and announced to payments, with the refund once credited
    ok(
      await sub.query(
        RECORD_REFUNDS,
        {
          brandId: BRAND,
          refunds: [
            {
              externalId: 'late-r',
              orderExternalId: 'late-1',
              refundedAt: '2026-03-09T13:00:00Z',
              amount: { amountMinor: 300, currency: 'USD' },
            },
          ],
        },
        member,
      ),
    );
    const { eventOf } = await import('./support');
    await publishAll([
      eventOf(
        'click.recorded',
        P_NOAH,
        BRAND,
        {
          clickId: late,
          link: 'noah-slug',
          partnershipId: P_NOAH,
          campaignId: CAMPAIGN,
          brandId: BRAND,
          creatorId: CLICK.k1,
          at: '2026-03-09T11:00:00Z',
          referrer: null,
          ipHash: null,
          userAgentHash: null,
          traffic: 'human',
          agent: null,
        },
        '2026-03-09T11:00:00Z',
      ),
    ]);
    await eventually(
      async () => (await count(sub, `SELECT count(*) AS n FROM orders WHERE external_id = 'late-1' AND reason = 'CLICK_ID'`)) === 1,
      30_000,
      'the late click to credit the order',
    );
    expect(
      await count(
        sub,
        `SELECT count(*) AS n FROM conversions WHERE external_id = 'late-sign' AND reason = 'CLICK_ID' AND partnership_id = $1`,
        [P_NOAH],
      ),
    ).toBe(1);
    const { campaignReport: r } = ok(await sub.query<{ campaignReport: Report }>(REPORT, { id: CAMPAIGN }, member));
    expect(r.results).toMatchObject({ orders: 4, clicks: 5, revenue: { amountMinor: 19_700 } });
    const announced = (await sub.runtime.dataSource.query(
      `SELECT type, (envelope->'data'->>'amountMinor')::int AS amount FROM outbox WHERE envelope->'data'->>'orderId' = (SELECT id::text FROM orders WHERE external_id = 'late-1') ORDER BY seq`,
    )) as { type: string; amount: number }[];
    expect(announced).toEqual([
      { type: 'order.attributed', amount: 1_000 },
      { type: 'order.refunded', amount: 300 },
    ]);
  });

  it('counts leads and sign-ups credited by the same rule, once each', async () => {
    const RECORD = `mutation($b: ID!, $c: [ConversionInput!]!) { recordConversions(brandId: $b, conversions: $c) { externalId duplicate partnershipId reason } }`;
    const conversions = [
      { kind: 'LEAD', externalId: 'lead-1', occurredAt: '2026-03-08T10:00:00Z', discountCode: 'ella' },
      { kind: 'SIGNUP', externalId: 'sign-1', occurredAt: '2026-03-08T11:00:00Z', clickId: CLICK.k4 },
      { kind: 'SIGNUP', externalId: 'sign-2', occurredAt: '2026-03-08T11:00:00Z' },
    ];
    const first = ok(
      await sub.query<{ recordConversions: { partnershipId: string | null; reason: string }[] }>(
        RECORD,
        { b: BRAND, c: conversions },
        member,
      ),
    );
    expect(first.recordConversions.map((c) => [c.partnershipId, c.reason])).toEqual([
      [P_ELLA, 'DISCOUNT_CODE'],
      [P_NOAH, 'CLICK_ID'],
      [null, 'NO_REFERRAL'],
    ]);
    const again = ok(await sub.query<{ recordConversions: { duplicate: boolean }[] }>(RECORD, { b: BRAND, c: conversions }, member));
    expect(again.recordConversions.every((c) => c.duplicate)).toBe(true);
    expect(refusal(await sub.query(RECORD, { b: BRAND, c: conversions }, analyst))).toMatchObject({ code: 'FORBIDDEN' });
    const { campaignReport: r } = ok(
      await sub.query<{ campaignReport: { results: { conversions: number } } }>(
        `query($id: ID!) { campaignReport(campaignId: $id) { results { conversions } } }`,
        { id: CAMPAIGN },
        member,
      ),
    );
    // lead-1 and sign-1, and the sign-up credited by the late click (above)
    expect(r.results.conversions).toBe(3);
  });

  it('lists the brand’s orders with why each was credited, page by page, for its readers only', async () => {
    const LIST = `query($b: ID!, $a: Boolean, $after: String) { brandOrders(brandId: $b, attributed: $a, first: 3, after: $after) {
      edges { node { externalId reason excluded refunded { amountMinor } newCustomer } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      brandOrders: {
        edges: { node: { externalId: string; reason: string; excluded: string | null } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = ok(await sub.query<Page>(LIST, { b: BRAND, a: false, after }, analyst));
      seen.push(...page.brandOrders.edges.map((e) => `${e.node.externalId}:${e.node.reason}`));
      if (!page.brandOrders.pageInfo.hasNextPage) break;
      after = page.brandOrders.pageInfo.endCursor;
    }
    expect(seen).toEqual(expect.arrayContaining(['o9:NO_REFERRAL', 'o8:NO_REFERRAL', 'o6:UNKNOWN_CODE', 'o4:OUTSIDE_WINDOW']));
    expect(seen.every((s) => !s.startsWith('o1:'))).toBe(true);
    const credited = ok(await sub.query<Page>(LIST, { b: BRAND, a: true, after: null }, member));
    expect(credited.brandOrders.edges.map((e) => e.node)).toContainEqual(
      expect.objectContaining({ externalId: 'o7', excluded: 'CURRENCY_MISMATCH' }),
    );
    expect(refusal(await sub.query(LIST, { b: BRAND, after: 'bm90LWEtY3Vyc29y' }, member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(refusal(await sub.query(LIST, { b: BRAND }, identities.brandMember(OTHER_BRAND)))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('classifies the comments, counts sentiment shares and lists the brand mentions', async () => {
    const { campaignReport: r } = ok(
      await sub.query<{ campaignReport: { results: { sentiment: Record<string, number>; mentions: number } } }>(
        `query($id: ID!) { campaignReport(campaignId: $id) { results { mentions sentiment { positive neutral negative positivePercent neutralPercent negativePercent } } } }`,
        { id: CAMPAIGN },
        analyst,
      ),
    );
    expect(r.results.sentiment).toEqual({
      positive: 1,
      neutral: 1,
      negative: 1,
      positivePercent: (1 / 3) * 100,
      neutralPercent: (1 / 3) * 100,
      negativePercent: (1 / 3) * 100,
    });
    expect(r.results.mentions).toBe(2);
    const { brandMentions } = ok(
      await sub.query<{
        brandMentions: {
          edges: { node: { source: string; sentiment: string; duringCampaign: boolean; mentions: { kind: string; text: string }[] } }[];
        };
      }>(
        `query($id: ID!) { brandMentions(campaignId: $id) { edges { node { source sentiment duringCampaign mentions { kind text } } } } }`,
        { id: CAMPAIGN },
        analyst,
      ),
    );
    expect(brandMentions.edges.map((e) => e.node)).toEqual([
      { source: 'comment', sentiment: 'positive', duringCampaign: true, mentions: [{ kind: 'brand', text: 'Oaty' }] },
      { source: 'caption', sentiment: expect.any(String), duringCampaign: true, mentions: [{ kind: 'hashtag', text: '#oaty' }] },
    ]);
    // the same comments again are kept once
    expect(ok(await sub.query<{ recordPostComments: number }>(RECORD_COMMENTS, GOLDEN_COMMENTS, member)).recordPostComments).toBe(0);
    expect(refusal(await sub.query(RECORD_COMMENTS, GOLDEN_COMMENTS, analyst))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('ranks the brand’s creators by revenue unless asked otherwise, and compares tiers', async () => {
    const board = (orderBy?: string) =>
      sub.query<{ creatorLeaderboard: { label: string }[] }>(
        `query($b: ID!, $o: LeaderboardOrder) { creatorLeaderboard(brandId: $b, orderBy: $o) { label } }`,
        { b: BRAND, ...(orderBy ? { o: orderBy } : {}) },
        analyst,
      );
    // Ella: revenue 19,000, ER by reach 180 ÷ 2,000 = 9 %; Noah: revenue 0, ER 350 ÷ 3,000 = 11.67 %
    expect(ok(await board()).creatorLeaderboard.map((c) => c.label)).toEqual(['Ella Runs (@ella)', 'Noah Lifts (@noah)']);
    expect(ok(await board('ENGAGEMENT_RATE')).creatorLeaderboard.map((c) => c.label)).toEqual(['Noah Lifts (@noah)', 'Ella Runs (@ella)']);
    const { performanceComparison } = ok(
      await sub.query<{ performanceComparison: { key: string; partnerships: number }[] }>(
        `query($b: ID!) { performanceComparison(brandId: $b, by: TIER) { key partnerships } }`,
        { b: BRAND },
        analyst,
      ),
    );
    expect(performanceComparison).toEqual([
      { key: 'macro', partnerships: 1 },
      { key: 'micro', partnerships: 1 },
    ]);
  });
});
