/** Cents paid per engaged follower, low and high end (PRODUCT.md: $0.10–$1.00). */
export const CENTS_PER_ENGAGED_FOLLOWER = { low: 10, high: 100 } as const;
/** The typical micro-influencer price per post, in cents (PRODUCT.md: $500–$2,000). */
export const TYPICAL_POST_PRICE_CENTS = { low: 50_000, high: 200_000 } as const;

export interface PriceGuidance {
  /** engaged followers × $0.10, in cents */
  lowMinor: number;
  /** engaged followers × $1.00, in cents */
  highMinor: number;
  typicalLowMinor: number;
  typicalHighMinor: number;
}

/**
 * Price guidance for one post, in USD cents:
 *   engaged = round(followers × engagementRatePercent ÷ 100)
 *   low = engaged × 10¢, high = engaged × 100¢; shown beside the typical $500–$2,000 per post.
 * E.g. 15,000 followers at 5 % → 750 engaged → $75.00–$750.00.
 */
export function priceGuidance(followers: number, engagementRatePercent: number): PriceGuidance {
  if (!Number.isInteger(followers) || followers < 0) throw new RangeError('followers must be a non-negative integer');
  if (!(engagementRatePercent >= 0 && engagementRatePercent <= 100)) throw new RangeError('engagement rate must be between 0 and 100 %');
  const engaged = Math.round((followers * engagementRatePercent) / 100);
  return {
    lowMinor: engaged * CENTS_PER_ENGAGED_FOLLOWER.low,
    highMinor: engaged * CENTS_PER_ENGAGED_FOLLOWER.high,
    typicalLowMinor: TYPICAL_POST_PRICE_CENTS.low,
    typicalHighMinor: TYPICAL_POST_PRICE_CENTS.high,
  };
}
