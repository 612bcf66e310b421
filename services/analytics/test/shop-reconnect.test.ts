import { createHmac } from 'node:crypto';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import { shopifyOrder, shopifyRefund } from './shopify-fixtures';
import { ok } from './support';

/**
 * A shop connected again, and customers told apart the same way from every source, with the real order
 * intake behind the webhook (docs/shops.md, docs/analytics.md "New or returning").
 */
const brandA = '00000000-0000-4000-8000-0000000005a1';
const brandB = '00000000-0000-4000-8000-0000000005b2';
const DOMAIN = 'reconnect.myshopify.com';
const SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const NEW_SECRET = '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';

const CONNECT = `mutation($input: ConnectShopInput!) { connectShop(input: $input) { id brandId domain webhookUrl disconnectedAt } }`;
const DISCONNECT = `mutation($id: ID!) { disconnectShop(shopId: $id) { id disconnectedAt } }`;
const ORDERS = `query($b: ID!) { brandOrders(brandId: $b, first: 50) { edges { node { externalId source newCustomer refunded { amountMinor } } } } }`;
const RECORD = `mutation($b: ID!, $o: [OrderInput!]!) { recordOrders(brandId: $b, orders: $o) { externalId duplicate } }`;
const IMPORT = `mutation($b: ID!, $csv: String!) { importOrdersCsv(brandId: $b, csv: $csv) { recorded } }`;

type Shop = { id: string; brandId: string; domain: string; webhookUrl: string; disconnectedAt: string | null };
type Order = { externalId: string; source: string; newCustomer: boolean | null; refunded: { amountMinor: number } };

