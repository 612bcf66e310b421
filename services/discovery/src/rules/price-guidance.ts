/**
 * Price guidance (docs/discovery.md, "Definitions": $0.10–$1.00 per engaged follower; typical $500–$2,000 per post), shown next
 * to a creator's own rate card, discounted by the account's authenticity. Amounts are integer minor units (US cents).
 */
import { assertNonNegative, formatDecimal } from './types';

/**
 * THE authenticity discount curve: no discount at a score of `fullPriceScore` or more; below it the guidance
 * falls linearly to `floorFactor` × at `floorScore`, and stays there below. Engaged followers that are
 * probably not real are not worth paying for; a score of 50 (neutral, thin evidence) is guided at 0.55 ×.
 */
export const AUTHENTICITY_DISCOUNT = { fullPriceScore: 80, floorScore: 20, floorFactor: 0.1 } as const;

export interface AuthenticityDiscount {
  /** what the guidance is multiplied by, 0.1–1 */
  factor: number;
  /** the authenticity score it was derived from; null when the account has none */
  authenticityScore: number | null;
  reason: string;
}

/**
 * The price factor for an authenticity score (0–100, or null when unscored: no discount):
 *
 *   score ≥ 80        → 1
 *   20 < score < 80   → 1 − (80 − score) ÷ (80 − 20) × (1 − 0.1)      (linear)
 *   score ≤ 20        → 0.1
 */
export function authenticityDiscount(authenticityScore: number | null): AuthenticityDiscount {
  const { fullPriceScore, floorScore, floorFactor } = AUTHENTICITY_DISCOUNT;
  if (authenticityScore === null) {
    return { factor: 1, authenticityScore, reason: 'No authenticity score yet, so the guidance is not discounted.' };
  }
  assertNonNegative('authenticityScore', authenticityScore);
  if (authenticityScore > 100) throw new RangeError(`authenticityScore must be at most 100, got ${authenticityScore}`);
  if (authenticityScore >= fullPriceScore) {
    return { factor: 1, authenticityScore, reason: `Authenticity ${authenticityScore}/100 is at least ${fullPriceScore}: no discount.` };
  }
  const below = Math.min(1, (fullPriceScore - authenticityScore) / (fullPriceScore - floorScore));
  const factor = Math.round((1 - below * (1 - floorFactor)) * 1e9) / 1e9;
  return {
    factor,
    authenticityScore,
    reason: `Authenticity ${authenticityScore}/100 is below ${fullPriceScore}: the guidance is multiplied by ${formatDecimal(factor)} (${formatDecimal(floorFactor)} at ${floorScore} or less).`,
  };
}

/** $0.10 and $1.00 per engaged follower, in cents. */
export const PRICE_PER_ENGAGED_FOLLOWER_MINOR = { low: 10, high: 100 } as const;

/** The typical micro-influencer price per post, $500–$2,000, in cents. */
export const TYPICAL_POST_PRICE_MINOR = { low: 50_000, high: 200_000 } as const;

export interface PriceGuidance {
  engagedFollowers: number;
  /** lowMinor and highMinor are already multiplied by this */
  discount: AuthenticityDiscount;
  lowMinor: number;
  highMinor: number;
  typicalLowMinor: number;
  typicalHighMinor: number;
  currency: 'USD';
}

/**
 * Price guidance for one post:
 *
 *   engagedFollowers = round(followers × engagementRatePercent ÷ 100)   (null or 0 rate → 0)
 *   factor    = authenticityDiscount(authenticityScore).factor
 *   lowMinor  = round(engagedFollowers × 10 × factor)    ($0.10 each)
 *   highMinor = round(engagedFollowers × 100 × factor)   ($1.00 each)
 *   typicalLowMinor = 50,000, typicalHighMinor = 200,000   ($500–$2,000), currency 'USD'
 *
 * round is half up (Math.round). Throws a RangeError for negative or non-finite followers or rate, or a
 * score outside 0–100. Example: 15,000 followers at 5 % → 750 engaged → 7,500–75,000 cents ($75–$750) at an
 * authenticity of 80 or more; at 50, × 0.55 → 4,125–41,250 cents.
 */
export function priceGuidance(followers: number, engagementRatePercent: number | null, authenticityScore: number | null): PriceGuidance {
  assertNonNegative('followers', followers);
  if (engagementRatePercent !== null) assertNonNegative('engagementRatePercent', engagementRatePercent);
  const engagedFollowers = engagementRatePercent === null ? 0 : Math.round((followers * engagementRatePercent) / 100);
  const discount = authenticityDiscount(authenticityScore);
  return {
    engagedFollowers,
    discount,
    lowMinor: Math.round(engagedFollowers * PRICE_PER_ENGAGED_FOLLOWER_MINOR.low * discount.factor),
    highMinor: Math.round(engagedFollowers * PRICE_PER_ENGAGED_FOLLOWER_MINOR.high * discount.factor),
    typicalLowMinor: TYPICAL_POST_PRICE_MINOR.low,
    typicalHighMinor: TYPICAL_POST_PRICE_MINOR.high,
    currency: 'USD',
  };
}
