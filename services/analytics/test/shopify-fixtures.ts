/** Webhook bodies shaped as Shopify's REST webhooks send them (abridged), for the shops tests. */

export function shopifyOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 450789469,
    created_at: '2026-11-30T10:15:00-05:00',
    currency: 'USD',
    subtotal_price: '120.00',
    total_price: '134.50',
    total_tax: '9.50',
    taxes_included: false,
    total_shipping_price_set: { shop_money: { amount: '5.00', currency_code: 'USD' } },
    discount_codes: [{ code: 'MAYA10', amount: '10.00', type: 'percentage' }],
    landing_site: '/products/oat-bar?utm_source=instagram&ifclid=abc123',
    customer: { id: 207119551, email: 'Bob.Norman@Example.com' },
    line_items: [
      { sku: 'OAT-1', title: 'Oat bar', quantity: 2, price: '50.00' },
      { sku: null, title: 'Sticker', quantity: 1, price: '20.00' },
    ],
    ...overrides,
  };
}

export function shopifyRefund(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 509562969,
    order_id: 450789469,
    created_at: '2026-12-01T09:00:00-05:00',
    refund_line_items: [{ quantity: 1, subtotal: 50, subtotal_set: { shop_money: { amount: '50.00', currency_code: 'USD' } } }],
    transactions: [{ kind: 'refund', status: 'success', amount: '54.00', currency: 'USD' }],
    ...overrides,
  };
}
