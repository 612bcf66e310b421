import { priceGuidance } from './price-guidance';

describe('priceGuidance', () => {
  it('15,000 followers at 5 % → 750 engaged → $75–$750 (7,500–75,000 cents), typical $500–$2,000', () => {
    expect(priceGuidance(15_000, 5)).toEqual({
      engagedFollowers: 750,
      lowMinor: 7_500,
      highMinor: 75_000,
      typicalLowMinor: 50_000,
      typicalHighMinor: 200_000,
      currency: 'USD',
    });
  });

  it('rounds engaged followers half up: 12,345 × 3.3 % = 407.385 → 407; 1,010 × 5 % = 50.5 → 51', () => {
    expect(priceGuidance(12_345, 3.3)).toMatchObject({ engagedFollowers: 407, lowMinor: 4_070, highMinor: 40_700 });
    expect(priceGuidance(1_010, 5)).toMatchObject({ engagedFollowers: 51, lowMinor: 510, highMinor: 5_100 });
  });

  it('100,000 followers at 2 % → 2,000 engaged → $200–$2,000', () => {
    expect(priceGuidance(100_000, 2)).toMatchObject({ engagedFollowers: 2_000, lowMinor: 20_000, highMinor: 200_000 });
  });

  it('a null or 0 rate, or 0 followers, gives 0 engaged followers and a 0–0 range but still the typical range', () => {
    for (const g of [priceGuidance(15_000, null), priceGuidance(15_000, 0), priceGuidance(0, 5)]) {
      expect(g).toEqual({
        engagedFollowers: 0,
        lowMinor: 0,
        highMinor: 0,
        typicalLowMinor: 50_000,
        typicalHighMinor: 200_000,
        currency: 'USD',
      });
    }
  });

  it('returns integer cents', () => {
    const g = priceGuidance(33_333, 4.44);
    expect(g.engagedFollowers).toBe(1_480); // 33,333 × 4.44 ÷ 100 = 1,479.9852
    expect(Number.isInteger(g.lowMinor) && Number.isInteger(g.highMinor)).toBe(true);
    expect(g).toMatchObject({ lowMinor: 14_800, highMinor: 148_000 });
  });

  it('refuses negative or non-finite inputs', () => {
    expect(() => priceGuidance(-1, 5)).toThrow(RangeError);
    expect(() => priceGuidance(15_000, -0.5)).toThrow('engagementRatePercent');
    expect(() => priceGuidance(Number.NaN, 5)).toThrow('followers');
    expect(() => priceGuidance(15_000, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
