import {
  change,
  clickContribution,
  Contribution,
  orderContribution,
  OrderFact,
  spendContribution,
  sumContributions,
} from './contributions';

/** partnership_days as the consumers build it: each fact's change applied as it arrives. */
function incrementally(steps: [Contribution[], Contribution[]][]): Map<string, Contribution> {
  const days = new Map<string, Contribution>();
  for (const [before, after] of steps) sumContributions(change(before, after), 1, days);
  return days;
}

const nonZero = (m: Map<string, Contribution>) =>
  Object.fromEntries(
    [...m.entries()]
      .map(([k, c]) => [k, Object.fromEntries(Object.entries(c.add).filter(([, v]) => v !== 0))] as const)
      .filter(([, add]) => Object.keys(add).length > 0),
  );

describe("rebuild's sum of all facts", () => {
  it('equals partnership_days after the same facts were applied one change at a time', () => {
    const o: OrderFact = {
      partnershipId: 'p1',
      excluded: null,
      orderedAt: new Date('2026-03-03T09:00:00Z'),
      amountMinor: 10_000,
      customerNew: null,
      refunds: [],
    };
    const refunded: OrderFact = { ...o, customerNew: true, refunds: [{ amountMinor: 10_000, refundedAt: new Date('2026-03-10T00:00:00Z') }] };
    const click = clickContribution({ partnershipId: 'p1', at: new Date('2026-03-01T10:00:00Z'), traffic: 'human' });
    const productV1 = spendContribution({ partnershipId: 'p1', amountMinor: 5_000, at: new Date('2026-02-15T00:00:00Z'), excluded: null });
    const productV2 = spendContribution({ partnershipId: 'p1', amountMinor: 4_000, at: new Date('2026-02-20T00:00:00Z'), excluded: null });
    const applied = incrementally([
      [[], click],
      [[], productV1],
      [[], orderContribution(o)],
      [orderContribution(o), orderContribution({ ...o, customerNew: true })], // its customer decided
      [orderContribution({ ...o, customerNew: true }), orderContribution(refunded)], // refunded in full
      [productV1, productV2], // the amendment replaces the first version
    ]);
    const rebuilt = sumContributions([...click, ...productV2, ...orderContribution(refunded)]);
    expect(nonZero(applied)).toEqual(nonZero(rebuilt));
    expect(nonZero(rebuilt)).toEqual({
      'p1|2026-03-01': { clicks: 1 },
      'p1|2026-02-20': { spendMinor: 4_000 },
      'p1|2026-03-03': { grossMinor: 10_000, newCustomers: 1 },
      'p1|2026-03-10': { refundsMinor: 10_000 },
    });
  });
});
