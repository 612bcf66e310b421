import { createHmac } from 'node:crypto';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { EntityManager } from 'typeorm';
import type { OrderIntake, OrderReceived, RefundReceived } from '../src/orders/order-input';
import { analyticsSubgraph } from '../src/schema';
import { AnalyticsServices, analyticsServices } from '../src/services';
import { mountShopifyWebhook } from '../src/shops/shopify-webhook.route';
import { shopifyOrder, shopifyRefund } from './shopify-fixtures';

const brandA = '00000000-0000-4000-8000-0000000000a1';
const brandB = '00000000-0000-4000-8000-0000000000b2';
const SECRET = 'shpss_0123456789abcdef0123456789abcdef';

/** Records what it was handed, in the webhook's transaction; `failNext` makes the next call throw. */
class FakeIntake implements OrderIntake {
  orders: OrderReceived[] = [];
  refunds: RefundReceived[] = [];
  failNext: Error | null = null;
  async recordOrder(input: OrderReceived, tx?: EntityManager) {
    expect(tx).toBeDefined();
    this.take();
    this.orders.push(input);
    return { orderId: `order-${this.orders.length}`, outcome: 'recorded' as const, partnershipId: null, reason: 'NO_MATCH', excluded: null };
  }
  async recordRefund(input: RefundReceived, tx?: EntityManager) {
    expect(tx).toBeDefined();
    this.take();
    this.refunds.push(input);
    return { refundId: `refund-${this.refunds.length}`, outcome: 'recorded' as const };
  }
  private take() {
    const err = this.failNext;
    this.failNext = null;
    if (err) throw err;
  }
}

const CONNECT = `mutation($input: ConnectShopInput!) { connectShop(input: $input) { id brandId platform domain webhookUrl previousSecretExpiresAt } }`;
const ROTATE = `mutation($id: ID!, $s: String!) { rotateShopSecret(shopId: $id, webhookSecret: $s) { id secretRotatedAt previousSecretExpiresAt } }`;

