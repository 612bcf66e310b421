import { detectSponsorship, disclosureMarkerNamed } from '@influenceflow/vocabulary';

/**
 * Which disclosure markers a brand accepts, per market: a brand's own rules (setBrandDisclosureRules)
 * over the default table below. A market is a country of the campaign's target audience.
 */
export interface DisclosureRules {
  /** Markets without a rule of their own: these markers; null accepts any paid marker the detector knows. */
  anyMarket: string[] | null;
  /** Per ISO 3166-1 alpha-2 country: the markers accepted there (one of them must be present). */
  markets: { country: string; markers: string[] }[];
}

/**
 * What the authorities of a market ask for, when the brand has not said otherwise (docs/campaign.md,
 * "Compliance"). Every marker is one the shared detector knows (a unit test holds it to that).
 */
export const DEFAULT_MARKET_MARKERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  DE: ['#anzeige', '#werbung'],
  AT: ['#anzeige', '#werbung'],
  FR: ['#publicité'],
  ES: ['#publicidad'],
  IT: ['#adv', '#sponsorizzato'],
  NL: ['#reclame', '#gesponsord'],
  GB: ['#ad', '#advertisement'],
  US: ['#ad', '#sponsored', 'paid partnership'],
});

/** What one market needs: `markers` (their detector names), or null for any paid marker. */
export interface MarketRequirement {
  /** The country, or null for a campaign without target countries. */
  country: string | null;
  markers: string[] | null;
}

/** What each of a campaign's markets requires, the brand's rule first, then the default table, then `anyMarket`. */
export function marketRequirements(rules: DisclosureRules | null, countries: readonly string[]): MarketRequirement[] {
  const own = new Map((rules?.markets ?? []).map((m) => [m.country, m.markers]));
  const fallback = rules?.anyMarket ?? null;
  if (countries.length === 0) return [{ country: null, markers: fallback }];
  return [...new Set(countries.map((c) => c.toUpperCase()))].map((country) => ({
    country,
    markers: own.get(country) ?? (DEFAULT_MARKET_MARKERS[country] ? [...DEFAULT_MARKET_MARKERS[country]] : fallback),
  }));
}

/** The detector's name of a marker as a brand writes it (`#Anzeige` is `#anzeige`), or null when it knows none. */
export function markerName(written: string): string | null {
  return disclosureMarkerNamed(written)?.marker ?? null;
}

/** The disclosure markers a caption carries, by their detector names, and whether each is paid. */
export function disclosuresIn(caption: string): { marker: string; paid: boolean }[] {
  return detectSponsorship({ caption }).markers.map((m) => ({ marker: m.marker, paid: m.disclosure === 'paid' }));
}
