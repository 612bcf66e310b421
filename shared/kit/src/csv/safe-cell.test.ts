import { safeCell } from './safe-cell';

describe('safeCell', () => {
  it('defuses what a spreadsheet would run, and leaves the rest', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(safeCell(v)).toBe(`'${v}`);
    expect(safeCell('a jacket = 1')).toBe('a jacket = 1');
    expect(safeCell(null)).toBe('');
    expect(safeCell(undefined)).toBe('');
  });
});
