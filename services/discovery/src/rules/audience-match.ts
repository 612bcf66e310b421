/**
 * Audience match: how well a creator's audience fits a brand's target audience, as a 0–100 score with its
 * parts (docs/discovery.md, "Rules" and "Audience match").
 *
 * This file is the one definition. Search computes the same score two more ways, both built from
 * `prepareAudienceTarget` (the parts a target specifies, in order, with their terms and weights): in SQL
 * over the stored audience columns (search/audience-match.sql.ts) and in memory over the audience index
 * (search/audience-index.score.ts). Each evaluates every part with a `switch` over AudienceMatchKey, so a
 * part added here does not compile until all three compute it; tests compare the three on the same
 * creators.
 */
import {
  AgeBucket,
  assertShareRecord,
  AudienceProfile,
  formatShare,
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

/** The parts, in the order they are computed and listed. */
export const AUDIENCE_MATCH_KEYS: readonly AudienceMatchKey[] = ['ages', 'genders', 'countries', 'interests', 'platforms'];

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
/** Interests are compared trimmed and lower case, in the target and in the audience. */
export const normaliseInterest = (s: string): string => s.trim().toLowerCase();
const list = (xs: readonly string[]): string => xs.join(', ');

/** One part a target specifies, with its terms normalised as every implementation compares them. */
export type PreparedPart =
  /** Σ of the audience's shares in these age buckets. */
  | { key: 'ages'; weight: number; buckets: AgeBucket[] }
  /** Σ of the audience's shares of these genders. */
  | { key: 'genders'; weight: number; genders: Gender[] }
  /** Σ of the audience's shares in these countries (upper-case ISO 3166-1 alpha-2). */
  | { key: 'countries'; weight: number; countries: string[] }
  /** How many of these interests (trimmed, lower case) the audience has, ÷ how many there are. */
  | { key: 'interests'; weight: number; interests: string[] }
  /** 1 if the creator is on any of these platforms, else 0. */
  | { key: 'platforms'; weight: number; platforms: Platform[] };

/** A target as it is scored: its parts in AUDIENCE_MATCH_KEYS order, and the sum of their base weights. */
export interface PreparedTarget {
  parts: PreparedPart[];
  /** Σ AUDIENCE_MATCH_WEIGHTS of the parts present; the score is 100 × Σ weight × value ÷ this. */
  totalWeight: number;
}

/**
 * The parts a target specifies (a target field that is given and non-empty; duplicates ignored), each with
 * its base weight, in AUDIENCE_MATCH_KEYS order; null for an empty target. Throws a RangeError for a
 * target country that is not a country code.
 */
export function prepareAudienceTarget(target: AudienceTarget): PreparedTarget | null {
  const parts: PreparedPart[] = [];
  const w = AUDIENCE_MATCH_WEIGHTS;
  for (const key of AUDIENCE_MATCH_KEYS) {
    switch (key) {
      case 'ages':
        if (target.ages?.length) parts.push({ key, weight: w.ages, buckets: unique(target.ages) });
        break;
      case 'genders':
        if (target.genders?.length) parts.push({ key, weight: w.genders, genders: unique(target.genders) });
        break;
      case 'countries':
        if (target.countries?.length) {
          const countries = unique(target.countries.map((c, i) => normaliseCountry(`target.countries[${i}]`, c)));
          parts.push({ key, weight: w.countries, countries });
        }
        break;
      case 'interests':
        if (target.interests?.length) parts.push({ key, weight: w.interests, interests: unique(target.interests.map(normaliseInterest)) });
        break;
      case 'platforms':
        if (target.platforms?.length) parts.push({ key, weight: w.platforms, platforms: unique(target.platforms) });
        break;
      default:
        return unreachable(key);
    }
  }
  if (parts.length === 0) return null;
  return { parts, totalWeight: parts.reduce((s, p) => s + p.weight, 0) };
}

/** For the `default` of a switch over AudienceMatchKey: a key left out does not compile. */
export function unreachable(key: never): never {
  throw new Error(`unknown audience-match part ${String(key)}`);
}

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
 * The formula is deliberately linear and simple (plain sums of shares, one ratio of counts, one 0/1, no
 * clamping), so SQL and the audience index compute it exactly enough to order by it: both order by the
 * unrounded 100 × Σ weight × value ÷ Σ weight. To rule out floating-point ties the total is snapped to 6
 * decimals before rounding half up here.
 */
export function audienceMatch(target: AudienceTarget, audience: AudienceProfile | null, creatorPlatforms: Platform[]): AudienceMatch {
  if (audience !== null) {
    assertShareRecord('audience.ages', audience.ages);
    assertShareRecord('audience.genders', audience.genders);
  }
  const countryShares = audience === null ? new Map<string, number>() : normaliseCountryShares('audience.countries', audience.countries);
  const prepared = prepareAudienceTarget(target);
  if (!prepared) return { score: null, parts: [] };
  const unknown = 'the audience profile is unknown';
  const evaluated = prepared.parts.map((part): { part: PreparedPart; value: number; explanation: string } => {
    switch (part.key) {
      case 'ages': {
        const value = audience === null ? 0 : part.buckets.reduce((s, b) => s + (audience.ages[b] ?? 0), 0);
        const explanation =
          audience === null
            ? `Ages ${list(part.buckets)}: ${unknown}.`
            : `${formatShare(value)} of the audience is aged ${list(part.buckets)}.`;
        return { part, value, explanation };
      }
      case 'genders': {
        const value = audience === null ? 0 : part.genders.reduce((s, g) => s + (audience.genders[g] ?? 0), 0);
        const explanation =
          audience === null
            ? `Genders ${list(part.genders)}: ${unknown}.`
            : `${formatShare(value)} of the audience is ${list(part.genders)}.`;
        return { part, value, explanation };
      }
      case 'countries': {
        const value = part.countries.reduce((s, c) => s + (countryShares.get(c) ?? 0), 0);
        const explanation =
          audience === null
            ? `Countries ${list(part.countries)}: ${unknown}.`
            : `${formatShare(value)} of the audience is in ${list(part.countries)}.`;
        return { part, value, explanation };
      }
      case 'interests': {
        const have = new Set((audience?.interests ?? []).map(normaliseInterest));
        const matched = part.interests.filter((i) => have.has(i));
        const explanation =
          audience === null
            ? `Interests ${list(part.interests)}: ${unknown}.`
            : `${matched.length} of ${part.interests.length} target interests match${matched.length > 0 ? ` (${list(matched)})` : ''}.`;
        return { part, value: matched.length / part.interests.length, explanation };
      }
      case 'platforms': {
        const on = part.platforms.filter((p) => creatorPlatforms.includes(p));
        const explanation = on.length > 0 ? `The creator is on ${list(on)}.` : `The creator is on none of ${list(part.platforms)}.`;
        return { part, value: on.length > 0 ? 1 : 0, explanation };
      }
      default:
        return unreachable(part);
    }
  });
  const weighted = evaluated.reduce((s, e) => s + e.part.weight * e.value, 0);
  const parts = evaluated.map((e) => ({
    key: e.part.key,
    weight: e.part.weight / prepared.totalWeight,
    value: e.value,
    explanation: e.explanation,
  }));
  const score = Math.round(Math.round(((100 * weighted) / prepared.totalWeight) * 1e6) / 1e6);
  return { score, parts };
}
