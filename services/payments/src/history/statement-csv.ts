import { stringify } from 'csv-stringify/sync';
import { minorToDecimal, safeCell } from '@influenceflow/kit';
import { CreatorStatement, StatementLineKind } from './history.types';

export const STATEMENT_CSV_HEADER = [
  'section',
  'date',
  'kind',
  'brand',
  'brand_id',
  'campaign',
  'campaign_id',
  'partnership_id',
  'payout_id',
  'currency',
  'cash_paid',
  'product_value',
  'description',
] as const;

/**
 * The statement as CSV (RFC 4180, UTF-8, CRLF): one `line` row per movement (cash_paid negative for a
 * reversal), then a `brand_total` row per brand and currency and a `total` row per currency. Amounts are
 * decimals with the currency's ISO 4217 exponent (12.50 EUR, 5000 JPY, 1.250 KWD), never summed across currencies.
 */
export function statementCsv(s: CreatorStatement): string {
  const amount = (minor: number, currency: string) => minorToDecimal(minor, currency);
  const rows: string[][] = [];
  for (const l of s.lines) {
    const c = l.amount.currency;
    const cash =
      l.kind === StatementLineKind.PAYOUT ? l.amount.amountMinor : l.kind === StatementLineKind.REVERSAL ? -l.amount.amountMinor : 0;
    rows.push([
      'line',
      l.bookedAt.toISOString(),
      l.kind,
      safeCell(l.brandName),
      l.brandId,
      safeCell(l.campaignName),
      l.campaignId ?? '',
      l.partnershipId ?? '',
      l.payoutId ?? '',
      c,
      l.kind === StatementLineKind.PRODUCT_VALUE ? '' : amount(cash, c),
      l.kind === StatementLineKind.PRODUCT_VALUE ? amount(l.amount.amountMinor, c) : '',
      safeCell(l.description),
    ]);
  }
  for (const b of s.byBrand) {
    rows.push([
      'brand_total',
      '',
      '',
      safeCell(b.brandName),
      b.brandId,
      '',
      '',
      '',
      '',
      b.currency,
      amount(b.cashPaid.amountMinor, b.currency),
      amount(b.productValue.amountMinor, b.currency),
      '',
    ]);
  }
  for (const t of s.totals) {
    rows.push([
      'total',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      t.currency,
      amount(t.cashPaid.amountMinor, t.currency),
      amount(t.productValue.amountMinor, t.currency),
      '',
    ]);
  }
  return stringify([[...STATEMENT_CSV_HEADER], ...rows], { record_delimiter: 'windows', quoted_match: /[",\r\n]/ });
}
