/**
 * Audience match: how well a creator's audience fits a brand's target audience, as a 0–100 score with its
 * parts (PRODUCT.md, "Audience match").
 */
import {
  AgeBucket,
  assertShareRecord,
  AudienceProfile,
  formatPercent,
  Gender,
  normaliseCountry,
  normaliseCountryShares,
  Platform,
} from './types';

export interface AudienceTarget {
  ages?: AgeBucket[];
  genders?: Gender[];
  countries?: string[];
  interests?: string[];
  platforms?: Platform[];
}

export type AudienceMatchKey = 'ages' | 'genders' | 'countries' | 'interests' | 'platforms';

/** Base weights of the parts; the weights of the parts a target specifies are renormalised to sum to 1. */
export const AUDIENCE_MATCH_WEIGHTS: Readonly<Record<AudienceMatchKey, number>> = {
  ages: 0.25,
  genders: 0.15,
  countries: 0.3,
  interests: 0.2,
  platforms: 0.1,
};

export interface AudienceMatchPart {
  key: AudienceMatchKey;
  /** the base weight renormalised over the specified parts: weights of all parts sum to 1 */
  weight: number;
  /** 0..1 */
  value: number;
  explanation: string;
}

export interface AudienceMatch {
  /** 0..100 integer; null for an empty target */
  score: number | null;
  parts: AudienceMatchPart[];
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const normaliseInterest = (s: string): string => s.trim().toLowerCase();
const list = (xs: readonly string[]): string => xs.join(', ');

/**
 * Audience match of a creator's audience (and platforms) to a brand's target. A part exists only for a target
 * field that is given and non-empty (duplicates in the target are ignored):
 *
 *   ages      = Σ audience.ages[b] over the target buckets b              (missing bucket = 0)
 *   genders   = Σ audience.genders[g] over the target genders g           (missing gender = 0)
 *   countries = Σ audience country shares over the target countries       (codes compared upper case)
 *   interests = |target ∩ audience interests| ÷ |target|                  (compared trimmed, lower case)
 *   platforms = 1 if creatorPlatforms contains any target platform, else 0
 *
 * An unknown audience (null) makes ages, genders, countries and interests 0.
 *
 *   weight_p = AUDIENCE_MATCH_WEIGHTS[p] ÷ Σ AUDIENCE_MATCH_WEIGHTS over the parts present
 *   score    = round(100 × Σ AUDIENCE_MATCH_WEIGHTS[p] × value_p ÷ Σ AUDIENCE_MATCH_WEIGHTS[p])   (half up)
 *
 * An empty target (no part) gives score null and no parts.
 *
 * KEEP IN STEP WITH THE SQL: search sorts by the same formula computed in SQL, and both are tested against the
 * same fixtures. The formula is therefore deliberately linear and simple — plain sums of shares, one ratio of
 * counts, one 0/1 — with no clamping or non-linear terms. To rule out floating-point ties the total is snapped
 * to 6 decimals before rounding half up; the SQL side should compute in `numeric` and use ROUND(numeric)
 * (half away from zero — the same for these non-negative values), not ROUND(double precision) (half even).
 * Any change here must be made there too.
 */
export function audienceMatch(target: AudienceTarget, audience: AudienceProfile | null, creatorPlatforms: Platform[]): AudienceMatch {
  if (audience !== null) {
    assertShareRecord('audience.ages', audience.ages);
    assertShareRecord('audience.genders', audience.genders);
  }
  const countryShares = audience === null ? new Map<string, number>() : normaliseCountryShares('audience.countries', audience.countries);
  const raw: { key: AudienceMatchKey; value: number; explanation: string }[] = [];
  const unknown = 'the audience profile is unknown';

  if (target.ages && target.ages.length > 0) {
    const buckets = unique(target.ages);
    const value = audience === null ? 0 : buckets.reduce((s, b) => s + (audience.ages[b] ?? 0), 0);
    raw.push({
      key: 'ages',
      value,
      explanation:
        audience === null
          ? `Ages ${list(buckets)}: ${unknown}.`
          : `${formatPercent(value * 100)} of the audience is aged ${list(buckets)}.`,
    });
  }
  if (target.genders && target.genders.length > 0) {
    const genders = unique(target.genders);
    const value = audience === null ? 0 : genders.reduce((s, g) => s + (audience.genders[g] ?? 0), 0);
    raw.push({
      key: 'genders',
      value,
      explanation:
        audience === null ? `Genders ${list(genders)}: ${unknown}.` : `${formatPercent(value * 100)} of the audience is ${list(genders)}.`,
    });
  }
  if (target.countries && target.countries.length > 0) {
    const countries = unique(target.countries.map((c, i) => normaliseCountry(`target.countries[${i}]`, c)));
    const value = countries.reduce((s, c) => s + (countryShares.get(c) ?? 0), 0);
    raw.push({
      key: 'countries',
      value,
      explanation:
        audience === null
          ? `Countries ${list(countries)}: ${unknown}.`
          : `${formatPercent(value * 100)} of the audience is in ${list(countries)}.`,
    });
  }
  if (target.interests && target.interests.length > 0) {
    const wanted = unique(target.interests.map(normaliseInterest));
    const have = new Set((audience?.interests ?? []).map(normaliseInterest));
    const matched = wanted.filter((i) => have.has(i));
    const value = matched.length / wanted.length;
    raw.push({
      key: 'interests',
      value,
      explanation:
        audience === null
          ? `Interests ${list(wanted)}: ${unknown}.`
          : `${matched.length} of ${wanted.length} target interests match${matched.length > 0 ? ` (${list(matched)})` : ''}.`,
    });
  }
  if (target.platforms && target.platforms.length > 0) {
    const wanted = unique(target.platforms);
    const on = wanted.filter((p) => creatorPlatforms.includes(p));
    raw.push({
      key: 'platforms',
      value: on.length > 0 ? 1 : 0,
      explanation: on.length > 0 ? `The creator is on ${list(on)}.` : `The creator is on none of ${list(wanted)}.`,
    });
  }

  if (raw.length === 0) return { score: null, parts: [] };
  const totalWeight = raw.reduce((s, p) => s + AUDIENCE_MATCH_WEIGHTS[p.key], 0);
  const weighted = raw.reduce((s, p) => s + AUDIENCE_MATCH_WEIGHTS[p.key] * p.value, 0);
  const parts = raw.map((p) => ({
    key: p.key,
    weight: AUDIENCE_MATCH_WEIGHTS[p.key] / totalWeight,
    value: p.value,
    explanation: p.explanation,
  }));
  const score = Math.round(Math.round(((100 * weighted) / totalWeight) * 1e6) / 1e6);
  return { score, parts };
}
