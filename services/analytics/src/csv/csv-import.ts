import { CsvError, parse } from 'csv-parse/sync';
import { badInput, decimalToMinor, InputProblems, isCurrencyCode, MoneyInput, stringProblem } from '@influenceflow/kit';
import { OrderInput, orderReceived, RefundInput, refundReceived } from '../orders/order-api';
import type { OrderReceived, RefundReceived } from '../orders/order-input';

/**
 * What one file may hold. Through GraphQL a file travels as one string, and the gateway bounds every
 * GraphQL string at 100,000 characters (the kit's INPUT_LIMITS.maxStringLength); the upload route
 * (`POST /imports/…`) takes the file's bytes, up to 5 MiB. Either way at most 10,000 rows: a file is
 * recorded in one transaction. docs/analytics-csv.md states the same.
 */
export const CSV_LIMITS = { characters: 100_000, uploadBytes: 5 * 1024 * 1024, rows: 10_000 } as const;

/** The columns of each kind of file, and the field of the API's validators each one fills. */
export const ORDER_COLUMNS = {
  external_id: 'externalId',
  ordered_at: 'orderedAt',
  amount: 'amount.amountMinor',
  currency: 'amount.currency',
  customer_id: 'customerId',
  customer_email: 'customerEmail',
  discount_codes: 'discountCodes',
  landing_url: 'landingUrl',
  click_id: 'clickId',
} as const;
export const REFUND_COLUMNS = {
  external_id: 'externalId',
  order_external_id: 'orderExternalId',
  refunded_at: 'refundedAt',
  amount: 'amount.amountMinor',
  currency: 'amount.currency',
} as const;
const REQUIRED_ORDER_COLUMNS = ['external_id', 'ordered_at', 'amount', 'currency'] as const;

type OrderColumn = keyof typeof ORDER_COLUMNS;
type RefundColumn = keyof typeof REFUND_COLUMNS;

/** A time as the file gives it: ISO 8601 with a zone (a time without one would mean a different instant to each reader). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const LINE_BREAK = /[\r\n]/;

/** The field of a cell: `csv.row.<row>.<column>`, the row as a spreadsheet numbers it (the header is row 1). */
export function cellField(row: number, column: string): string {
  return `csv.row.${row}.${column}`;
}

interface Sheet<C extends string> {
  columns: C[];
  /** Each data row by column, with its spreadsheet row number. */
  rows: { row: number; cells: Record<C, string> }[];
}

/** Reads the file: a header of known columns, then 1 to CSV_LIMITS.rows rows of as many cells. */
function sheetOf<C extends string>(
  csv: string,
  known: Record<C, string>,
  required: readonly C[],
  problems: InputProblems,
  maxCharacters: number,
): Sheet<C> {
  if (typeof csv !== 'string') throw badInput('csv', 'must be the text of a CSV file');
  if (csv.length > maxCharacters)
    throw badInput(
      'csv',
      `must be at most ${maxCharacters.toLocaleString('en-US')} characters: split the file, or upload it (POST /imports/…)`,
    );
  const unusable = stringProblem(csv, maxCharacters);
  if (unusable) throw badInput('csv', unusable);
  let records: string[][];
  try {
    // bom: a file saved by Excel starts with one; CRLF and quoted line breaks are RFC 4180
    records = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) {
      // csv-parse's messages quote the cell; ours name only where the file stops making sense
      const line = (err as CsvError & { lines?: number }).lines;
      const why =
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'a quoted cell is never closed'
          : 'a quote is misplaced (quote the whole cell, double the quotes inside)';
      throw badInput('csv', `is not valid CSV: ${why}${line ? ` (line ${line})` : ''}`);
    }
    throw err;
  }
  if (records.length === 0) throw badInput('csv.header', `is missing: the first row names the columns (${Object.keys(known).join(', ')})`);
  const [header, ...data] = records;
  if (data.length === 0) throw badInput('csv', 'has no rows below the header');
  if (data.length > CSV_LIMITS.rows)
    throw badInput(
      'csv',
      `has ${data.length.toLocaleString('en-US')} rows; at most ${CSV_LIMITS.rows.toLocaleString('en-US')}: split the file`,
    );
  const columns = header.map((h) => h.toLowerCase()) as C[];
  columns.forEach((c, i) => {
    if (!(c in known))
      problems.add(
        `csv.header.${i + 1}`,
        `is not a column of this file: "${c.slice(0, 40)}" (the columns are ${Object.keys(known).join(', ')})`,
      );
    else if (columns.indexOf(c) !== i) problems.add(`csv.header.${i + 1}`, `names ${c} a second time`);
  });
  for (const r of required) if (!columns.includes(r)) problems.add(`csv.header.${r}`, `is missing: the column ${r} is required`);
  problems.throwIfAny();
  const rows = data.map((cells, i) => {
    const row = i + 2;
    if (cells.length !== columns.length) problems.add(`csv.row.${row}`, `has ${cells.length} cells; the header has ${columns.length}`);
    const byColumn = {} as Record<C, string>;
    columns.forEach((c, j) => {
      const value = cells[j] ?? '';
      if (LINE_BREAK.test(value)) problems.add(cellField(row, c), 'must not contain a line break');
      byColumn[c] = value;
    });
    return { row, cells: byColumn };
  });
  // a file whose shape is wrong is refused for its shape: its cells would be judged in the wrong columns
  problems.throwIfAny();
  return { columns, rows };
}

