import { priceGuidance } from './price-guidance';

describe('price guidance', () => {
  it('15,000 followers at 5 % → 750 engaged → $75.00–$750.00', () => {
    expect(priceGuidance(15_000, 5)).toEqual({ lowMinor: 7_500, highMinor: 75_000, typicalLowMinor: 50_000, typicalHighMinor: 200_000 });
  });

  it('80,000 followers at 3.5 % → 2,800 engaged → $280.00–$2,800.00', () => {
    expect(priceGuidance(80_000, 3.5)).toMatchObject({ lowMinor: 28_000, highMinor: 280_000 });
  });

  it('rounds engaged followers to whole people', () => {
    expect(priceGuidance(333, 10)).toMatchObject({ lowMinor: 330, highMinor: 3_300 }); // 33.3 → 33
  });

  it('refuses impossible inputs', () => {
    expect(() => priceGuidance(-1, 5)).toThrow(RangeError);
    expect(() => priceGuidance(1000, 101)).toThrow(RangeError);
    expect(() => priceGuidance(1.5, 5)).toThrow(RangeError);
  });
});
