/**
 * Lookalikes (docs/discovery.md, "Lookalikes": creators similar to a given one in niche, audience, engagement and size): a 0–100
 * similarity of two creators with its four parts and short human reasons.
 */
import {
  AgeBucket,
  assertInteger,
  assertNonNegative,
  assertShareRecord,
  CountryShare,
  formatPercent,
  formatShare,
  normaliseCountryShares,
} from './types';

export interface CreatorFeatures {
  id: string;
  niches: string[];
  followers: number;
  /** percent, e.g. 4.1 */
  engagementRate: number | null;
  audienceCountries: CountryShare[];
  ages: Partial<Record<AgeBucket, number>>;
}

export interface SimilarityParts {
  niche: number;
  audience: number;
  engagement: number;
  size: number;
}

export interface Similarity {
  /** 0..100 integer */
  score: number;
  /** each 0..1 */
  parts: SimilarityParts;
  reasons: string[];
}

export interface Lookalike extends Similarity {
  id: string;
}

/** Weights of the parts (sum 1). */
export const SIMILARITY_WEIGHTS: Readonly<SimilarityParts> = { niche: 0.35, audience: 0.3, engagement: 0.15, size: 0.2 };

/** The value a part takes when it cannot be compared (a rate or the audience data is missing): neither alike nor not. */
export const UNKNOWN_PART_VALUE = 0.5;

/** A part gives a reason only when it is at least this alike (and was actually compared). */
export const REASON_MIN_PART = 0.5;

const normaliseNiche = (n: string): string => n.trim().toLowerCase();

/** Niche similarity = Jaccard index |A ∩ B| ÷ |A ∪ B| of the niche sets (trimmed, lower case); 0 when both are empty. */
export function nicheSimilarity(a: readonly string[], b: readonly string[]): number {
  const setA = new Set(a.map(normaliseNiche));
  const setB = new Set(b.map(normaliseNiche));
  const union = new Set([...setA, ...setB]);
  if (union.size === 0) return 0;
  let shared = 0;
  for (const n of setA) if (setB.has(n)) shared++;
  return shared / union.size;
}

/** 1 − ½ Σ_k |p_a(k) − p_b(k)| over the union of keys (a missing key has share 0). */
function distributionSimilarity(a: Map<string, number>, b: Map<string, number>): number {
  let distance = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) distance += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0));
  return Math.max(0, 1 - distance / 2);
}

function ageMap(name: string, ages: Partial<Record<AgeBucket, number>>): Map<string, number> {
  assertShareRecord(name, ages);
  return new Map(Object.entries(ages).filter((e): e is [string, number] => e[1] !== undefined));
}

/**
 * Audience similarity, or null when it cannot be compared:
 *
 *   countries = 1 − ½ Σ |p_a(c) − p_b(c)| over the union of countries   (when both list countries)
 *   ages      = 1 − ½ Σ |p_a(b) − p_b(b)| over the union of age buckets (when both have age shares)
 *   audience  = mean of the available components; null when neither is available
 *
 * (1 − total variation distance: 1 for identical distributions, 0 for disjoint ones.)
 */
export function audienceSimilarity(a: CreatorFeatures, b: CreatorFeatures): number | null {
  const countriesA = normaliseCountryShares(`${a.id}.audienceCountries`, a.audienceCountries);
  const countriesB = normaliseCountryShares(`${b.id}.audienceCountries`, b.audienceCountries);
  const agesA = ageMap(`${a.id}.ages`, a.ages);
  const agesB = ageMap(`${b.id}.ages`, b.ages);
  const components: number[] = [];
  if (countriesA.size > 0 && countriesB.size > 0) components.push(distributionSimilarity(countriesA, countriesB));
  if (agesA.size > 0 && agesB.size > 0) components.push(distributionSimilarity(agesA, agesB));
  if (components.length === 0) return null;
  return components.reduce((s, c) => s + c, 0) / components.length;
}

/**
 * Engagement similarity of two rates (percent) = max(0, 1 − |ln(ra ÷ rb)| ÷ ln 3): 1 when equal, 0 when one is
 * 3× the other or more. null when either rate is unknown; both 0 → 1; one 0 → 0.
 */
export function engagementSimilarity(ra: number | null, rb: number | null): number | null {
  if (ra === null || rb === null) return null;
  assertNonNegative('engagementRate', ra);
  assertNonNegative('engagementRate', rb);
  if (ra === 0 || rb === 0) return ra === rb ? 1 : 0;
  return Math.max(0, 1 - Math.abs(Math.log(ra / rb)) / Math.log(3));
}

/**
 * Size similarity of two follower counts = max(0, 1 − |log10(fa ÷ fb)|): 1 when equal, 0 when one is 10× the
 * other or more. Both 0 → 1; one 0 → 0.
 */
export function sizeSimilarity(fa: number, fb: number): number {
  assertNonNegative('followers', fa);
  assertNonNegative('followers', fb);
  if (fa === 0 || fb === 0) return fa === fb ? 1 : 0;
  return Math.max(0, 1 - Math.abs(Math.log10(fa / fb)));
}

/** Follower counts for reasons: 950 → "950", 9,500 → "9.5k", 24,300 → "24k", 1,250,000 → "1.3M". */
export function formatFollowers(n: number): string {
  const strip = (s: string): string => s.replace(/\.0$/, '');
  if (n < 1_000) return String(Math.round(n));
  if (n < 10_000) return `${strip((n / 1_000).toFixed(1))}k`;
  if (Math.round(n / 1_000) < 1_000) return `${Math.round(n / 1_000)}k`;
  return `${strip((n / 1_000_000).toFixed(1))}M`;
}

