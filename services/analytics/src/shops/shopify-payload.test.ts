import { createHash } from 'node:crypto';
import { shopifyOrder, shopifyRefund } from '../../test/shopify-fixtures';
import { orderFromShopify, parseShopifyJson, refundFromShopify } from './shopify-payload';

const shop = { id: '00000000-0000-4000-8000-0000000005a1', brandId: '00000000-0000-4000-8000-0000000000a1' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    expect((err as { code?: string }).code).toBe('BAD_USER_INPUT');
    return (err as { field?: string }).field;
  }
  throw new Error('expected a refusal');
}

describe('orderFromShopify', () => {
  it('reads an orders/create body: net of tax and shipping, codes, landing URL, hashed customer, lines', () => {
    expect(orderFromShopify(shopifyOrder(), shop)).toEqual({
      brandId: shop.brandId,
      source: 'shopify',
      shopId: shop.id,
      externalId: '450789469',
      orderedAt: new Date('2026-11-30T15:15:00Z'),
      pricesIncludeTax: false,
      amountMinor: 12000,
      currency: 'USD',
      customerKey: sha('shopify:207119551'),
      discountCodes: ['MAYA10'],
      landingUrl: '/products/oat-bar?utm_source=instagram&ifclid=abc123',
      clickId: null,
      lineItems: [
        { sku: 'OAT-1', title: 'Oat bar', quantity: 2, unitPriceMinor: 5000 },
        { sku: null, title: 'Sticker', quantity: 1, unitPriceMinor: 2000 },
      ],
    });
  });

  it('takes the tax off when prices include it, and uses the exponent of the currency', () => {
    // the click keeper's cart attribute (note_attributes) carries the click id of a later page
    expect(
      orderFromShopify(
        shopifyOrder({
          note_attributes: [
            { name: 'gift', value: 'yes' },
            { name: 'ifclid', value: 'k-123456789' },
          ],
        }),
        shop,
      ).clickId,
    ).toBe('k-123456789');
    expect(orderFromShopify(shopifyOrder({ note_attributes: [{ name: 'ifclid', value: 'x'.repeat(101) }] }), shop).clickId).toBeNull();
    expect(orderFromShopify(shopifyOrder({ note_attributes: 'nope' }), shop).clickId).toBeNull();
    expect(orderFromShopify(shopifyOrder({ taxes_included: true }), shop).amountMinor).toBe(11050);
    const yen = orderFromShopify(
      shopifyOrder({ currency: 'JPY', subtotal_price: '12000', total_tax: '0', total_price: '12000', line_items: [] }),
      shop,
    );
    expect(yen.amountMinor).toBe(12000);
    const kwd = orderFromShopify(shopifyOrder({ currency: 'KWD', subtotal_price: '1.250', total_tax: '0', line_items: [] }), shop);
    expect(kwd.amountMinor).toBe(1250);
  });

  it('keys a guest by the lower-cased e-mail, and nobody when there is neither', () => {
    expect(orderFromShopify(shopifyOrder({ customer: { email: '  Bob.Norman@Example.com ' } }), shop).customerKey).toBe(
      sha('bob.norman@example.com'),
    );
    expect(orderFromShopify(shopifyOrder({ customer: null }), shop).customerKey).toBeNull();
  });

  it('keeps a 64-bit id exactly (JSON.parse would round it)', () => {
    const text = JSON.stringify(shopifyOrder({ id: 0 })).replace('"id":0', '"id":820982911946154508');
    expect(orderFromShopify(parseShopifyJson(text), shop).externalId).toBe('820982911946154508');
  });

  it('refuses a body that is not an order, naming the field', () => {
    expect(fieldOf(() => orderFromShopify([], shop))).toBe('body');
    expect(fieldOf(() => orderFromShopify('order', shop))).toBe('body');
    expect(fieldOf(() => orderFromShopify(null, shop))).toBe('body');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ id: undefined }), shop))).toBe('id');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ id: -4 }), shop))).toBe('id');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ id: { $gt: 1 } }), shop))).toBe('id');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ currency: 'XXX' }), shop))).toBe('currency');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ currency: 'usd' }), shop))).toBe('currency');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ total_price: '-1.00' }), shop))).toBe('total_price');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ subtotal_price: '-5.00' }), shop))).toBe('subtotal_price');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ subtotal_price: '1e9' }), shop))).toBe('subtotal_price');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ subtotal_price: '10.005' }), shop))).toBe('subtotal_price');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ created_at: 'yesterday' }), shop))).toBe('created_at');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ taxes_included: 'yes' }), shop))).toBe('taxes_included');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ discount_codes: 'MAYA10' }), shop))).toBe('discount_codes');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ line_items: [{ title: 'x', quantity: 1.5, price: '1.00' }] }), shop))).toBe(
      'line_items.0.quantity',
    );
  });

  it('refuses NUL and control characters, and bounds huge strings and lists', () => {
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ discount_codes: [{ code: 'MAYA\u000010' }] }), shop))).toBe(
      'discount_codes.0.code',
    );
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ landing_site: '/\u0000' }), shop))).toBe('landing_site');
    expect(fieldOf(() => orderFromShopify(shopifyOrder({ discount_codes: Array(51).fill({ code: 'A' }) }), shop))).toBe('discount_codes');
    const long = orderFromShopify(
      shopifyOrder({
        landing_site: `/?q=${'x'.repeat(100_000)}`,
        line_items: [{ title: 'y'.repeat(100_000), quantity: 1, price: '1.00' }],
      }),
      shop,
    );
    expect(long.landingUrl).toBeNull();
    expect(long.lineItems[0].title).toHaveLength(2048);
  });
});

