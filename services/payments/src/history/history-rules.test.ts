import { Money } from '@influenceflow/kit';
import { parseHistoryFilter, parseUtcDate, statementPeriod } from './history-rules';
import { StatementLine, StatementLineKind } from './history.types';
import { statementTotals } from './statement-rules';

describe('history rules', () => {
  it('reads UTC calendar dates that exist, nothing else', () => {
    expect(parseUtcDate('2024-02-29', 'from').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    for (const bad of ['2023-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', '', ' 2026-01-01', '2026-01-01\u0000']) {
      expect(() => parseUtcDate(bad, 'from')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });

  it('makes `to` inclusive and refuses from after to, with every problem at once', () => {
    const f = parseHistoryFilter({ from: '2026-01-01', to: '2026-01-31' });
    expect(f.since?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(f.until?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(parseHistoryFilter({ from: '2026-01-01', to: '2026-01-01' }).until?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    try {
      parseHistoryFilter({ from: '2026-02-01', to: '2026-01-01', campaignId: 'x', status: 'LOST' });
      throw new Error('accepted');
    } catch (err) {
      const fields = ((err as { details?: { problems?: { field: string }[] } }).details?.problems ?? []).map((p) => p.field);
      expect(fields.sort()).toEqual(['campaignId', 'from', 'status']);
    }
  });

  it('a statement year is a UTC calendar year', () => {
    expect(statementPeriod(2026)).toEqual({ start: new Date('2026-01-01T00:00:00.000Z'), end: new Date('2027-01-01T00:00:00.000Z') });
    for (const bad of [1999, 9999, 2026.5, Number.NaN])
      expect(() => statementPeriod(bad)).toThrow(expect.objectContaining({ field: 'year' }));
  });

  it('totals: payouts minus reversals, product value apart, per brand and currency, never across currencies', () => {
    const line = (kind: StatementLineKind, brandId: string, amountMinor: number, currency: string) =>
      Object.assign(new StatementLine(), { kind, brandId, amount: Money.of(amountMinor, currency) });
    const { byBrand, totals } = statementTotals([
      line(StatementLineKind.PAYOUT, 'b', 1_000, 'USD'),
      line(StatementLineKind.PAYOUT, 'a', 500, 'USD'),
      line(StatementLineKind.REVERSAL, 'a', 200, 'USD'),
      line(StatementLineKind.PRODUCT_VALUE, 'a', 70, 'USD'),
      line(StatementLineKind.PAYOUT, 'a', 3, 'KWD'),
    ]);
    expect(byBrand.map((b) => [b.brandId, b.currency, b.cashPaid.amountMinor, b.productValue.amountMinor])).toEqual([
      ['a', 'KWD', 3, 0],
      ['a', 'USD', 300, 70],
      ['b', 'USD', 1_000, 0],
    ]);
    expect(totals.map((t) => [t.currency, t.cashPaid.amountMinor, t.productValue.amountMinor])).toEqual([
      ['KWD', 3, 0],
      ['USD', 1_300, 70],
    ]);
  });
});
