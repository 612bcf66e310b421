import { createHmac } from 'node:crypto';
import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { acceptAndAwaitDraft, createBrand, daysFromToday, dbOf, inviteWhenKnown, ok, saveCreator, sendAndSign } from './support';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const REPORT = `query($id: ID!) { campaignReport(campaignId: $id) { results { clicks orders revenue { amountMinor } spend { amountMinor } conversionRate roi }
  creators { label results { orders } } goal { goalType value percent } } }`;

interface Report {
  campaignReport: {
    results: {
      clicks: number;
      orders: number;
      revenue: { amountMinor: number };
      spend: { amountMinor: number };
      conversionRate: number | null;
      roi: number | null;
    };
    creators: { label: string; results: { orders: number } }[];
    goal: { goalType: string; value: number; percent: number | null };
  };
}

/**
 * What a brand measures, end to end through the gateway with real tokens: a follower clicks the creator's
 * tracking link, orders in the brand's Shopify shop with the click id in the landing URL (the signed webhook), analytics credits the order to the
 * partnership in the campaign report, and payments accrues the creator's commission on it, which the report's
 * spend then counts.
 */
describe('a click, an order, the report and the commission', () => {
  let stack: TestStack;
  const creatorId = '00000000-0000-4000-8000-0000000a0a01';

  beforeAll(async () => {
    stack = await startTestStack({ subgraphs: { trustedProxies: ['loopback'] } });
  }, 120_000);
  afterAll(() => stack?.close());

  it('credits the order to the click and accrues the commission', async () => {
    const creator = await stack.token({ sub: 'ana-flow-creator', roles: ['creator'], creatorId });
    await saveCreator(
      stack,
      creator,
      { handle: 'ana.bakes', displayName: 'Ana Bakes', niches: ['food'], country: 'US' },
      { handle: 'ana.bakes', followers: 30_000, engagementRate: 5 },
    );
    const brandId = await createBrand(stack, 'Oaty', 'https://oaty.example/shop');
    const brand = await stack.token({ sub: 'oaty-member', roles: ['brand_member'], brandIds: [brandId] });
    const analyst = await stack.token({ sub: 'oaty-analyst', roles: ['analyst'], brandIds: [brandId] });
    const { createCampaign } = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId,
          name: 'Oat Week',
          goal: { type: 'SALES', target: 4 },
          budget: { amountMinor: 500_000, currency: 'USD' },
          startsOn: daysFromToday(-1),
          endsOn: daysFromToday(30),
        },
      },
      brand,
    );
    const campaignId = createCampaign.id;
    await ok(
      stack,
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Oats",
        deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: daysFromToday(10) },
      brand,
    );
    const partnershipId = await inviteWhenKnown(stack, brand, {
      campaignId,
      creatorId,
      fee: { amountMinor: 30_000, currency: 'USD' },
      commissionPercent: 10,
    });
    const contractId = await acceptAndAwaitDraft(stack, partnershipId, creator, brand);
    await sendAndSign(stack, contractId, brand, [creator, brand]);
    await eventually(
      async () => (await dbOf(stack, 'payments')(`SELECT 1 FROM comp_plans WHERE partnership_id = $1`, [partnershipId])).length > 0,
      60_000,
      'the compensation plan',
    );
    await ok(
      stack,
      `mutation($input: FundCampaignInput!) { fundCampaign(input: $input) { transferId } }`,
      { input: { campaignId, amount: { amountMinor: 200_000, currency: 'USD' }, idempotencyKey: 'analytics-flow-fund' } },
      brand,
    );
    const { partnership } = await ok<{ partnership: { trackingLink: string } }>(
      stack,
      `query($id: ID!) { partnership(id: $id) { trackingLink } }`,
      { id: partnershipId },
      brand,
    );

    // A follower clicks the link on the platform's origin and lands in the shop with the click id.
    const link = `${new URL(stack.gateway.url).origin}/r/${partnership.trackingLink.split('/r/')[1]}`;
    const click = await fetch(link, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
    expect(click.status).toBe(302);
    const landing = click.headers.get('location')!;
    expect(new URL(landing).searchParams.get('ifclid')).toBeTruthy();
    await eventually(
      async () => (await stack.query<Report>(REPORT, { id: campaignId }, analyst)).data?.campaignReport.results.clicks === 1,
      60_000,
      'analytics to count the click',
    );

    // The brand's Shopify shop is connected; it reports the order (net 200.00) by its signed orders/create
    // webhook, the landing URL holding the click id.
    const SECRET = 'shpss_analytics_flow_0123456789abcdef';
    const { connectShop } = await ok<{ connectShop: { id: string; webhookUrl: string } }>(
      stack,
      `mutation($input: ConnectShopInput!) { connectShop(input: $input) { id webhookUrl } }`,
      { input: { brandId, platform: 'SHOPIFY', domain: 'oaty-flow.myshopify.com', webhookSecret: SECRET } },
      brand,
    );
    const landingSite = `${new URL(landing).pathname}${new URL(landing).search}`;
    const body = JSON.stringify({
      id: 5_550_001_001_001,
      created_at: new Date().toISOString(),
      currency: 'USD',
      subtotal_price: '200.00',
      total_price: '216.00',
      total_tax: '16.00',
      taxes_included: false,
      discount_codes: [],
      landing_site: landingSite,
      customer: { id: 7_001, email: 'f@example.com' },
      line_items: [{ sku: 'OAT-1', title: 'Oat milk, 6 pack', quantity: 2, price: '100.00' }],
    });
    const delivered = await fetch(`${new URL(stack.gateway.url).origin}/webhooks/shopify/${connectShop.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-webhook-id': 'flow-order-1',
        'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
      },
      body,
    });
    expect(delivered.status).toBe(200);
    const { brandOrders } = await ok<{
      brandOrders: { edges: { node: { source: string; partnershipId: string; reason: string; amount: { amountMinor: number } } }[] };
    }>(
      stack,
      `query($b: ID!) { brandOrders(brandId: $b) { edges { node { source partnershipId reason amount { amountMinor } } } } }`,
      { b: brandId },
      analyst,
    );
    expect(brandOrders.edges.map((e) => e.node)).toEqual([
      { source: 'shopify', partnershipId, reason: 'CLICK_ID', amount: { amountMinor: 20_000 } },
    ]);

    // Payments accrues 10 % commission from order.attributed; analytics counts it in the spend (spend.accrued):
    // the report's spend is what payments says the campaign accrued, the commission in it.
    const SPEND = `query($id: ID!) { campaign(id: $id) { spend { accrued { amountMinor } } } }`;
    const spend = await dbOf(stack, 'analytics');
    const report = await eventually(
      async () => {
        const commission = await spend<{ n: number }>(
          `SELECT count(*)::int AS n FROM spend_entries WHERE partnership_id = $1 AND kind = 'COMMISSION' AND amount_minor = 2000`,
          [partnershipId],
        );
        if (commission[0].n !== 1) return false;
        const accrued = (await stack.query<{ campaign: { spend: { accrued: { amountMinor: number } } } }>(SPEND, { id: campaignId }, brand))
          .data?.campaign.spend.accrued.amountMinor;
        const r = (await stack.query<Report>(REPORT, { id: campaignId }, analyst)).data?.campaignReport;
        return r && accrued !== undefined && r.results.spend.amountMinor === accrued && r;
      },
      90_000,
      'the commission to accrue in payments and count in the report',
    );
    expect(report.results).toMatchObject({ clicks: 1, orders: 1, revenue: { amountMinor: 20_000 }, conversionRate: 100 });
    expect(report.creators).toEqual([{ label: 'Ana Bakes (@ana.bakes)', results: { orders: 1 } }]);
    expect(report.goal).toEqual({ goalType: 'sales', value: 1, percent: 25 });
    expect(report.results.spend.amountMinor).toBeGreaterThanOrEqual(2_000);
    // and the brand's other people see nothing of it
    const outsider = await stack.token({ sub: 'someone-else', roles: ['brand_member'], brandIds: [await createBrand(stack, 'Elsewhere')] });
    expect((await stack.query(REPORT, { id: campaignId }, outsider)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  }, 300_000);

  it("serves the click keeper on the platform's origin as analytics serves it, revalidated by its ETag", async () => {
    const base = stack.gateway.url.replace(/\/graphql$/, '');
    const direct = await fetch(`${new URL(stack.subgraphs.analytics.url).origin}/t.js`);
    const viaGateway = await fetch(`${base}/t.js`);
    expect(viaGateway.status).toBe(200);
    expect(viaGateway.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(viaGateway.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = viaGateway.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(etag).toBe(direct.headers.get('etag'));
    expect(await viaGateway.text()).toBe(await direct.text());
    // a browser revalidating after an hour: 304, no body
    const again = await fetch(`${base}/t.js`, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    // another tag (an older script): the whole script again
    expect((await fetch(`${base}/t.js`, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    const head = await fetch(`${base}/t.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
  });
});
