export enum Tier {
  NANO = 'nano',
  MICRO = 'micro',
  MACRO = 'macro',
  MEGA = 'mega',
}

/**
 * Tier from followers (docs/discovery.md, "Definitions"): nano < 10,000 ≤ micro < 100,000 ≤ macro ≤ 1,000,000 < mega.
 * A creator at exactly 10,000 is micro and at exactly 100,000 is macro (the next tier starts at its
 * round number); mega is "more than 1M", so exactly 1,000,000 is still macro.
 */
export function tierOf(followers: number): Tier {
  if (!Number.isFinite(followers) || followers < 0) throw new RangeError(`followers must be a non-negative number, got ${followers}`);
  return TIER_ORDER.find((tier) => followers <= TIER_FOLLOWERS[tier].max)!;
}

/** Followers (a whole number) of each tier as inclusive bounds (mega has no top); search filters by them too. */
export const TIER_FOLLOWERS: Record<Tier, { min: number; max: number }> = {
  [Tier.NANO]: { min: 0, max: 9_999 },
  [Tier.MICRO]: { min: 10_000, max: 99_999 },
  [Tier.MACRO]: { min: 100_000, max: 1_000_000 },
  [Tier.MEGA]: { min: 1_000_001, max: Infinity },
};

const TIER_ORDER = [Tier.NANO, Tier.MICRO, Tier.MACRO, Tier.MEGA];