describe('Shopify webhooks and shops', () => {
  const intake = new FakeIntake();
  let sub: TestSubgraph<AnalyticsServices & { orders: OrderIntake }>;
  let shopId: string;
  let base: string;
  let delivery = 0;

  beforeAll(async () => {
    sub = await startTestSubgraph({
      ...analyticsSubgraph,
      // the route reaches the intake only through OrderIntake: the fake stands in for the whole service here
      services: (runtime) => ({ ...analyticsServices(runtime), orders: intake as unknown as AnalyticsServices['orders'] }),
      routes: (app, services, runtime) => mountShopifyWebhook(app, services, runtime.dataSource, runtime.logger),
    });
    base = new URL(sub.url).origin;
    const connected = await sub.query<{ connectShop: { id: string; webhookUrl: string } }>(
      CONNECT,
      { input: { brandId: brandA, platform: 'SHOPIFY', domain: ' Oaty.MyShopify.com ', webhookSecret: SECRET } },
      identities.brandMember(brandA),
    );
    expect(connected.errors).toBeUndefined();
    shopId = connected.data!.connectShop.id;
  });
  afterAll(() => sub?.close());

  const sign = (body: Buffer | string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');
  async function post(body: Buffer | string, headers: Record<string, string | undefined> = {}, id = shopId) {
    const sent: Record<string, string> = {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-webhook-id': `delivery-${++delivery}`,
      'x-shopify-hmac-sha256': sign(body),
    };
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined) delete sent[k];
      else sent[k] = v;
    }
    const res = await fetch(`${base}/webhooks/shopify/${id}`, { method: 'POST', headers: sent, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; field?: string } } };
  }
  const receipts = async () => (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM shop_webhook_receipts`))[0].n as number;

  it('connects a shop: lower-cased domain, the webhook URL, no secret anywhere in GraphQL or in clear in the table', async () => {
    const list = await sub.query<{ shops: Record<string, unknown>[] }>(
      `query($b: ID!) { shops(brandId: $b) { id domain platform webhookUrl } }`,
      { b: brandA },
      identities.analyst(brandA),
    );
    expect(list.data!.shops).toEqual([
      { id: shopId, domain: 'oaty.myshopify.com', platform: 'SHOPIFY', webhookUrl: `${base}/webhooks/shopify/${shopId}` },
    ]);
    const dump = JSON.stringify(await sub.runtime.dataSource.query(`SELECT * FROM shops`));
    expect(dump).not.toContain(SECRET);
    const fields = await sub.query<{ __type: { fields: { name: string }[] } }>(`{ __type(name: "Shop") { fields { name } } }`);
    expect(fields.data!.__type.fields.map((f) => f.name).join(' ')).not.toMatch(/secret(?!RotatedAt|ExpiresAt)/i);
  });

  it("takes in a signed order, in the receipt's transaction, and answers a redelivery as a duplicate", async () => {
    const body = JSON.stringify(shopifyOrder()).replace('"id":450789469', '"id":820982911946154508');
    const first = await post(body, { 'x-shopify-webhook-id': 'same-delivery' });
    expect(first).toEqual({ status: 200, body: { outcome: 'recorded' } });
    expect(intake.orders).toHaveLength(1);
    expect(intake.orders[0]).toMatchObject({
      brandId: brandA,
      shopId,
      source: 'shopify',
      externalId: '820982911946154508',
      amountMinor: 12000,
    });
    const again = await post(body, { 'x-shopify-webhook-id': 'same-delivery' });
    expect(again).toEqual({ status: 200, body: { duplicate: true } });
    expect(intake.orders).toHaveLength(1);
  });

  it('takes in a refund, and ignores other topics', async () => {
    expect(await post(JSON.stringify(shopifyRefund()), { 'x-shopify-topic': 'refunds/create' })).toEqual({
      status: 200,
      body: { outcome: 'recorded' },
    });
    expect(intake.refunds[0]).toMatchObject({ orderExternalId: '450789469', amountMinor: 5000, currency: 'USD' });
    const before = await receipts();
    expect(await post('{}', { 'x-shopify-topic': 'products/update' })).toEqual({ status: 200, body: { ignored: true } });
    expect(await receipts()).toBe(before);
  });

  it('refuses a forged, missing or foreign signature with 401, and an unknown shop the same way', async () => {
    const body = JSON.stringify(shopifyOrder({ id: 1001 }));
    const before = intake.orders.length;
    for (const headers of [
      { 'x-shopify-hmac-sha256': sign(body, 'another-secret-0123456789') },
      { 'x-shopify-hmac-sha256': undefined },
      { 'x-shopify-hmac-sha256': 'AAAA' },
    ]) {
      const r = await post(body, headers);
      expect(r).toEqual({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'The webhook signature does not verify' } } });
    }
    const unknown = await post(body, {}, '00000000-0000-4000-8000-00000000dead');
    expect(unknown).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED', message: 'The webhook signature does not verify' } },
    });
    expect((await post(body, {}, 'not-a-uuid')).status).toBe(404);
    expect((await post(body, {}, "1' OR '1'='1")).status).toBe(404);
    expect(intake.orders.length).toBe(before);
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const r = await post(big);
    expect(r.status).toBe(413);
  });

  it('answers 422 (code and field, no stack) for a bad body after a valid signature, keeping no receipt', async () => {
    const before = await receipts();
    const cases: [string | Buffer, string][] = [
      ['not json', 'body'],
      [Buffer.from([0x7b, 0x00, 0x7d]), 'body'],
      [Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), 'body'],
      ['[1,2]', 'body'],
      [JSON.stringify(shopifyOrder({ total_price: '-3.00' })), 'total_price'],
      [JSON.stringify(shopifyOrder({ id: undefined })), 'id'],
      [JSON.stringify(shopifyOrder({ currency: 'ZZZ' })), 'currency'],
      [JSON.stringify(shopifyOrder({ discount_codes: [{ code: 'A\u0000B' }] })), 'discount_codes.0.code'],
    ];
    for (const [body, field] of cases) {
      const r = await post(body, { 'x-shopify-webhook-id': 'bad-body' });
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(r.body)).not.toMatch(/at \/|\.ts:|node_modules/);
    }
    expect((await post('{}', { 'x-shopify-webhook-id': undefined })).body.error).toMatchObject({ field: 'X-Shopify-Webhook-Id' });
    expect(await receipts()).toBe(before);
  });

  it('keeps no receipt when the intake fails, so the retry is taken in', async () => {
    const body = JSON.stringify(shopifyOrder({ id: 2002 }));
    intake.failNext = new Error('database went away');
    expect((await post(body, { 'x-shopify-webhook-id': 'retried' })).status).toBe(500);
    expect(await post(body, { 'x-shopify-webhook-id': 'retried' })).toEqual({ status: 200, body: { outcome: 'recorded' } });
    expect(intake.orders.at(-1)!.externalId).toBe('2002');
  });

  it('after a rotation takes the old secret until it expires, then only the new one', async () => {
    const NEW = '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';
    const rotated = await sub.query<{ rotateShopSecret: { previousSecretExpiresAt: string } }>(
      ROTATE,
      { id: shopId, s: NEW },
      identities.brandMember(brandA),
    );
    expect(rotated.errors).toBeUndefined();
    const expires = new Date(rotated.data!.rotateShopSecret.previousSecretExpiresAt).getTime();
    expect(expires - Date.now()).toBeGreaterThan(71 * 3_600_000);
    const body = JSON.stringify(shopifyOrder({ id: 3003 }));
    expect((await post(body, { 'x-shopify-hmac-sha256': sign(body, SECRET) })).status).toBe(200);
    expect((await post(body, { 'x-shopify-hmac-sha256': sign(body, NEW) })).status).toBe(200);
    await sub.runtime.dataSource.query(`UPDATE shops SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [shopId]);
    expect((await post(body, { 'x-shopify-hmac-sha256': sign(body, SECRET) })).status).toBe(401);
    expect((await post(body, { 'x-shopify-hmac-sha256': sign(body, NEW) })).status).toBe(200);
    const same = await sub.query(ROTATE, { id: shopId, s: NEW }, identities.brandMember(brandA));
    expect(same.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'webhookSecret' });
  });

  it("refuses connect and rotate to every role but the brand's members and admins", async () => {
    const input = { brandId: brandA, platform: 'SHOPIFY', domain: 'second.myshopify.com', webhookSecret: SECRET };
    for (const [who, code] of [
      [identities.creator('00000000-0000-4000-8000-0000000000c1'), 'FORBIDDEN'],
      [identities.analyst(brandA), 'FORBIDDEN'],
      [identities.brandMember(brandB), 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      expect((await sub.query(CONNECT, { input }, who)).errors?.[0].extensions?.code).toBe(code);
    }
    for (const [who, code] of [
      [identities.creator('00000000-0000-4000-8000-0000000000c1'), 'NOT_FOUND'],
      [identities.analyst(brandA), 'FORBIDDEN'],
      [identities.brandMember(brandB), 'NOT_FOUND'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      expect((await sub.query(ROTATE, { id: shopId, s: 'shpss_zzzzzzzzzzzzzzzzzzzz' }, who)).errors?.[0].extensions?.code).toBe(code);
      const dis = await sub.query(`mutation($id: ID!) { disconnectShop(shopId: $id) { id } }`, { id: shopId }, who);
      expect(dis.errors?.[0].extensions?.code).toBe(code);
    }
    expect(
      (await sub.query(`query($b: ID!) { shops(brandId: $b) { id } }`, { b: brandA }, identities.brandMember(brandB))).errors?.[0]
        .extensions?.code,
    ).toBe('FORBIDDEN');
    const admin = await sub.query<{ connectShop: { brandId: string } }>(CONNECT, { input }, identities.admin());
    expect(admin.data?.connectShop.brandId).toBe(brandA);
  });

  it('validates the input with stable fields, and refuses a domain already connected', async () => {
    const member = identities.brandMember(brandA);
    const bad = await sub.query(
      CONNECT,
      { input: { brandId: brandA, platform: 'SHOPIFY', domain: 'oaty.com', webhookSecret: 'short' } },
      member,
    );
    const problems = (bad.errors?.[0].extensions?.problems ?? [bad.errors?.[0].extensions]) as { field: string }[];
    expect(problems.map((p) => p.field).sort()).toEqual(['input.domain', 'input.webhookSecret']);
    for (const domain of [
      'oaty\u0000.myshopify.com',
      'https://oaty.myshopify.com',
      'x'.repeat(100_000) + '.myshopify.com',
      'oaty.myshopify.com.evil.com',
      '',
    ]) {
      const r = await sub.query(CONNECT, { input: { brandId: brandA, platform: 'SHOPIFY', domain, webhookSecret: SECRET } }, member);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
    const wrongType = await sub.query(
      CONNECT,
      { input: { brandId: brandA, platform: 'SHOPIFY', domain: 42, webhookSecret: SECRET } },
      member,
    );
    expect(wrongType.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const taken = await sub.query(
      CONNECT,
      { input: { brandId: brandB, platform: 'SHOPIFY', domain: 'OATY.myshopify.com', webhookSecret: SECRET } },
      identities.brandMember(brandB),
    );
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.domain' });
  });

  it('refuses the webhooks of a disconnected shop, and lets the domain be connected again', async () => {
    const dis = await sub.query<{ disconnectShop: { disconnectedAt: string } }>(
      `mutation($id: ID!) { disconnectShop(shopId: $id) { disconnectedAt } }`,
      { id: shopId },
      identities.brandMember(brandA),
    );
    expect(dis.data!.disconnectShop.disconnectedAt).toBeTruthy();
    const body = JSON.stringify(shopifyOrder({ id: 4004 }));
    expect((await post(body, { 'x-shopify-hmac-sha256': sign(body, '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') })).status).toBe(401);
    const again = await sub.query(
      CONNECT,
      { input: { brandId: brandA, platform: 'SHOPIFY', domain: 'oaty.myshopify.com', webhookSecret: SECRET } },
      identities.brandMember(brandA),
    );
    expect(again.errors).toBeUndefined();
  });
});
