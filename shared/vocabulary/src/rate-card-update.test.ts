import { periodsOfRateCardUpdate } from './events';

const KEY = { creatorId: '00000000-0000-4000-8000-000000000001', platform: 'instagram', format: 'reel' };

describe('reading a ratecard.updated into a copy', () => {
  it('takes the periods when the event has them, even an empty list (every line removed)', () => {
    const periods = [
      { validFrom: '2026-01-01', validUntil: '2026-06-30', priceMinor: 40_000, currency: 'USD' },
      { validFrom: '2026-07-01', validUntil: null, priceMinor: 45_000, currency: 'USD' },
    ];
    expect(periodsOfRateCardUpdate({ ...KEY, priceMinor: 45_000, currency: 'USD', asOf: '2026-08-01', periods })).toEqual(periods);
    // A future line only: no price today, but its period is kept.
    expect(periodsOfRateCardUpdate({ ...KEY, removed: true, asOf: '2026-08-01', periods: [periods[1]] })).toEqual([periods[1]]);
    expect(periodsOfRateCardUpdate({ ...KEY, removed: true, periods: [] })).toEqual([]);
  });

  it('reads an older producer (no periods) as one open-ended line from 1970-01-01, or none when removed', () => {
    expect(periodsOfRateCardUpdate({ ...KEY, priceMinor: 45_000, currency: 'USD' })).toEqual([
      { validFrom: '1970-01-01', validUntil: null, priceMinor: 45_000, currency: 'USD' },
    ]);
    expect(periodsOfRateCardUpdate({ ...KEY, removed: true })).toEqual([]);
    expect(periodsOfRateCardUpdate({ ...KEY })).toEqual([]);
  });
});
