import { formatMoney } from '@influenceflow/kit';
/** A price on a creator's rate card, as payments last announced it (ratecard.updated). */
export interface RateCardPrice {
  platform: string;
  format: string;
  priceMinor: number;
  currency: string;
}

export interface OfferedWork {
  fee: { amountMinor: number; currency: string };
  deliverables: { platform: string; format: string; count: number }[];
}

/** How an offer compares with the creator's own rates. */
export interface RateAssessment {
  /** Σ rate(platform, format) × count, in the offer's currency; null when a rate is missing or in another currency. */
  creatorRate: { amountMinor: number; currency: string } | null;
  /** Null when the creator's rate is unknown. */
  belowCreatorRate: boolean | null;
  warnings: string[];
}

/**
 * The creator's rate for an offer's deliverables: each deliverable at the creator's price for its
 * platform and format, times its count. A missing price or one in another currency than the offer is
 * said, not guessed (no exchange rates here): the rate is then unknown.
 */
export function assessOffer(offer: OfferedWork, rateCard: readonly RateCardPrice[]): RateAssessment {
  const currency = offer.fee.currency;
  const warnings: string[] = [];
  let total = 0;
  for (const d of offer.deliverables) {
    const price = rateCard.find((p) => p.platform === d.platform && p.format === d.format);
    const what = `${d.platform} ${d.format}`;
    if (!price) warnings.push(`The creator's rate card has no price for ${what}`);
    else if (price.currency !== currency) warnings.push(`The creator prices ${what} in ${price.currency}, the offer is in ${currency}`);
    else total += price.priceMinor * d.count;
  }
  if (warnings.length > 0) return { creatorRate: null, belowCreatorRate: null, warnings };
  const below = offer.fee.amountMinor < total;
  if (below) warnings.push(`The fee is below the creator's own rate for these deliverables (${formatMoney(total, currency)})`);
  return { creatorRate: { amountMinor: total, currency }, belowCreatorRate: below, warnings };
}
