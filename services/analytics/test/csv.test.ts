import { parse } from 'csv-parse/sync';
import { Identity, minorToDecimal, signGatewayGet } from '@influenceflow/kit';
import { gatewayCallHeaders, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import {
  BRAND,
  CAMPAIGN,
  ELLA,
  GOLDEN_ORDERS,
  GOLDEN_REFUNDS,
  GOLDEN_SNAPSHOTS,
  applyGoldenEvents,
  OTHER_BRAND,
  P_ELLA,
  P_NOAH,
} from './golden-data';
import { count, ok, refusal } from './support';

const IMPORT_ORDERS = `mutation($brandId: ID!, $csv: String!) { importOrdersCsv(brandId: $brandId, csv: $csv) {
  recorded duplicates attributed rows { row externalId duplicate partnershipId reason } } }`;
const IMPORT_REFUNDS = `mutation($brandId: ID!, $csv: String!) { importRefundsCsv(brandId: $brandId, csv: $csv) {
  recorded duplicates rows { row externalId duplicate } } }`;
const RECORD_POST = `mutation($id: ID!, $s: [PostSnapshotInput!]!) { recordPostMetrics(deliverableId: $id, snapshots: $s) }`;
const RESULTS = `reach impressions engagements engagementRateByReach clicks uncountedClicks ctr orders revenue { amountMinor currency }
  refunds { amountMinor } conversionRate spend { amountMinor } cpa { amountMinor } roi costPerEngagement { amountMinor } conversions
  newCustomerOrders returningCustomerOrders referredCustomers repeatPurchaseRate mentions approvedDeliverables
  sentiment { positive neutral negative positivePercent }`;
const REPORT = `query($id: ID!) { campaignReport(campaignId: $id) { results { ${RESULTS} } creators { key label results { orders clicks } } } }`;
const LEADERBOARD = `query($b: ID!) { creatorLeaderboard(brandId: $b, orderBy: REVENUE) { key label partnerships results { ${RESULTS} } } }`;
const COMPARISON = `query($b: ID!) { performanceComparison(brandId: $b, by: TIER) { key partnerships results { orders clicks roi } } }`;

type Results = {
  orders: number;
  clicks: number;
  reach: number;
  ctr: number | null;
  roi: number | null;
  revenue: { amountMinor: number; currency: string };
  spend: { amountMinor: number };
  cpa: { amountMinor: number } | null;
  repeatPurchaseRate: number | null;
  conversionRate: number | null;
  newCustomerOrders: number;
  returningCustomerOrders: number;
  referredCustomers: number;
  refunds: { amountMinor: number };
};

const ORDER_HEADER = 'external_id,ordered_at,amount,currency,customer_id,customer_email,discount_codes,landing_url,click_id';

/** A cell as a spreadsheet would write it: quoted when it holds a comma, a quote or a line break. */
const cell = (v: string | null | undefined) => (v == null ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The golden orders as the brand's spreadsheet would save them: a BOM, CRLF, decimals, codes separated by ';'. */
function goldenOrdersCsv(): string {
  const rows = GOLDEN_ORDERS.map((o) =>
    [
      o.externalId,
      o.orderedAt,
      minorToDecimal(o.amount.amountMinor, o.amount.currency),
      o.amount.currency,
      '',
      (o as { customerEmail?: string }).customerEmail,
      ((o as { discountCodes?: string[] }).discountCodes ?? []).join(';'),
      (o as { landingUrl?: string }).landingUrl,
      '',
    ]
      .map(cell)
      .join(','),
  );
  return `\uFEFF${[ORDER_HEADER, ...rows].join('\r\n')}\r\n`;
}

function goldenRefundsCsv(): string {
  const rows = GOLDEN_REFUNDS.map((r) =>
    [r.externalId, r.orderExternalId, r.refundedAt, minorToDecimal(r.amount.amountMinor, r.amount.currency), r.amount.currency].join(','),
  );
  return ['external_id,order_external_id,refunded_at,amount,currency', ...rows].join('\n');
}

describe('CSV: orders and refunds uploaded, reports downloaded', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  const member = identities.brandMember(BRAND);
  const analyst = identities.analyst(BRAND);
  const stranger = identities.brandMember(OTHER_BRAND);

  /** GET an export as the gateway would forward it, signed for `identity` and this very URL. */
  async function download(pathAndQuery: string, identity: Identity | null, signedFor = pathAndQuery) {
    const headers: Record<string, string> = {
      'x-influenceflow-identity': signGatewayGet(
        identity,
        { subgraph: 'analytics', pathAndQuery: signedFor },
        sub.config.gatewaySigningSecret,
      ),
    };
    const res = await fetch(`http://127.0.0.1:${sub.port}${pathAndQuery}`, { headers });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
  const rowsOf = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
    await applyGoldenEvents(sub);
    for (const [id, s] of GOLDEN_SNAPSHOTS) ok(await sub.query(RECORD_POST, { id, s }, member));
  }, 90_000);
  afterAll(() => sub?.close());

  it('refuses uploads from analysts, other brands and nobody, before reading the file', async () => {
    const csv = goldenOrdersCsv();
    expect(refusal(await sub.query(IMPORT_ORDERS, { brandId: BRAND, csv }, analyst))?.code).toBe('FORBIDDEN');
    expect(refusal(await sub.query(IMPORT_ORDERS, { brandId: BRAND, csv }, stranger))?.code).toBe('FORBIDDEN');
    expect(refusal(await sub.query(IMPORT_ORDERS, { brandId: BRAND, csv }, null))?.code).toBe('UNAUTHENTICATED');
    expect(refusal(await sub.query(IMPORT_REFUNDS, { brandId: BRAND, csv: goldenRefundsCsv() }, analyst))?.code).toBe('FORBIDDEN');
    expect(refusal(await sub.query(IMPORT_ORDERS, { brandId: 'not-a-uuid', csv }, member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'brandId',
    });
    expect(await count(sub, `SELECT count(*) AS n FROM orders`)).toBe(0);
  });

  it('refuses hostile files with the row and column at fault, recording nothing', async () => {
    const valid = 'o-x,2026-03-03T09:00:00Z,1.00,USD,,,,,';
    const cases: [string, unknown, { field: unknown }][] = [
      ['a bad cell among good ones', `${ORDER_HEADER}\n${valid}\no-y,2026-03-03T09:00:00Z,ten,USD,,,,,`, { field: 'csv.row.3.amount' }],
      ['an unknown column', `${ORDER_HEADER},colour\n${valid},red`, { field: 'csv.header.10' }],
      ['a missing column', `external_id,ordered_at,amount\no,2026-03-03T09:00:00Z,1`, { field: 'csv.header.currency' }],
      ['a ragged row', `${ORDER_HEADER}\n${valid}\no-z,2026-03-03T09:00:00Z`, { field: 'csv.row.3' }],
      ['a quoted line break', `${ORDER_HEADER}\n"o\nz",2026-03-03T09:00:00Z,1,USD,,,,,`, { field: 'csv.row.2.external_id' }],
      ['a NUL byte', `${ORDER_HEADER}\n${valid}\u0000`, { field: 'csv' }],
      ['10,001 rows', `external_id\n${'a\n'.repeat(10_001)}`, { field: 'csv' }],
      ['200,000 characters', `${ORDER_HEADER}\n${'x'.repeat(200_000)}`, { field: 'csv' }],
      ['a number for the file', 42, { field: 'csv' }],
    ];
    for (const [what, csv, expected] of cases) {
      const r = refusal(await sub.query(IMPORT_ORDERS, { brandId: BRAND, csv }, member));
      expect({ what, ...r }).toMatchObject({ what, code: 'BAD_USER_INPUT', ...expected });
    }
    // a 10 MB body is refused by the subgraph's body limit before anything is parsed
    const huge = JSON.stringify({ query: IMPORT_ORDERS, variables: { brandId: BRAND, csv: 'x'.repeat(10 * 1024 * 1024) } });
    const headers = {
      'content-type': 'application/json',
      ...gatewayCallHeaders('analytics', huge, member, sub.config.gatewaySigningSecret),
    };
    const res = await fetch(sub.url, { method: 'POST', headers, body: huge }).catch(() => null);
    // refused at once with 413, or the connection closed before the body was read
    expect(res === null || res.status === 413).toBe(true);
    expect(await count(sub, `SELECT count(*) AS n FROM orders`)).toBe(0);
  });

  it('imports the golden orders and refunds as CSV and reports the golden figures', async () => {
    const { importOrdersCsv: orders } = ok(
      await sub.query<{ importOrdersCsv: { recorded: number; duplicates: number; attributed: number; rows: Record<string, unknown>[] } }>(
        IMPORT_ORDERS,
        { brandId: BRAND, csv: goldenOrdersCsv() },
        member,
      ),
    );
    expect(orders).toMatchObject({ recorded: 9, duplicates: 0, attributed: 5 });
    expect(orders.rows.map((r) => [r.row, r.externalId, r.partnershipId, r.reason])).toEqual([
      [2, 'o1', P_ELLA, 'DISCOUNT_CODE'],
      [3, 'o2', P_ELLA, 'DISCOUNT_CODE'],
      [4, 'o3', P_NOAH, 'CLICK_ID'],
      [5, 'o4', null, 'OUTSIDE_WINDOW'],
      [6, 'o5', P_ELLA, 'UTM'],
      [7, 'o6', null, 'UNKNOWN_CODE'],
      [8, 'o7', P_NOAH, 'DISCOUNT_CODE'],
      [9, 'o8', null, 'NO_REFERRAL'],
      [10, 'o9', null, 'NO_REFERRAL'],
    ]);
    const { importRefundsCsv: refunds } = ok(
      await sub.query<{ importRefundsCsv: { recorded: number; duplicates: number } }>(
        IMPORT_REFUNDS,
        { brandId: BRAND, csv: goldenRefundsCsv() },
        member,
      ),
    );
    expect(refunds).toMatchObject({ recorded: 2, duplicates: 0 });
    const { campaignReport: r } = ok(await sub.query<{ campaignReport: { results: Results } }>(REPORT, { id: CAMPAIGN }, analyst));
    expect(r.results).toMatchObject({
      orders: 3,
      revenue: { amountMinor: 19_000, currency: 'USD' },
      refunds: { amountMinor: 10_000 },
      clicks: 4,
      conversionRate: 75,
      spend: { amountMinor: 39_800 },
      cpa: { amountMinor: 13_267 },
      newCustomerOrders: 3,
      returningCustomerOrders: 1,
      referredCustomers: 3,
      repeatPurchaseRate: (2 / 3) * 100,
    });
  });

  it('answers the same file again as duplicates, changing nothing', async () => {
    const { importOrdersCsv: again } = ok(
      await sub.query<{ importOrdersCsv: { recorded: number; duplicates: number; rows: { duplicate: boolean }[] } }>(
        IMPORT_ORDERS,
        { brandId: BRAND, csv: goldenOrdersCsv() },
        member,
      ),
    );
    expect(again).toMatchObject({ recorded: 0, duplicates: 9 });
    const { importRefundsCsv: refundsAgain } = ok(
      await sub.query<{ importRefundsCsv: { duplicates: number } }>(IMPORT_REFUNDS, { brandId: BRAND, csv: goldenRefundsCsv() }, member),
    );
    expect(refundsAgain.duplicates).toBe(2);
    expect(await count(sub, `SELECT count(*) AS n FROM orders`)).toBe(9);
  });

  it('takes an order sent by the API and again in a file as one order, and refunds it by either', async () => {
    const RECORD = `mutation($b: ID!, $o: [OrderInput!]!) { recordOrders(brandId: $b, orders: $o) { orderId duplicate } }`;
    const REFUND = `mutation($b: ID!, $r: [RefundInput!]!) { recordRefunds(brandId: $b, refunds: $r) { duplicate } }`;
    const { recordOrders } = ok(
      await sub.query<{ recordOrders: { orderId: string; duplicate: boolean }[] }>(
        RECORD,
        { b: BRAND, o: [{ externalId: 'both-1', orderedAt: '2026-03-20T09:00:00Z', amount: { amountMinor: 3_000, currency: 'USD' } }] },
        member,
      ),
    );
    const csv = `${ORDER_HEADER}\nboth-1,2026-03-20T09:00:00Z,30.00,USD,,,,,`;
    const { importOrdersCsv } = ok(
      await sub.query<{ importOrdersCsv: { recorded: number; duplicates: number } }>(IMPORT_ORDERS, { brandId: BRAND, csv }, member),
    );
    expect(importOrdersCsv).toMatchObject({ recorded: 0, duplicates: 1 });
    expect(await count(sub, `SELECT count(*) AS n FROM orders WHERE external_id = 'both-1'`)).toBe(1);
    // a refund by file of the order sent by the API, and one by the API: both find it
    const refundCsv = 'external_id,order_external_id,refunded_at,amount,currency\nboth-r1,both-1,2026-03-21T00:00:00Z,10.00,USD';
    expect(
      ok(await sub.query<{ importRefundsCsv: { recorded: number } }>(IMPORT_REFUNDS, { brandId: BRAND, csv: refundCsv }, member))
        .importRefundsCsv.recorded,
    ).toBe(1);
    ok(
      await sub.query(
        REFUND,
        {
          b: BRAND,
          r: [
            {
              externalId: 'both-r2',
              orderExternalId: 'both-1',
              refundedAt: '2026-03-22T00:00:00Z',
              amount: { amountMinor: 500, currency: 'USD' },
            },
          ],
        },
        member,
      ),
    );
    expect(await count(sub, `SELECT count(*) AS n FROM refunds WHERE order_id = $1`, [recordOrders[0].orderId])).toBe(2);
    await sub.runtime.dataSource.query(`DELETE FROM refunds WHERE order_id = $1`, [recordOrders[0].orderId]);
    await sub.runtime.dataSource.query(`DELETE FROM orders WHERE id = $1`, [recordOrders[0].orderId]);
  });

  it('refuses a refunds file whose row the intake refuses, naming its row and column, and records none of it', async () => {
    const csv = [
      'external_id,order_external_id,refunded_at,amount,currency',
      'r3,o2,2026-03-12T00:00:00Z,1.00,USD',
      'r4,nobody,2026-03-12T00:00:00Z,1.00,USD',
    ].join('\n');
    expect(refusal(await sub.query(IMPORT_REFUNDS, { brandId: BRAND, csv }, member))).toMatchObject({
      code: 'NOT_FOUND',
      field: 'csv.row.3.order_external_id',
    });
    const above = 'external_id,order_external_id,refunded_at,amount,currency\nr5,o2,2026-03-12T00:00:00Z,50.01,USD';
    expect(refusal(await sub.query(IMPORT_REFUNDS, { brandId: BRAND, csv: above }, member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'csv.row.2.amount',
    });
    expect(await count(sub, `SELECT count(*) AS n FROM refunds`)).toBe(2);
  });

  it("exports the campaign report as CSV whose rows are the GraphQL report's figures", async () => {
    const res = await download(`/exports/campaign-report.csv?campaignId=${CAMPAIGN}&interval=week`, analyst);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="campaign-report-${CAMPAIGN}-week.csv"`);
    const rows = rowsOf(res.text);
    const campaign = rows.find((r) => r.section === 'campaign')!;
    expect(campaign).toMatchObject({
      key: CAMPAIGN,
      currency: 'USD',
      reach: '5000',
      impressions: '8000',
      engagements: '530',
      engagement_rate_by_reach: '10.60',
      clicks: '4',
      uncounted_clicks: '2',
      ctr: '0.05',
      orders: '3',
      revenue: '190.00',
      refunds: '100.00',
      conversion_rate: '75.00',
      spend: '398.00',
      cpa: '132.67',
      roi: '0.4774',
      cost_per_engagement: '0.75',
      new_customer_orders: '3',
      returning_customer_orders: '1',
      referred_customers: '3',
      repeat_purchase_rate: '66.67',
      approved_deliverables: '2',
    });
    expect(rows.filter((r) => r.section === 'creator').map((r) => [r.key, r.orders, r.clicks])).toEqual([
      [ELLA, '3', '2'],
      [expect.any(String), '0', '2'],
    ]);
    expect(rows.filter((r) => r.section === 'tier').map((r) => [r.key, r.orders])).toEqual([
      ['macro', '0'],
      ['micro', '3'],
    ]);
    const periods = rows.filter((r) => r.section === 'period');
    expect(periods.reduce((s, p) => s + Number(p.orders), 0)).toBe(3);
    expect(periods.every((p) => new Date(`${p.key}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(res.text.split('\r\n')[0].split(',').slice(0, 6)).toEqual(['section', 'key', 'label', 'partnerships', 'currency', 'reach']);
  });

  it('exports the leaderboard and the comparison with the same figures as GraphQL', async () => {
    const { creatorLeaderboard: board } = ok(
      await sub.query<{ creatorLeaderboard: { key: string; partnerships: number; results: Results }[] }>(LEADERBOARD, { b: BRAND }, member),
    );
    const res = await download(`/exports/creator-leaderboard.csv?brandId=${BRAND}&orderBy=revenue`, member);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="creator-leaderboard-${BRAND}.csv"`);
    expect(
      rowsOf(res.text).map((r) => [
        r.key,
        Number(r.partnerships),
        Number(r.orders),
        r.revenue,
        r.spend,
        r.roi,
        r.ctr,
        r.repeat_purchase_rate,
      ]),
    ).toEqual(
      board.map((g) => [
        g.key,
        g.partnerships,
        g.results.orders,
        minorToDecimal(g.results.revenue.amountMinor, 'USD'),
        minorToDecimal(g.results.spend.amountMinor, 'USD'),
        g.results.roi === null ? '' : g.results.roi.toFixed(4),
        g.results.ctr === null ? '' : g.results.ctr.toFixed(2),
        g.results.repeatPurchaseRate === null ? '' : g.results.repeatPurchaseRate.toFixed(2),
      ]),
    );
    const { performanceComparison: tiers } = ok(
      await sub.query<{ performanceComparison: { key: string; results: { orders: number; clicks: number } }[] }>(
        COMPARISON,
        { b: BRAND },
        analyst,
      ),
    );
    const byTier = await download(`/exports/performance-comparison.csv?brandId=${BRAND}&by=tier`, analyst);
    expect(byTier.status).toBe(200);
    expect(rowsOf(byTier.text).map((r) => [r.section, r.key, Number(r.orders), Number(r.clicks)])).toEqual(
      tiers.map((t) => ['tier', t.key, t.results.orders, t.results.clicks]),
    );
    const byPlatform = await download(`/exports/performance-comparison.csv?brandId=${BRAND}&by=platform`, analyst);
    expect(rowsOf(byPlatform.text).map((r) => r.key)).toEqual(['instagram', 'tiktok']);
  });

  it('defuses cells a spreadsheet would run', async () => {
    await sub.runtime.dataSource.query(
      `UPDATE creator_facts SET display_name = '=HYPERLINK("http://evil.example","x")' WHERE creator_id = $1`,
      [ELLA],
    );
    await sub.runtime.dataSource.query(`UPDATE campaign_facts SET name = '@SUM(A1)' WHERE campaign_id = $1`, [CAMPAIGN]);
    const res = await download(`/exports/campaign-report.csv?campaignId=${CAMPAIGN}`, member);
    const rows = rowsOf(res.text);
    expect(rows.find((r) => r.section === 'campaign')!.label).toBe("'@SUM(A1)");
    expect(rows.find((r) => r.key === ELLA)!.label).toMatch(/^'=HYPERLINK/);
    const board = rowsOf((await download(`/exports/creator-leaderboard.csv?brandId=${BRAND}`, member)).text);
    expect(board.find((r) => r.key === ELLA)!.label).toMatch(/^'=HYPERLINK/);
  });

  it('answers others 404, nobody 401, an unsigned or re-aimed call 401, bad parameters 400', async () => {
    const path = `/exports/campaign-report.csv?campaignId=${CAMPAIGN}`;
    expect((await download(path, stranger)).status).toBe(404);
    expect((await download(`/exports/creator-leaderboard.csv?brandId=${BRAND}`, stranger)).status).toBe(404);
    expect((await download(`/exports/performance-comparison.csv?brandId=${BRAND}&by=tier`, identities.creator(ELLA))).status).toBe(404);
    expect((await download(path, null)).status).toBe(401);
    // a header signed for one URL opens no other
    expect(
      (
        await download(
          `/exports/creator-leaderboard.csv?brandId=${OTHER_BRAND}`,
          member,
          `/exports/creator-leaderboard.csv?brandId=${BRAND}`,
        )
      ).status,
    ).toBe(401);
    expect((await fetch(`http://127.0.0.1:${sub.port}${path}`)).status).toBe(401);
    const bad = await download('/exports/campaign-report.csv?campaignId=nope', member);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({ error: { code: 'BAD_USER_INPUT', message: 'campaignId must be a UUID', field: 'campaignId' } });
    expect((await download(`${path}&interval=month`, member)).status).toBe(400);
    expect((await download(`/exports/performance-comparison.csv?brandId=${BRAND}&by=tier&by=platform`, member)).status).toBe(400);
    expect((await download('/exports/../../etc/passwd', member)).status).toBe(404);
    expect((await download('/exports/constructor', member)).status).toBe(404);
  });
});
