export enum Tier {
  NANO = 'nano',
  MICRO = 'micro',
  MACRO = 'macro',
  MEGA = 'mega',
}

/**
 * Tier from followers (PRODUCT.md): nano < 10,000 ≤ micro < 100,000 ≤ macro ≤ 1,000,000 < mega.
 * A creator at exactly 10,000 is micro and at exactly 100,000 is macro (the next tier starts at its
 * round number); mega is "more than 1M", so exactly 1,000,000 is still macro.
 */
export function tierOf(followers: number): Tier {
  if (!Number.isFinite(followers) || followers < 0) throw new RangeError(`followers must be a non-negative number, got ${followers}`);
  if (followers < 10_000) return Tier.NANO;
  if (followers < 100_000) return Tier.MICRO;
  if (followers <= 1_000_000) return Tier.MACRO;
  return Tier.MEGA;
}
