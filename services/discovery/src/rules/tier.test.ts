import { Tier, tierOf } from './tier';

describe('tier from followers', () => {
  it.each([
    [0, Tier.NANO],
    [9_999, Tier.NANO],
    [10_000, Tier.MICRO],
    [15_000, Tier.MICRO],
    [99_999, Tier.MICRO],
    [100_000, Tier.MACRO],
    [1_000_000, Tier.MACRO],
    [1_000_001, Tier.MEGA],
  ])('%i followers → %s', (followers, tier) => {
    expect(tierOf(followers)).toBe(tier);
  });

  it('refuses negative or non-numeric counts', () => {
    expect(() => tierOf(-1)).toThrow(RangeError);
    expect(() => tierOf(Number.NaN)).toThrow(RangeError);
  });
});
