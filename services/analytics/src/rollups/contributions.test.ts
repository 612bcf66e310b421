import {
  change,
  clickContribution,
  customerContribution,
  orderContribution,
  OrderFact,
  spendContribution,
  sumContributions,
} from './contributions';

const order = (over: Partial<OrderFact> = {}): OrderFact => ({
  partnershipId: 'p1',
  excluded: null,
  orderedAt: new Date('2026-03-03T23:30:00Z'),
  amountMinor: 10_000,
  customerNew: true,
  refunds: [],
  ...over,
});

describe('roll-up contributions', () => {
  it('counts human clicks and keeps bots and previews apart, by UTC day', () => {
    expect(clickContribution({ partnershipId: 'p', at: new Date('2026-03-01T23:59:59Z'), traffic: 'human' })).toEqual([
      { partnershipId: 'p', day: '2026-03-01', add: { clicks: 1 } },
    ]);
    expect(clickContribution({ partnershipId: 'p', at: new Date('2026-03-02T00:00:00Z'), traffic: 'bot' })[0].add).toEqual({
      uncountedClicks: 1,
    });
  });

  it('counts an order until it is refunded in full, and each refund on its own day', () => {
    expect(orderContribution(order())).toEqual([
      { partnershipId: 'p1', day: '2026-03-03', add: { orders: 1, grossMinor: 10_000, newCustomers: 1 } },
    ]);
    const partly = orderContribution(order({ refunds: [{ amountMinor: 2_000, refundedAt: new Date('2026-03-10T00:00:00Z') }] }));
    expect(partly[0].add.orders).toBe(1);
    expect(partly[1]).toEqual({ partnershipId: 'p1', day: '2026-03-10', add: { refundsMinor: 2_000 } });
    const fully = orderContribution(
      order({
        refunds: [
          { amountMinor: 4_000, refundedAt: new Date('2026-03-10T00:00:00Z') },
          { amountMinor: 6_000, refundedAt: new Date('2026-03-11T00:00:00Z') },
        ],
      }),
    );
    expect(fully[0].add.orders).toBe(0);
    // a free order is an order
    expect(orderContribution(order({ amountMinor: 0 }))[0].add.orders).toBe(1);
  });

  it('adds nothing for an unattributed order or one kept out (another currency)', () => {
    expect(orderContribution(order({ partnershipId: null }))).toEqual([]);
    expect(orderContribution(order({ excluded: 'CURRENCY_MISMATCH' }))).toEqual([]);
  });

  it('applies a change as the difference, so the order facts arrive in does not matter', () => {
    const before = orderContribution(order());
    const after = orderContribution(order({ refunds: [{ amountMinor: 10_000, refundedAt: new Date('2026-03-12T00:00:00Z') }] }));
    expect(change(before, after)).toEqual([
      { partnershipId: 'p1', day: '2026-03-03', add: { orders: -1, grossMinor: 0, newCustomers: 0 } },
      { partnershipId: 'p1', day: '2026-03-12', add: { refundsMinor: 10_000 } },
    ]);
    expect(change(before, before)).toEqual([]);
    // any order of changes sums to the same as the final state alone
    const steps = [orderContribution(order({ customerNew: null })), orderContribution(order({ customerNew: true })), after];
    const applied = sumContributions(change([], steps[0]));
    sumContributions(change(steps[0], steps[1]), 1, applied);
    sumContributions(change(steps[1], steps[2]), 1, applied);
    const direct = sumContributions(after);
    const nonZero = (m: Map<string, { add: Record<string, number> }>) =>
      Object.fromEntries([...m].map(([k, v]) => [k, Object.fromEntries(Object.entries(v.add).filter(([, n]) => n !== 0))]));
    expect(nonZero(applied)).toEqual(nonZero(direct));
  });

  it('counts a referred customer and a repeat on the day of their first order; spend is signed', () => {
    expect(customerContribution({ partnershipId: 'p', firstAt: new Date('2026-03-03T10:00:00Z'), orderedAgain: true })[0]).toEqual({
      partnershipId: 'p',
      day: '2026-03-03',
      add: { referredCustomers: 1, repeatCustomers: 1 },
    });
    expect(spendContribution({ partnershipId: 'p', amountMinor: -200, at: new Date('2026-03-10T00:00:00Z'), excluded: null })[0].add).toEqual({
      spendMinor: -200,
    });
  });

  it('leaves out spend in another currency than the campaign\'s, as it does such an order', () => {
    expect(
      spendContribution({ partnershipId: 'p', amountMinor: 9_999, at: new Date('2026-03-02T00:00:00Z'), excluded: 'CURRENCY_MISMATCH' }),
    ).toEqual([]);
  });
});
