import { customerStanding, CustomerOrder } from './customers';

const order = (id: string, at: string, partnershipId: string | null = null, excluded: string | null = null): CustomerOrder => ({
  id,
  partnership_id: partnershipId,
  excluded,
  ordered_at: new Date(at),
});

describe('customerStanding', () => {
  it('makes the first order new and credits the first counted attributed order with the referral', () => {
    const s = customerStanding([
      order('a', '2026-03-01T00:00:00Z'),
      order('b', '2026-03-02T00:00:00Z', 'p1', 'CURRENCY_MISMATCH'),
      order('c', '2026-03-03T00:00:00Z', 'p2'),
      order('d', '2026-05-31T00:00:00Z'),
    ]);
    expect(s.newOrderId).toBe('a');
    // d is 89 days after c: within 90
    expect(s.referral).toEqual({ firstOrderId: 'c', partnershipId: 'p2', firstAt: new Date('2026-03-03T00:00:00Z'), orderedAgain: true });
  });

  it('does not count an order more than 90 days later, or one at the same time, as ordering again', () => {
    const late = customerStanding([order('a', '2026-03-01T00:00:00Z', 'p1'), order('b', '2026-05-30T00:00:01Z')]);
    expect(late.referral?.orderedAgain).toBe(false);
    const same = customerStanding([order('a', '2026-03-01T00:00:00Z', 'p1'), order('b', '2026-03-01T00:00:00Z')]);
    expect(same.referral?.orderedAgain).toBe(false);
    const exactly90 = customerStanding([order('a', '2026-03-01T00:00:00Z', 'p1'), order('b', '2026-05-30T00:00:00Z')]);
    expect(exactly90.referral?.orderedAgain).toBe(true);
  });

  it('has no referral when no order is counted and attributed', () => {
    const s = customerStanding([order('a', '2026-03-01T00:00:00Z'), order('b', '2026-03-02T00:00:00Z', 'p1', 'CURRENCY_MISMATCH')]);
    expect(s).toEqual({ newOrderId: 'a', referral: null });
  });
});
