import { createHash } from 'node:crypto';
import { InputProblems } from '@influenceflow/kit';
import { customerKey } from './customer-key';
import { OrderInput, orderReceived } from './order-api';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SHOP = '00000000-0000-4000-8000-0000000005a1';
const OTHER_SHOP = '00000000-0000-4000-8000-0000000005a2';

describe('customerKey', () => {
  it('keys an e-mail trimmed and lower-cased, the same whatever the source', () => {
    const key = customerKey({ id: null, scope: 'brand', email: ' X@Example.com ' });
    expect(key).toBe(sha('email:x@example.com'));
    expect(customerKey({ id: undefined, scope: { shopId: SHOP }, email: 'x@example.com' })).toBe(key);
    expect(customerKey({ id: '  ', scope: { shopId: OTHER_SHOP }, email: 'X@EXAMPLE.COM' })).toBe(key);
  });

  it("scopes a shop's customer ids to the shop, and keeps the brand's own apart from them", () => {
    const inShop = customerKey({ id: '207119551', scope: { shopId: SHOP }, email: 'x@example.com' });
    expect(inShop).toBe(sha(`shop:${SHOP}:207119551`));
    expect(customerKey({ id: '207119551', scope: { shopId: OTHER_SHOP }, email: null })).not.toBe(inShop);
    // the brand's own ids keep the prefix the API's first keys were made with
    expect(customerKey({ id: ' 207119551 ', scope: 'brand', email: null })).toBe(sha('api:207119551'));
    expect(customerKey({ id: '207119551', scope: 'brand', email: null })).not.toBe(inShop);
  });

  it('is null with neither an id nor an e-mail', () => {
    expect(customerKey({ id: null, scope: 'brand', email: null })).toBeNull();
    expect(customerKey({ id: ' ', scope: { shopId: SHOP }, email: '' })).toBeNull();
  });

  it('is what the API and a CSV row are keyed by', () => {
    const input = Object.assign(new OrderInput(), {
      externalId: 'o-1',
      orderedAt: new Date('2026-03-03T09:00:00Z'),
      amount: { amountMinor: 100, currency: 'USD' },
      customerEmail: 'X@Example.com',
      discountCodes: [],
      lineItems: [],
    });
    const problems = new InputProblems();
    expect(orderReceived(problems, input, 'orders.0', SHOP, 'csv').customerKey).toBe(sha('email:x@example.com'));
    expect(orderReceived(problems, { ...input, customerId: 'c-77' }, 'orders.0', SHOP, 'api').customerKey).toBe(sha('api:c-77'));
    expect(problems.list).toEqual([]);
  });
});
