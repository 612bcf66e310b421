import { Money } from '@influenceflow/kit';
import { StatementBrandTotal, StatementCurrencyTotal, StatementLine, StatementLineKind } from './history.types';

/** Sums minor units exactly (BigInt), refusing a total JavaScript could not hold exactly. */
function safeSum(values: bigint[]): number {
  const total = values.reduce((a, b) => a + b, 0n);
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new Error('statement total beyond 2^53 minor units');
  }
  return Number(total);
}

/** What a line adds to the cash paid: a payout adds, a reversal subtracts, product value does not count as cash. */
export function cashDelta(line: Pick<StatementLine, 'kind' | 'amount'>): number {
  if (line.kind === StatementLineKind.PAYOUT) return line.amount.amountMinor;
  if (line.kind === StatementLineKind.REVERSAL) return -line.amount.amountMinor;
  return 0;
}

/**
 * The totals of a statement: cash paid (payouts − reversals) and product value, per brand and currency,
 * then per currency. Currencies are never added together.
 */
export function statementTotals(lines: StatementLine[]): { byBrand: StatementBrandTotal[]; totals: StatementCurrencyTotal[] } {
  const brand = new Map<string, { brandId: string; brandName: string; currency: string; cash: bigint[]; product: bigint[] }>();
  const currency = new Map<string, { cash: bigint[]; product: bigint[] }>();
  for (const line of lines) {
    const c = line.amount.currency;
    const bKey = `${line.brandId}/${c}`;
    const b = brand.get(bKey) ?? { brandId: line.brandId, brandName: line.brandName, currency: c, cash: [], product: [] };
    brand.set(bKey, b);
    const t = currency.get(c) ?? { cash: [], product: [] };
    currency.set(c, t);
    const product = line.kind === StatementLineKind.PRODUCT_VALUE ? BigInt(line.amount.amountMinor) : 0n;
    const cash = BigInt(cashDelta(line));
    b.cash.push(cash);
    b.product.push(product);
    t.cash.push(cash);
    t.product.push(product);
  }
  const byBrand = [...brand.values()]
    .sort((x, y) => (x.brandId === y.brandId ? x.currency.localeCompare(y.currency) : x.brandId.localeCompare(y.brandId)))
    .map((b) =>
      Object.assign(new StatementBrandTotal(), {
        brandId: b.brandId,
        brandName: b.brandName,
        currency: b.currency,
        cashPaid: Money.of(safeSum(b.cash), b.currency),
        productValue: Money.of(safeSum(b.product), b.currency),
      }),
    );
  const totals = [...currency.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([c, t]) =>
      Object.assign(new StatementCurrencyTotal(), {
        currency: c,
        cashPaid: Money.of(safeSum(t.cash), c),
        productValue: Money.of(safeSum(t.product), c),
      }),
    );
  return { byBrand, totals };
}
