import { AppError } from '@influenceflow/kit';
import { CSV_LIMITS, ordersOfCsv, refundsOfCsv } from './csv-import';

const BRAND = '00000000-0000-4000-8000-000000000001';
const HEADER = 'external_id,ordered_at,amount,currency,customer_id,customer_email,discount_codes,landing_url,click_id';

/** The refusal of a file: its first field and every problem's field. */
function refusalOf(run: () => unknown): { field?: string; message: string; fields: string[] } {
  try {
    run();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const problems = (err.details?.problems as { field: string }[] | undefined) ?? [];
    return { field: err.field, message: err.message, fields: problems.map((p) => p.field) };
  }
  throw new Error('expected a refusal');
}

describe('orders of a CSV file', () => {
  it('reads BOM, CRLF, quoted cells and codes separated by ; or spaces', () => {
    const csv = `\uFEFF${HEADER}\r\na1,2026-03-03T09:00:00Z,12.50,usd,c1,,"ELLA; spring  x",/p?utm_campaign=a,\r\n"a,2",2026-03-04T09:00:00+01:00,3,JPY,,Y@Example.com,,,\r\n`;
    const rows = ordersOfCsv(csv, BRAND);
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expect(rows[0].order).toMatchObject({
      externalId: 'a1',
      amountMinor: 1250,
      currency: 'USD',
      discountCodes: ['ELLA', 'spring', 'x'],
      landingUrl: '/p?utm_campaign=a',
      source: 'csv',
      brandId: BRAND,
    });
    expect(rows[0].order.customerKey).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[1].order).toMatchObject({ externalId: 'a,2', amountMinor: 3, currency: 'JPY', discountCodes: [] });
    expect(rows[1].order.orderedAt.toISOString()).toBe('2026-03-04T08:00:00.000Z');
  });

  it('accepts the optional columns left out, in any order', () => {
    const rows = ordersOfCsv('currency,amount,ordered_at,external_id\nEUR,1.00,2026-03-03T09:00:00Z,o\n', BRAND);
    expect(rows[0].order).toMatchObject({ externalId: 'o', amountMinor: 100, currency: 'EUR', customerKey: null, clickId: null });
  });

  it('names an unknown, a repeated and a missing column', () => {
    expect(
      refusalOf(() => ordersOfCsv('external_id,ordered_at,amount,currency,colour\nx,2026-03-03T09:00:00Z,1,USD,red', BRAND)),
    ).toMatchObject({
      field: 'csv.header.5',
      message: expect.stringContaining('"colour"'),
    });
    expect(refusalOf(() => ordersOfCsv('external_id,ordered_at,amount,currency,AMOUNT\nx,2026-03-03T09:00:00Z,1,USD,1', BRAND)).field).toBe(
      'csv.header.5',
    );
    expect(refusalOf(() => ordersOfCsv('external_id,amount\nx,1', BRAND)).fields).toEqual(['csv.header.ordered_at', 'csv.header.currency']);
    expect(refusalOf(() => ordersOfCsv('', BRAND)).field).toBe('csv.header');
    expect(refusalOf(() => ordersOfCsv(`${HEADER}\n`, BRAND)).message).toMatch(/no rows/);
  });

  it("refuses each bad cell under its row and column, with the API's own rules, and nothing of the file", () => {
    const csv = [
      'external_id,ordered_at,amount,currency,discount_codes',
      'ok,2026-03-03T09:00:00Z,1.00,USD,',
      ',2026-03-03T09:00:00Z,1.00,USD,',
      'b,03/03/2026,1.00,USD,',
      'c,2026-03-03T09:00:00Z,12.505,USD,',
      'd,2026-03-03T09:00:00Z,1.00,DOLLARS,',
      `e,2026-03-03T09:00:00Z,1.00,USD,${'X'.repeat(101)}`,
      `${'f'.repeat(201)},2026-03-03T09:00:00Z,-1,USD,`,
    ].join('\n');
    expect(refusalOf(() => ordersOfCsv(csv, BRAND)).fields).toEqual([
      'csv.row.3.external_id',
      'csv.row.4.ordered_at',
      'csv.row.5.amount',
      'csv.row.6.currency',
      'csv.row.7.discount_codes',
      // the API's own rule refuses a negative amount, after the external id it checks first
      'csv.row.8.external_id',
      'csv.row.8.amount',
    ]);
  });

  it('refuses ragged rows, line breaks inside a cell, a quote never closed', () => {
    expect(refusalOf(() => ordersOfCsv('external_id,ordered_at,amount,currency\na,2026-03-03T09:00:00Z,1\n', BRAND))).toMatchObject({
      field: 'csv.row.2',
      message: 'has 3 cells; the header has 4',
    });
    expect(
      refusalOf(() => ordersOfCsv('external_id,ordered_at,amount,currency\na,2026-03-03T09:00:00Z,1,USD,extra,cells\n', BRAND)).field,
    ).toBe('csv.row.2');
    expect(refusalOf(() => ordersOfCsv('external_id,ordered_at,amount,currency\n"a\r\nb",2026-03-03T09:00:00Z,1,USD\n', BRAND)).field).toBe(
      'csv.row.2.external_id',
    );
    const unclosed = refusalOf(() => ordersOfCsv('external_id,ordered_at,amount,currency\n"a,2026-03-03T09:00:00Z,1,USD\n', BRAND));
    expect(unclosed).toMatchObject({ field: 'csv', message: expect.stringContaining('never closed') });
  });

  it('refuses NUL bytes, lone surrogates, wrong types, too many rows and too many characters', () => {
    expect(refusalOf(() => ordersOfCsv(`${HEADER}\na\u0000,2026-03-03T09:00:00Z,1,USD,,,,,`, BRAND))).toMatchObject({
      field: 'csv',
      message: 'must not contain NUL characters',
    });
    expect(refusalOf(() => ordersOfCsv(`${HEADER}\na\uD800,2026-03-03T09:00:00Z,1,USD,,,,,`, BRAND)).field).toBe('csv');
    expect(refusalOf(() => ordersOfCsv(42 as unknown as string, BRAND)).field).toBe('csv');
    const many = `external_id\n${'a\n'.repeat(CSV_LIMITS.rows + 1)}`;
    expect(refusalOf(() => ordersOfCsv(many, BRAND))).toMatchObject({ field: 'csv', message: expect.stringContaining('10,001 rows') });
    expect(refusalOf(() => ordersOfCsv('x'.repeat(10 * 1024 * 1024), BRAND))).toMatchObject({
      field: 'csv',
      message: expect.stringContaining('100,000 characters'),
    });
  });

  it('takes formula-looking cells as the text they are (nothing is run on import)', () => {
    const [r] = ordersOfCsv('external_id,ordered_at,amount,currency,landing_url\n=1+1,2026-03-03T09:00:00Z,1,USD,@SUM(A1)\n', BRAND);
    expect(r.order).toMatchObject({ externalId: '=1+1', landingUrl: '@SUM(A1)' });
  });
});

describe('refunds of a CSV file', () => {
  it('reads every column, all required', () => {
    const [r] = refundsOfCsv('external_id,order_external_id,refunded_at,amount,currency\nr1,o1,2026-03-10T00:00:00Z,20.00,USD\n', BRAND);
    expect(r.refund).toMatchObject({ externalId: 'r1', orderExternalId: 'o1', amountMinor: 2000, currency: 'USD', source: 'csv' });
    expect(refusalOf(() => refundsOfCsv('external_id,refunded_at,amount,currency\nr1,2026-03-10T00:00:00Z,20.00,USD', BRAND)).field).toBe(
      'csv.header.order_external_id',
    );
  });
  it('refuses a refund of nothing (amount above 0)', () => {
    expect(
      refusalOf(() => refundsOfCsv('external_id,order_external_id,refunded_at,amount,currency\nr1,o1,2026-03-10T00:00:00Z,0,USD', BRAND))
        .fields,
    ).toEqual(['csv.row.2.amount']);
  });
});
