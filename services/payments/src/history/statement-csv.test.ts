import { Money, safeCell } from '@influenceflow/kit';
import { CreatorStatement, StatementLine, StatementLineKind } from './history.types';
import { statementCsv } from './statement-csv';
import { statementTotals } from './statement-rules';

describe('statement CSV', () => {
  it('defuses cells a spreadsheet would run as formulas', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(safeCell(v)).toBe(`'${v}`);
    expect(safeCell('a jacket = 1')).toBe('a jacket = 1');
    expect(safeCell(null)).toBe('');
  });

  it('prints amounts with the ISO 4217 exponent of each currency (KWD 3, JPY 0), a reversal negative', () => {
    const line = (kind: StatementLineKind, amountMinor: number, currency: string) =>
      Object.assign(new StatementLine(), {
        id: 't',
        bookedAt: new Date('2026-03-01T10:00:00.000Z'),
        kind,
        brandId: 'b',
        brandName: '=HYPERLINK("x")',
        campaignId: null,
        campaignName: 'Summer, "glow"',
        partnershipId: null,
        payoutId: null,
        amount: Money.of(amountMinor, currency),
        description: null,
      });
    const lines = [
      line(StatementLineKind.PAYOUT, 1_250, 'KWD'),
      line(StatementLineKind.REVERSAL, 5, 'KWD'),
      line(StatementLineKind.PAYOUT, 700, 'JPY'),
    ];
    const csv = statementCsv(Object.assign(new CreatorStatement(), { creatorId: 'c', year: 2026, lines, ...statementTotals(lines) }));
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe(
      'section,date,kind,brand,brand_id,campaign,campaign_id,partnership_id,payout_id,currency,cash_paid,product_value,description',
    );
    // The brand's and campaign's names are the brand's words: defused and quoted like any text cell.
    const names = `"'=HYPERLINK(""x"")",b,"Summer, ""glow"""`;
    expect(rows[1]).toBe(`line,2026-03-01T10:00:00.000Z,PAYOUT,${names},,,,KWD,1.250,,`);
    expect(rows[2]).toBe(`line,2026-03-01T10:00:00.000Z,REVERSAL,${names},,,,KWD,-0.005,,`);
    expect(rows[3]).toBe(`line,2026-03-01T10:00:00.000Z,PAYOUT,${names},,,,JPY,700,,`);
    expect(rows).toContain(`brand_total,,,"'=HYPERLINK(""x"")",b,,,,,KWD,1.245,0.000,`);
    expect(rows).toContain('total,,,,,,,,,KWD,1.245,0.000,');
    expect(rows).toContain('total,,,,,,,,,JPY,700,0,');
  });
});
