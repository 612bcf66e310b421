/**
 * Which partnership an order (or another conversion) is credited to, and why — the rule of
 * docs/metrics.md, "Orders and their attribution": a discount code first, else the click in the landing
 * URL (`ifclid`), else the latest click its UTM parameters identify, within the attribution window.
 * Pure: the caller looks the candidates up and stores the answer with its reason.
 */

export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 21;
const DAY_MS = 86_400_000;

/** Why an order is (or is not) credited. */
export enum AttributionReason {
  DISCOUNT_CODE = 'DISCOUNT_CODE',
  CLICK_ID = 'CLICK_ID',
  UTM = 'UTM',
  /** It carries a click id analytics has not heard of yet: credited when the click arrives. */
  AWAITING_CLICK = 'AWAITING_CLICK',
  /**
   * It names a partnership whose campaign analytics has not heard of yet (their events travel apart), so
   * its currency cannot be compared: credited when the campaign arrives.
   */
  AWAITING_CAMPAIGN = 'AWAITING_CAMPAIGN',
  /** Its codes belong to no partnership of the brand, and no click credits it. */
  UNKNOWN_CODE = 'UNKNOWN_CODE',
  /** The click it names (or its UTM's latest click) is older than the campaign's window, or later than the order. */
  OUTSIDE_WINDOW = 'OUTSIDE_WINDOW',
  /** Nothing in it names a partnership. */
  NO_REFERRAL = 'NO_REFERRAL',
}

/** The reasons as the API's descriptions list them. */
export const REASONS_DESCRIPTION =
  'DISCOUNT_CODE, CLICK_ID, UTM; or why not: AWAITING_CLICK, AWAITING_CAMPAIGN, UNKNOWN_CODE, OUTSIDE_WINDOW, NO_REFERRAL.';

/** A click a candidate names, with its campaign's window. */
export interface ClickCandidate {
  clickId: string;
  partnershipId: string;
  at: Date;
  windowDays: number;
}

export interface AttributionCandidates {
  /** The partnership whose code the order used (the first of its codes the brand knows). */
  byCode: { partnershipId: string; code: string } | null;
  /** The click its click id names: found, not found (`unknown`), or no click id (null). */
  byClickId: ClickCandidate | 'unknown' | null;
  /** The human clicks of the link its UTM parameters name, newest first (a few are enough). */
  byUtm: ClickCandidate[];
  /** The order had discount codes (known or not). */
  hadCodes: boolean;
}

export interface Attribution {
  partnershipId: string | null;
  clickId: string | null;
  matchedCode: string | null;
  reason: AttributionReason;
}

/** A click can credit an order placed at most `windowDays` after it (and not before it). */
export function withinWindow(click: ClickCandidate, at: Date): boolean {
  const age = at.getTime() - click.at.getTime();
  return age >= 0 && age <= click.windowDays * DAY_MS;
}

export function attribute(at: Date, c: AttributionCandidates): Attribution {
  if (c.byCode)
    return { partnershipId: c.byCode.partnershipId, clickId: null, matchedCode: c.byCode.code, reason: AttributionReason.DISCOUNT_CODE };
  let outside = false;
  if (c.byClickId === 'unknown') return { partnershipId: null, clickId: null, matchedCode: null, reason: AttributionReason.AWAITING_CLICK };
  if (c.byClickId) {
    if (withinWindow(c.byClickId, at))
      return {
        partnershipId: c.byClickId.partnershipId,
        clickId: c.byClickId.clickId,
        matchedCode: null,
        reason: AttributionReason.CLICK_ID,
      };
    outside = true;
  }
  const latest = c.byUtm.filter((k) => k.at.getTime() <= at.getTime()).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (latest) {
    if (withinWindow(latest, at))
      return { partnershipId: latest.partnershipId, clickId: latest.clickId, matchedCode: null, reason: AttributionReason.UTM };
    outside = true;
  }
  const reason = c.hadCodes ? AttributionReason.UNKNOWN_CODE : outside ? AttributionReason.OUTSIDE_WINDOW : AttributionReason.NO_REFERRAL;
  return { partnershipId: null, clickId: null, matchedCode: null, reason };
}

/** What a landing URL says: its click id and UTM parameters (null when absent or not a URL). */
export function landingParameters(url: string | null): { clickId: string | null; utmCampaign: string | null; utmContent: string | null } {
  if (!url) return { clickId: null, utmCampaign: null, utmContent: null };
  let params: URLSearchParams;
  try {
    // Shopify's landing_site is a path with a query ("/products/x?utm_source=…"): read it against any origin
    params = new URL(url, 'https://landing.invalid').searchParams;
  } catch {
    return { clickId: null, utmCampaign: null, utmContent: null };
  }
  return {
    clickId: params.get('ifclid'),
    utmCampaign: params.get('utm_campaign')?.toLowerCase() ?? null,
    utmContent: params.get('utm_content')?.toLowerCase() ?? null,
  };
}
