import { AUTHENTICITY_DISCOUNT, authenticityDiscount, priceGuidance } from './price-guidance';

const NO_DISCOUNT = { factor: 1, authenticityScore: 90, reason: 'Authenticity 90/100 is at least 80: no discount.' };

describe('priceGuidance', () => {
  it('15,000 followers at 5 % → 750 engaged → $75–$750 (7,500–75,000 cents), typical $500–$2,000', () => {
    expect(priceGuidance(15_000, 5, 90)).toEqual({
      engagedFollowers: 750,
      discount: NO_DISCOUNT,
      lowMinor: 7_500,
      highMinor: 75_000,
      typicalLowMinor: 50_000,
      typicalHighMinor: 200_000,
      currency: 'USD',
    });
  });

  it('rounds engaged followers half up: 12,345 × 3.3 % = 407.385 → 407; 1,010 × 5 % = 50.5 → 51', () => {
    expect(priceGuidance(12_345, 3.3, 90)).toMatchObject({ engagedFollowers: 407, lowMinor: 4_070, highMinor: 40_700 });
    expect(priceGuidance(1_010, 5, 90)).toMatchObject({ engagedFollowers: 51, lowMinor: 510, highMinor: 5_100 });
  });

  it('100,000 followers at 2 % → 2,000 engaged → $200–$2,000', () => {
    expect(priceGuidance(100_000, 2, 90)).toMatchObject({ engagedFollowers: 2_000, lowMinor: 20_000, highMinor: 200_000 });
  });

  it('a null or 0 rate, or 0 followers, gives 0 engaged followers and a 0–0 range but still the typical range', () => {
    for (const g of [priceGuidance(15_000, null, 90), priceGuidance(15_000, 0, 90), priceGuidance(0, 5, 90)]) {
      expect(g).toEqual({
        engagedFollowers: 0,
        discount: NO_DISCOUNT,
        lowMinor: 0,
        highMinor: 0,
        typicalLowMinor: 50_000,
        typicalHighMinor: 200_000,
        currency: 'USD',
      });
    }
  });

  it('returns integer cents', () => {
    const g = priceGuidance(33_333, 4.44, 90);
    expect(g.engagedFollowers).toBe(1_480); // 33,333 × 4.44 ÷ 100 = 1,479.9852
    expect(Number.isInteger(g.lowMinor) && Number.isInteger(g.highMinor)).toBe(true);
    expect(g).toMatchObject({ lowMinor: 14_800, highMinor: 148_000 });
  });

  it('refuses negative or non-finite inputs', () => {
    expect(() => priceGuidance(-1, 5, 90)).toThrow(RangeError);
    expect(() => priceGuidance(15_000, -0.5, 90)).toThrow('engagementRatePercent');
    expect(() => priceGuidance(Number.NaN, 5, 90)).toThrow('followers');
    expect(() => priceGuidance(15_000, Number.POSITIVE_INFINITY, 90)).toThrow(RangeError);
  });

  it('refuses an authenticity score outside 0–100', () => {
    expect(() => priceGuidance(15_000, 5, -1)).toThrow('authenticityScore');
    expect(() => priceGuidance(15_000, 5, 101)).toThrow('authenticityScore');
    expect(() => priceGuidance(15_000, 5, Number.NaN)).toThrow(RangeError);
  });
});

describe('authenticity discount of price guidance', () => {
  it.each([
    [100, 1],
    [80, 1],
    [79, 1 - (1 / 60) * 0.9],
    [50, 0.55], // 1 − 30/60 × 0.9
    [35, 0.325],
    [20, 0.1],
    [15, 0.1],
    [0, 0.1],
  ])('authenticity %d → factor %d', (score, factor) => {
    expect(authenticityDiscount(score).factor).toBeCloseTo(factor, 9);
  });

  it('falls as the score falls, never below the floor', () => {
    const factors = Array.from({ length: 101 }, (_, s) => authenticityDiscount(s).factor);
    factors.slice(1).forEach((f, i) => expect(f).toBeGreaterThanOrEqual(factors[i]));
    expect(Math.min(...factors)).toBe(AUTHENTICITY_DISCOUNT.floorFactor);
  });

  it('says why, and does not discount an account that has no score', () => {
    expect(authenticityDiscount(50).reason).toBe(
      'Authenticity 50/100 is below 80: the guidance is multiplied by 0.55 (0.10 at 20 or less).',
    );
    expect(authenticityDiscount(null)).toEqual({
      factor: 1,
      authenticityScore: null,
      reason: 'No authenticity score yet, so the guidance is not discounted.',
    });
  });

  it('a 15/100 account is guided at a tenth: 7,901 engaged followers at up to $7,901 become $79.01–$790.10', () => {
    const full = priceGuidance(79_010, 10, 90);
    expect(full).toMatchObject({ engagedFollowers: 7_901, lowMinor: 79_010, highMinor: 790_100 });
    const fraud = priceGuidance(79_010, 10, 15);
    expect(fraud.discount.factor).toBe(0.1);
    expect(fraud).toMatchObject({ engagedFollowers: 7_901, lowMinor: 7_901, highMinor: 79_010 });
  });

  it('rounds discounted cents half up: 407 engaged at 0.55 → 2,238.5 → 2,239 and 22,385 cents', () => {
    expect(priceGuidance(12_345, 3.3, 50)).toMatchObject({ engagedFollowers: 407, lowMinor: 2_239, highMinor: 22_385 });
  });
});