describe('refundFromShopify', () => {
  it('reads a refunds/create body: the line subtotals, before tax', () => {
    expect(refundFromShopify(shopifyRefund(), shop)).toEqual({
      brandId: shop.brandId,
      source: 'shopify',
      shopId: shop.id,
      externalId: '509562969',
      orderExternalId: '450789469',
      refundedAt: new Date('2026-12-01T14:00:00Z'),
      amountMinor: 5000,
      currency: 'USD',
      includedTaxMinor: 0,
    });
  });

  it("carries each line's tax apart, for a store whose prices include it", () => {
    const lines = [
      { subtotal: '60.00', total_tax_set: { shop_money: { amount: '10.00', currency_code: 'USD' } } },
      { subtotal: '12.00', total_tax: '2.00' },
    ];
    expect(refundFromShopify(shopifyRefund({ refund_line_items: lines }), shop)).toMatchObject({
      amountMinor: 7200,
      includedTaxMinor: 1200,
    });
    const euros = [{ subtotal: '1.00', total_tax_set: { shop_money: { amount: '0.10', currency_code: 'EUR' } } }];
    expect(fieldOf(() => refundFromShopify(shopifyRefund({ refund_line_items: euros }), shop))).toBe('refund_line_items.0.total_tax_set');
    expect(orderFromShopify(shopifyOrder({ taxes_included: true }), shop)).toMatchObject({ pricesIncludeTax: true, amountMinor: 11_050 });
    expect(orderFromShopify(shopifyOrder(), shop).pricesIncludeTax).toBe(false);
  });

  it('falls back to the plain subtotal, and is null for a refund of shipping only', () => {
    const plain = refundFromShopify(shopifyRefund({ refund_line_items: [{ subtotal: 19.99 }, { subtotal: '0.01' }] }), shop);
    expect(plain).toMatchObject({ amountMinor: 2000, currency: 'USD' });
    expect(refundFromShopify(shopifyRefund({ refund_line_items: [] }), shop)).toBeNull();
  });

  it('refuses a refund without its ids, time or currency', () => {
    expect(fieldOf(() => refundFromShopify(shopifyRefund({ id: null }), shop))).toBe('id');
    expect(fieldOf(() => refundFromShopify(shopifyRefund({ order_id: 'abc' }), shop))).toBe('order_id');
    expect(fieldOf(() => refundFromShopify(shopifyRefund({ created_at: 5 }), shop))).toBe('created_at');
    expect(fieldOf(() => refundFromShopify(shopifyRefund({ refund_line_items: [{ subtotal: '1.00' }], transactions: [] }), shop))).toBe(
      'transactions.0.currency',
    );
    expect(fieldOf(() => refundFromShopify(shopifyRefund({ refund_line_items: [{ subtotal: '-1.00' }] }), shop))).toBe(
      'refund_line_items.0.subtotal',
    );
    expect(fieldOf(() => refundFromShopify(42, shop))).toBe('body');
  });
});
