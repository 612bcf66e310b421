import { periodHolds, periodsOverlap } from './date-period';
import { addDays, isIsoDate, todayUtc } from '../validation/iso-date';

describe('date periods', () => {
  const h1 = { validFrom: '2027-01-01', validUntil: '2027-06-30' };
  const h2 = { validFrom: '2027-07-01', validUntil: null };

  it('holds its first and last day, not the day after; an open end holds every later day', () => {
    expect(periodHolds(h1, '2027-01-01')).toBe(true);
    expect(periodHolds(h1, '2027-06-30')).toBe(true);
    expect(periodHolds(h1, '2027-07-01')).toBe(false);
    expect(periodHolds(h1, '2026-12-31')).toBe(false);
    expect(periodHolds(h2, '9999-12-31')).toBe(true);
  });

  it('overlaps on a shared day only: until = next from - 1 day does not', () => {
    expect(periodsOverlap(h1, h2)).toBe(false);
    expect(periodsOverlap(h2, h1)).toBe(false);
    expect(periodsOverlap(h1, { validFrom: '2027-06-30', validUntil: '2027-06-30' })).toBe(true);
    expect(periodsOverlap(h2, { validFrom: '2020-01-01', validUntil: null })).toBe(true);
    expect(periodsOverlap({ validFrom: '2020-01-01', validUntil: '2026-12-31' }, h1)).toBe(false);
  });

  it('reads ISO dates strictly and counts days across months and leap years', () => {
    expect(['2027-02-29', '2027-13-01', '0000-01-01', '2027-1-01', ' 2027-01-01', '2027-01-01\u0000', 'soon'].map(isIsoDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['2028-02-29', '0001-01-01', '9999-12-31'].map(isIsoDate)).toEqual([true, true, true]);
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(todayUtc(new Date('2026-12-02T23:59:59.999Z'))).toBe('2026-12-02');
  });
});