/** A time cell, or an invalid date (refused by the validator with its field). */
function timeOf(problems: InputProblems, value: string, field: string): Date {
  if (!value) return new Date(NaN);
  if (!ISO_TIME.test(value)) {
    problems.add(field, 'must be an ISO 8601 time with a zone, e.g. 2026-03-03T09:00:00Z');
    return new Date(0);
  }
  return new Date(value);
}

/** The amount and currency cells as the API's MoneyInput (the validator judges the currency). */
function moneyOf(problems: InputProblems, amount: string, currency: string, row: number): MoneyInput {
  const code = currency.toUpperCase();
  const money = Object.assign(new MoneyInput(), { amountMinor: 0, currency: code });
  if (!amount) problems.add(cellField(row, 'amount'), 'is required');
  // an unknown currency is the validator's to refuse, under currency
  else if (isCurrencyCode(code)) money.amountMinor = problems.check(() => decimalToMinor(amount, code, cellField(row, 'amount'))) ?? 0;
  return money;
}

/** Runs an API validator on one row and files its problems under the row's columns. */
function validatedRow<T>(
  problems: InputProblems,
  row: number,
  columns: Record<string, string>,
  validate: (rowProblems: InputProblems) => T,
): T {
  const rowProblems = new InputProblems();
  const out = validate(rowProblems);
  const columnOf = new Map(Object.entries(columns).map(([column, field]) => [field, column]));
  for (const p of rowProblems.list) {
    const field = p.field.slice('row.'.length);
    // discountCodes.3 → discount_codes; amount.amountMinor → amount
    const column = columnOf.get(field) ?? columnOf.get(field.split('.')[0]) ?? field;
    problems.add(cellField(row, column), p.reason);
  }
  return out;
}

/** The orders of a file, each checked by the API's own validator; every problem is refused at once. */
export function ordersOfCsv(
  csv: string,
  brandId: string,
  maxCharacters: number = CSV_LIMITS.characters,
): { row: number; order: OrderReceived }[] {
  const problems = new InputProblems();
  const sheet = sheetOf<OrderColumn>(csv, ORDER_COLUMNS, REQUIRED_ORDER_COLUMNS, problems, maxCharacters);
  const out = sheet.rows.map(({ row, cells }) => {
    const cell = (c: OrderColumn) => cells[c] ?? '';
    const input = Object.assign(new OrderInput(), {
      externalId: cell('external_id'),
      orderedAt: timeOf(problems, cell('ordered_at'), cellField(row, 'ordered_at')),
      amount: moneyOf(problems, cell('amount'), cell('currency'), row),
      customerId: cell('customer_id') || null,
      customerEmail: cell('customer_email') || null,
      discountCodes: cell('discount_codes')
        .split(/[;\s]+/)
        .filter((c) => c.length > 0),
      landingUrl: cell('landing_url') || null,
      clickId: cell('click_id') || null,
      lineItems: [],
    });
    return { row, order: validatedRow(problems, row, ORDER_COLUMNS, (p) => orderReceived(p, input, 'row', brandId, 'csv')) };
  });
  problems.throwIfAny();
  return out;
}

/** The refunds of a file, checked as the API checks them. */
export function refundsOfCsv(
  csv: string,
  brandId: string,
  maxCharacters: number = CSV_LIMITS.characters,
): { row: number; refund: RefundReceived }[] {
  const problems = new InputProblems();
  const columns = Object.keys(REFUND_COLUMNS) as RefundColumn[];
  const sheet = sheetOf<RefundColumn>(csv, REFUND_COLUMNS, columns, problems, maxCharacters);
  const out = sheet.rows.map(({ row, cells }) => {
    const input = Object.assign(new RefundInput(), {
      externalId: cells.external_id ?? '',
      orderExternalId: cells.order_external_id ?? '',
      refundedAt: timeOf(problems, cells.refunded_at ?? '', cellField(row, 'refunded_at')),
      amount: moneyOf(problems, cells.amount ?? '', cells.currency ?? '', row),
    });
    return { row, refund: validatedRow(problems, row, REFUND_COLUMNS, (p) => refundReceived(p, input, 'row', brandId, 'csv')) };
  });
  problems.throwIfAny();
  return out;
}

/** The column of a field the intake refused a refund for (`orderExternalId` → order_external_id). */
export function refundColumnOf(field: string): string {
  const entry = Object.entries(REFUND_COLUMNS).find(([, f]) => f === field || f === `amount.${field}`);
  return entry?.[0] ?? field;
}
