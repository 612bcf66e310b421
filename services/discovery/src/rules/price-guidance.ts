/**
 * Price guidance (docs/discovery.md, "Definitions": $0.10–$1.00 per engaged follower; typical $500–$2,000 per post), shown next
 * to a creator's own rate card. Amounts are integer minor units (US cents).
 */
import { assertNonNegative } from './types';

/** $0.10 and $1.00 per engaged follower, in cents. */
export const PRICE_PER_ENGAGED_FOLLOWER_MINOR = { low: 10, high: 100 } as const;

/** The typical micro-influencer price per post, $500–$2,000, in cents. */
export const TYPICAL_POST_PRICE_MINOR = { low: 50_000, high: 200_000 } as const;

export interface PriceGuidance {
  engagedFollowers: number;
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
 *   lowMinor  = engagedFollowers × 10    ($0.10 each)
 *   highMinor = engagedFollowers × 100   ($1.00 each)
 *   typicalLowMinor = 50,000, typicalHighMinor = 200,000   ($500–$2,000), currency 'USD'
 *
 * round is half up (Math.round). Throws a RangeError for negative or non-finite followers or rate.
 * Example: 15,000 followers at 5 % → 750 engaged → 7,500–75,000 cents ($75–$750).
 */
export function priceGuidance(followers: number, engagementRatePercent: number | null): PriceGuidance {
  assertNonNegative('followers', followers);
  if (engagementRatePercent !== null) assertNonNegative('engagementRatePercent', engagementRatePercent);
  const engagedFollowers = engagementRatePercent === null ? 0 : Math.round((followers * engagementRatePercent) / 100);
  return {
    engagedFollowers,
    lowMinor: engagedFollowers * PRICE_PER_ENGAGED_FOLLOWER_MINOR.low,
    highMinor: engagedFollowers * PRICE_PER_ENGAGED_FOLLOWER_MINOR.high,
    typicalLowMinor: TYPICAL_POST_PRICE_MINOR.low,
    typicalHighMinor: TYPICAL_POST_PRICE_MINOR.high,
    currency: 'USD',
  };
}