/** The countries both audiences share most: top 2 by min(p_a, p_b) > 0, ties by code. */
function sharedTopCountries(a: CreatorFeatures, b: CreatorFeatures): string[] {
  const countriesA = normaliseCountryShares(`${a.id}.audienceCountries`, a.audienceCountries);
  const countriesB = normaliseCountryShares(`${b.id}.audienceCountries`, b.audienceCountries);
  return [...countriesA]
    .map(([c, share]) => [c, Math.min(share, countriesB.get(c) ?? 0)] as const)
    .filter(([, share]) => share > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, 2)
    .map(([c]) => c);
}

/**
 * Similarity of two creators:
 *
 *   niche      = nicheSimilarity(a.niches, b.niches)                        (Jaccard)
 *   audience   = audienceSimilarity(a, b), or 0.5 when unknown             (1 − ½ Σ|pa − pb|, countries and ages averaged)
 *   engagement = engagementSimilarity(a.engagementRate, b.engagementRate), or 0.5 when a rate is null
 *   size       = sizeSimilarity(a.followers, b.followers)                  (max(0, 1 − |log10(fa ÷ fb)|))
 *   score      = round(100 × (0.35 niche + 0.3 audience + 0.15 engagement + 0.2 size))   (half up)
 *
 * reasons: one short string per part that was compared and is ≥ REASON_MIN_PART alike (niche: any shared
 * niche), strongest first (by weight × value): "shares niches fitness, running", "audience 85 % alike (mostly
 * US, CA)", "similar size (24k vs 31k followers)", "similar engagement (4.1 % vs 3.8 %)". Symmetric except
 * for the order of the numbers in the reasons (a's first).
 */
export function similarity(a: CreatorFeatures, b: CreatorFeatures): Similarity {
  const audienceValue = audienceSimilarity(a, b);
  const engagementValue = engagementSimilarity(a.engagementRate, b.engagementRate);
  const parts: SimilarityParts = {
    niche: nicheSimilarity(a.niches, b.niches),
    audience: audienceValue ?? UNKNOWN_PART_VALUE,
    engagement: engagementValue ?? UNKNOWN_PART_VALUE,
    size: sizeSimilarity(a.followers, b.followers),
  };
  const total =
    SIMILARITY_WEIGHTS.niche * parts.niche +
    SIMILARITY_WEIGHTS.audience * parts.audience +
    SIMILARITY_WEIGHTS.engagement * parts.engagement +
    SIMILARITY_WEIGHTS.size * parts.size;
  const score = Math.round(Math.round(total * 100 * 1e6) / 1e6);

  const candidates: { weight: number; text: string }[] = [];
  const setB = new Set(b.niches.map(normaliseNiche));
  const shared = [...new Set(a.niches.map(normaliseNiche))].filter((n) => setB.has(n));
  if (shared.length > 0) {
    candidates.push({
      weight: SIMILARITY_WEIGHTS.niche * parts.niche,
      text: `shares ${shared.length === 1 ? 'niche' : 'niches'} ${shared.join(', ')}`,
    });
  }
  if (audienceValue !== null && audienceValue >= REASON_MIN_PART) {
    const top = sharedTopCountries(a, b);
    candidates.push({
      weight: SIMILARITY_WEIGHTS.audience * audienceValue,
      text: `audience ${formatShare(audienceValue, 0)} alike${top.length > 0 ? ` (mostly ${top.join(', ')})` : ''}`,
    });
  }
  if (parts.size >= REASON_MIN_PART) {
    candidates.push({
      weight: SIMILARITY_WEIGHTS.size * parts.size,
      text: `similar size (${formatFollowers(a.followers)} vs ${formatFollowers(b.followers)} followers)`,
    });
  }
  if (engagementValue !== null && engagementValue >= REASON_MIN_PART && a.engagementRate !== null && b.engagementRate !== null) {
    candidates.push({
      weight: SIMILARITY_WEIGHTS.engagement * engagementValue,
      text: `similar engagement (${formatPercent(a.engagementRate, 1)} vs ${formatPercent(b.engagementRate, 1)})`,
    });
  }
  // Array.prototype.sort is stable: equal weights keep the niche, audience, size, engagement order.
  const reasons = candidates.sort((x, y) => y.weight - x.weight).map((c) => c.text);
  return { score, parts, reasons };
}

/**
 * The creator as compared for a caller who may not see their audience: without it, so the audience part is
 * UNKNOWN_PART_VALUE and gives no reason, and score, order, parts and reasons are the same whatever the
 * audience is. Comparing it instead would leak it: against a candidate whose audience is all in one country
 * (a creator can save such an account), "audience x % alike" is that country's share, and the audience part
 * shows in the score.
 */
export function withoutAudience(features: CreatorFeatures): CreatorFeatures {
  return { ...features, audienceCountries: [], ages: {} };
}

/**
 * The `limit` candidates most similar to `target`: similarity(target, candidate) for every candidate whose id
 * differs from target.id, sorted by score descending, then id ascending (code-unit order), first `limit`
 * taken. `limit` must be an integer ≥ 0.
 */
export function rankLookalikes(target: CreatorFeatures, candidates: readonly CreatorFeatures[], limit: number): Lookalike[] {
  assertInteger('limit', limit, 0);
  return candidates
    .filter((c) => c.id !== target.id)
    .map((c) => ({ id: c.id, ...similarity(target, c) }))
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .slice(0, limit);
}