describe('Shops connected again, and one customer key for every source', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  let base: string;
  let delivery = 0;
  const memberA = identities.brandMember(brandA);
  const memberB = identities.brandMember(brandB);

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
    base = new URL(sub.url).origin;
  }, 90_000);
  afterAll(() => sub?.close());

  const connect = (brandId: string, who = memberA, webhookSecret = SECRET) =>
    sub.query<{ connectShop: Shop }>(CONNECT, { input: { brandId, platform: 'SHOPIFY', domain: DOMAIN, webhookSecret } }, who);
  const disconnect = async (id: string, who = memberA) => ok(await sub.query<{ disconnectShop: Shop }>(DISCONNECT, { id }, who));
  async function webhook(shopId: string, topic: string, body: unknown, secret: string, webhookId = `d-${++delivery}`) {
    const text = JSON.stringify(body);
    const res = await fetch(`${base}/webhooks/shopify/${shopId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-webhook-id': webhookId,
        'x-shopify-hmac-sha256': createHmac('sha256', secret).update(text).digest('base64'),
      },
      body: text,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const orders = async () =>
    ok(await sub.query<{ brandOrders: { edges: { node: Order }[] } }>(ORDERS, { b: brandA }, memberA)).brandOrders.edges.map((e) => e.node);
  const shopRows = async () =>
    (await sub.runtime.dataSource.query(`SELECT id, brand_id, disconnected_at FROM shops WHERE domain = $1 ORDER BY created_at`, [
      DOMAIN,
    ])) as { id: string; brand_id: string; disconnected_at: Date | null }[];

  let shopId: string;

  it("connects the brand's store again as the same shop: its earlier orders' refunds are taken, an old order again is a duplicate", async () => {
    const first = ok(await connect(brandA)).connectShop;
    shopId = first.id;
    const order = shopifyOrder({ id: 7001, customer: null, email: 'x@example.com', discount_codes: [], landing_site: null });
    expect(await webhook(shopId, 'orders/create', order, SECRET, 'old-delivery')).toEqual({ status: 200, body: { outcome: 'recorded' } });
    await disconnect(shopId);
    // disconnected: refused, as before
    expect((await webhook(shopId, 'orders/create', order, SECRET)).status).toBe(401);

    const again = ok(await connect(brandA, memberA, NEW_SECRET)).connectShop;
    expect(again).toEqual({ ...first, disconnectedAt: null });
    expect(await shopRows()).toEqual([{ id: shopId, brand_id: brandA, disconnected_at: null }]);
    // the secret of before the disconnection opens nothing: only the new one
    const refund = shopifyRefund({ id: 8001, order_id: 7001 });
    expect((await webhook(shopId, 'refunds/create', refund, SECRET)).status).toBe(401);
    expect(await webhook(shopId, 'refunds/create', refund, NEW_SECRET)).toEqual({ status: 200, body: { outcome: 'recorded' } });
    // the old order redelivered under a new delivery id is the same order; under its old delivery id, the same receipt
    expect(await webhook(shopId, 'orders/create', order, NEW_SECRET)).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    expect(await webhook(shopId, 'orders/create', order, NEW_SECRET, 'old-delivery')).toEqual({
      status: 200,
      body: { duplicate: true },
    });
    expect(await orders()).toEqual([{ externalId: '7001', source: 'shopify', newCustomer: true, refunded: { amountMinor: 5000 } }]);
  });

  it('still refuses a domain connected now, to its brand and to any other; another brand connects a disconnected one as its own shop', async () => {
    expect((await connect(brandA)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.domain' });
    expect((await connect(brandB, memberB)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.domain' });
    // another brand's member may not connect it for brand A either
    expect((await connect(brandA, memberB)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await disconnect(shopId);
    const theirs = ok(await connect(brandB, memberB)).connectShop;
    expect(theirs.id).not.toBe(shopId);
    expect(theirs.brandId).toBe(brandB);
    // brand A's shop stays disconnected, its orders its own; and while B holds the domain, A cannot take it back
    expect((await connect(brandA)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.domain' });
    const order = shopifyOrder({ id: 7001, customer: null, email: 'x@example.com' });
    expect(await webhook(theirs.id, 'orders/create', order, SECRET)).toEqual({ status: 200, body: { outcome: 'recorded' } });
    expect(await webhook(shopId, 'orders/create', order, SECRET)).toMatchObject({ status: 401 });

    await disconnect(theirs.id, memberB);
    expect(ok(await connect(brandA)).connectShop.id).toBe(shopId);
    expect((await shopRows()).map((r) => [r.id, r.brand_id, r.disconnected_at === null])).toEqual([
      [shopId, brandA, true],
      [theirs.id, brandB, false],
    ]);
  });

  it("lets one of two reconnections at once win; the other is CONFLICT, and the shop keeps the winner's secret", async () => {
    await disconnect(shopId);
    const [a, b] = await Promise.all([connect(brandA, memberA, SECRET), connect(brandA, memberA, NEW_SECRET)]);
    const answers = [a, b].map((r) => (r.errors ? r.errors[0].extensions?.code : r.data!.connectShop.id));
    expect(answers.sort()).toEqual(['CONFLICT', shopId].sort());
    const winner = a.errors ? NEW_SECRET : SECRET;
    const loser = a.errors ? SECRET : NEW_SECRET;
    const order = shopifyOrder({ id: 7050, customer: null, email: 'race@example.com', discount_codes: [], landing_site: null });
    expect((await webhook(shopId, 'orders/create', order, loser)).status).toBe(401);
    expect(await webhook(shopId, 'orders/create', order, winner)).toEqual({ status: 200, body: { outcome: 'recorded' } });
    // back to the secret the next tests sign with
    if (winner !== SECRET) {
      await disconnect(shopId);
      ok(await connect(brandA));
    }
    expect(await shopRows()).toHaveLength(2);
  });

  it('counts an e-mail from Shopify, the API and a CSV file as one customer: new, then returning', async () => {
    const first = shopifyOrder({
      id: 7101,
      created_at: '2026-12-01T10:00:00Z',
      customer: { email: 'Mia@Example.com' },
      discount_codes: [],
      landing_site: null,
    });
    expect(await webhook(shopId, 'orders/create', first, SECRET)).toEqual({ status: 200, body: { outcome: 'recorded' } });
    const api = {
      externalId: 'api-1',
      orderedAt: '2026-12-02T10:00:00Z',
      amount: { amountMinor: 2000, currency: 'USD' },
      customerEmail: ' MIA@example.COM ',
    };
    expect(ok(await sub.query(RECORD, { b: brandA, o: [api] }, memberA))).toEqual({
      recordOrders: [{ externalId: 'api-1', duplicate: false }],
    });
    const csv = 'external_id,ordered_at,amount,currency,customer_email\r\ncsv-1,2026-12-03T10:00:00Z,30.00,USD,mia@EXAMPLE.com\r\n';
    expect(ok(await sub.query(IMPORT, { b: brandA, csv }, memberA))).toEqual({ importOrdersCsv: { recorded: 1 } });
    // someone else's e-mail is a customer of their own
    const other = { ...api, externalId: 'api-2', orderedAt: '2026-12-04T10:00:00Z', customerEmail: 'noah@example.com' };
    ok(await sub.query(RECORD, { b: brandA, o: [other] }, memberA));
    const byId = new Map((await orders()).map((o) => [o.externalId, o.newCustomer]));
    expect([byId.get('7101'), byId.get('api-1'), byId.get('csv-1'), byId.get('api-2')]).toEqual([true, false, false, true]);
  });

  it("keeps a Shopify customer id to its shop, apart from the brand's own ids of the same digits", async () => {
    const shopify = shopifyOrder({
      id: 7201,
      created_at: '2026-12-05T10:00:00Z',
      customer: { id: 555000111 },
      discount_codes: [],
      landing_site: null,
    });
    expect(await webhook(shopId, 'orders/create', shopify, SECRET)).toEqual({ status: 200, body: { outcome: 'recorded' } });
    const again = { ...shopify, id: 7202, created_at: '2026-12-06T10:00:00Z' };
    expect(await webhook(shopId, 'orders/create', again, SECRET)).toEqual({ status: 200, body: { outcome: 'recorded' } });
    const api = {
      externalId: 'api-3',
      orderedAt: '2026-12-07T10:00:00Z',
      amount: { amountMinor: 100, currency: 'USD' },
      customerId: '555000111',
    };
    ok(await sub.query(RECORD, { b: brandA, o: [api] }, memberA));
    const byId = new Map((await orders()).map((o) => [o.externalId, o.newCustomer]));
    expect([byId.get('7201'), byId.get('7202'), byId.get('api-3')]).toEqual([true, false, true]);
  });
});
