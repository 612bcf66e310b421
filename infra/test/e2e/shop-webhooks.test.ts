import { createHmac } from 'node:crypto';
import { analyticsServices, analyticsSubgraph, mountShopifyWebhook, OrderIntake, OrderReceived } from '@influenceflow/analytics';
import { startTestStack, TestStack } from '../../src/testing/stack';

const brand = '00000000-0000-4000-8000-0000000e5a01';
const SECRET = 'shpss_e2e0123456789abcdef0123456789';

/**
 * A Shopify webhook through the gateway: the raw bytes and X-Shopify-* headers reach analytics untouched
 * (its HMAC verifies), and analytics's answers come back as they are. The order intake is a fake here.
 */
describe('shop webhooks through the gateway', () => {
  const orders: OrderReceived[] = [];
  const intake: OrderIntake = {
    recordOrder: async (input) => {
      orders.push(input);
      return { orderId: 'o-1', outcome: 'recorded', partnershipId: null, reason: 'NO_MATCH', excluded: null };
    },
    recordRefund: async () => ({ refundId: 'r-1', outcome: 'recorded' }),
  };
  let stack: TestStack;
  let origin: string;
  beforeAll(async () => {
    stack = await startTestStack({
      modules: {
        analytics: {
          ...analyticsSubgraph,
          services: (runtime) => ({ ...analyticsServices(runtime), orders: intake }),
          routes: (app, services, runtime) => mountShopifyWebhook(app, services, runtime.dataSource, runtime.logger),
        },
      },
    });
    origin = stack.gateway.url.replace(/\/graphql$/, '');
  });
  afterAll(() => stack?.close());

  it('connects a shop through the gateway and takes in its signed order, byte for byte', async () => {
    const token = await stack.token({ sub: 'brand-owner', roles: ['brand_member'], brandIds: [brand] });
    const connected = await stack.query<{ connectShop: { id: string } }>(
      `mutation($input: ConnectShopInput!) { connectShop(input: $input) { id webhookUrl } }`,
      { input: { brandId: brand, platform: 'SHOPIFY', domain: 'e2e.myshopify.com', webhookSecret: SECRET } },
      token,
    );
    expect(connected.errors).toBeUndefined();
    const shopId = connected.data!.connectShop.id;
    // Spacing and key order a JSON re-encoding would change: the HMAC is over these exact bytes.
    const body = `{ "id": 820982911946154508,  "created_at": "2026-11-30T10:15:00-05:00", "currency": "EUR",
      "subtotal_price": "40.00", "total_price": "47.60", "total_tax": "7.60", "taxes_included": false, "line_items": [] }`;
    const post = (hmac: string, topic = 'orders/create') =>
      fetch(`${origin}/webhooks/shopify/${shopId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-webhook-id': 'e2e-1',
          'x-shopify-hmac-sha256': hmac,
        },
        body,
      });
    const forged = await post(createHmac('sha256', 'not-the-secret-at-all').update(body).digest('base64'));
    expect(forged.status).toBe(401);
    const signed = createHmac('sha256', SECRET).update(body).digest('base64');
    const first = await post(signed);
    expect([first.status, await first.json()]).toEqual([200, { outcome: 'recorded' }]);
    expect(orders).toEqual([expect.objectContaining({ externalId: '820982911946154508', amountMinor: 4000, currency: 'EUR', shopId })]);
    const again = await post(signed);
    expect([again.status, await again.json()]).toEqual([200, { duplicate: true }]);
    const big = await fetch(`${origin}/webhooks/shopify/${shopId}`, { method: 'POST', body: Buffer.alloc(1024 * 1024 + 1, 0x20) });
    expect(big.status).toBe(413);
  });
});
