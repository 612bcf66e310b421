import { startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { OrderReceived, RefundReceived } from '../src/orders/order-input';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';

const BRAND = '00000000-0000-4000-8000-000000008001';
const SHOP = '00000000-0000-4000-8000-000000008002';

function order(externalId: string, amountMinor: number, pricesIncludeTax: boolean): OrderReceived {
  return {
    brandId: BRAND,
    source: 'shopify',
    shopId: SHOP,
    externalId,
    orderedAt: new Date('2026-03-03T09:00:00Z'),
    amountMinor,
    currency: 'USD',
    pricesIncludeTax,
    customerKey: null,
    discountCodes: [],
    landingUrl: null,
    clickId: null,
    lineItems: [],
  };
}

function refund(externalId: string, orderExternalId: string, amountMinor: number, includedTaxMinor: number): RefundReceived {
  return {
    brandId: BRAND,
    source: 'shopify',
    shopId: SHOP,
    externalId,
    orderExternalId,
    refundedAt: new Date('2026-03-05T09:00:00Z'),
    amountMinor,
    currency: 'USD',
    includedTaxMinor,
  };
}

/** Refunds are net of tax as their orders are, whether the shop's prices include tax or not. */
describe('the order intake: refunds of a store whose prices include tax', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  const refunded = async (externalId: string) =>
    (
      (await sub.runtime.dataSource.query(
        `SELECT COALESCE(sum(r.amount_minor), 0)::int AS n FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.external_id = $1`,
        [externalId],
      )) as { n: number }[]
    )[0].n;

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
  }, 120_000);
  afterAll(() => sub?.close());

  it('takes the tax inside a refund off for an order whose prices include it: a full refund is the whole net order', async () => {
    // 120.00 paid, 20.00 of it tax: the order counts 100.00
    await sub.services.orders.recordOrder(order('incl-1', 10_000, true));
    expect(await sub.services.orders.recordRefund(refund('incl-r1', 'incl-1', 12_000, 2_000))).toMatchObject({ outcome: 'recorded' });
    expect(await refunded('incl-1')).toBe(10_000);
    // nothing is left: any more is refused, not half-counted
    await expect(sub.services.orders.recordRefund(refund('incl-r2', 'incl-1', 120, 20))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'amountMinor',
    });
  });

  it('leaves a refund of tax alone out (nothing net was refunded), and does not take tax off a net order', async () => {
    await sub.services.orders.recordOrder(order('incl-2', 5_000, true));
    expect(await sub.services.orders.recordRefund(refund('incl-r3', 'incl-2', 400, 400))).toEqual({ refundId: null, outcome: 'ignored' });
    expect(await refunded('incl-2')).toBe(0);
    await sub.services.orders.recordOrder(order('excl-1', 5_000, false));
    expect(await sub.services.orders.recordRefund(refund('excl-r1', 'excl-1', 5_000, 800))).toMatchObject({ outcome: 'recorded' });
    expect(await refunded('excl-1')).toBe(5_000);
  });
});
