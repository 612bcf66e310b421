/**
 * The explainable authenticity report (docs/authenticity.md): a 0–100 score that is never shown bare —
 * every signal comes with what was measured, its norm, its risk, what it did to the score and a sentence
 * explaining it; the report says which signals decided the score and how confident it is. Model
 * `authenticity-v2`; the constants live in authenticity-norms.ts and are documented in docs/authenticity.md.
 *
 * Scoring (one strong sign of fraud dominates; weak signs compound; thin evidence is pulled to neutral):
 *   risk_i     = riskOutsideNorm(measured_i, norm_i)                          (null when not measured)
 *   factor_i   = 1 − strength_i × risk_i                                      (1 when not measured)
 *   evidence   = min(100 × Π factor_i, cap_i of every signal with risk_i ≥ strongRisk)
 *   confidence = trust(provenance) × Σ weight_i × completeness_i over the measured signals     (0..1)
 *   score      = round(neutral + confidence × (evidence − neutral))           (half up; neutral 50)
 */
import { Tier, tierOf } from './tier';
import {
  AUTHENTICITY_EFFECTS,
  AUTHENTICITY_NORMS,
  AUTHENTICITY_PARAMETERS,
  AUTHENTICITY_WEIGHTS,
  NormBand,
  PROVENANCE_TRUST,
  SIGNAL_KEYS,
  SignalKey,
} from './authenticity-norms';
import { engagementRateByFollowers, recentPosts } from './engagement';
import {
  assertDate,
  assertNonNegative,
  assertShare,
  AudienceProfile,
  formatCount,
  formatDecimal,
  formatFactor,
  formatNumber,
  formatPercent,
  formatShare,
  FollowerCount,
  normaliseCountry,
  normaliseCountryShares,
  PostSample,
  Provenance,
  PROVENANCES,
} from './types';

export {
  AUTHENTICITY_EFFECTS,
  AUTHENTICITY_NORMS,
  AUTHENTICITY_PARAMETERS,
  AUTHENTICITY_WEIGHTS,
  PROVENANCE_TRUST,
  SIGNAL_KEYS,
} from './authenticity-norms';
export type { NormBand, SignalKey } from './authenticity-norms';
export {
  GENERIC_COMMENT_PHRASES,
  GENERIC_PRAISE_WORDS,
  isGenericComment,
  normaliseCommentText,
  PROMO_SPAM_FRAGMENTS,
} from './authenticity-comments';
import { isGenericComment } from './authenticity-comments';

export const AUTHENTICITY_MODEL_VERSION = 'authenticity-v2';
/**
 * Every model version in order, oldest first. Stored reports of an earlier version are rescored at start
 * (authenticity/rescore.ts); a version this list does not know is newer than this code and left alone.
 */
export const AUTHENTICITY_MODEL_VERSIONS = ['authenticity-v1', AUTHENTICITY_MODEL_VERSION] as const;

export interface AuthenticityInput {
  followers: number;
  posts: PostSample[];
  audience: AudienceProfile | null;
  followerHistory: FollowerCount[];
  /** ISO countries the creator works in: their own country plus declared markets. */
  creatorMarkets: string[];
  /**
   * Optional: the creator's own handles on the platform. Their replies in their own comment sections are left
   * out of generic_comments and engagement_pods (a creator answering every post is not a pod).
   */
  ownHandles?: string[];
  /** Where the figures come from: self-reported figures lower the confidence, fetched ones raise it. */
  provenance: Provenance;
}

export type SignalUnit = 'percent' | 'ratio' | 'count';

export interface AuthenticitySignal {
  key: SignalKey;
  label: string;
  measured: number | null;
  unit: SignalUnit;
  norm: { min: number | null; max: number | null };
  /** 0..1, the signal's share of the evidence (weights of all signals sum to 1); confidence counts it */
  weight: number;
  /** 0 = looks genuine, 1 = strong sign of fakery, null = not measured */
  risk: number | null;
  /** share of the score the signal removes on its own at risk 1 */
  strength: number;
  /** 1 − strength × risk: what the score is multiplied by (1 when not measured) */
  factor: number;
  /** the highest score while the risk is at least strongRisk */
  cap: number;
  /** whether this signal decided the score (its cap binds, or it lowered the score) */
  decisive: boolean;
  /** authenticity-v1's additive points; 0 in this model (the score is not a sum) */
  contribution: number;
  /** one human sentence with the numbers */
  explanation: string;
}

export type ConfidenceLevel = 'HIGH' | 'MEDIUM' | 'LOW';

export interface AuthenticityConfidence {
  level: ConfidenceLevel;
  /** 0..1 */
  value: number;
  /** what lowered it, in words (or why it is full) */
  reasons: string[];
}

export interface AuthenticityReport {
  /** 0..100 integer */
  score: number;
  modelVersion: string;
  tier: Tier;
  signals: AuthenticitySignal[];
  /** share of the weight that could be measured */
  measuredWeight: number;
  /** the score the signals give before confidence pulls it towards neutral (0..100, not rounded) */
  evidenceScore: number;
  /** keys of the signals that decided the score, most decisive first */
  decidedBy: SignalKey[];
  /** one sentence: what decided the score, and what the confidence did to it */
  verdict: string;
  confidence: AuthenticityConfidence;
}

export const SIGNAL_LABELS: Readonly<Record<SignalKey, string>> = {
  engagement_rate: 'Engagement rate',
  likes_to_comments: 'Likes-to-comments ratio',
  generic_comments: 'Generic comments',
  engagement_pods: 'Engagement pods',
  no_profile_picture: 'Followers without profile picture',
  follower_spikes: 'Follower spikes',
  foreign_audience: 'Audience outside the creator’s markets',
};

export const SIGNAL_UNITS: Readonly<Record<SignalKey, SignalUnit>> = {
  engagement_rate: 'percent',
  likes_to_comments: 'ratio',
  generic_comments: 'percent',
  engagement_pods: 'percent',
  no_profile_picture: 'percent',
  follower_spikes: 'percent',
  foreign_audience: 'percent',
};

// ---------------------------------------------------------------------------------------------------
// Risk
// ---------------------------------------------------------------------------------------------------

/**
 * Risk of a measured value against its norm band (F = riskAboveMaxFactor = 2, f = riskBelowMinFactor = 0.5):
 *
 *   min ≤ m ≤ max   → 0
 *   m > max         → min(1, (m − max) ÷ (max × (F − 1)))     i.e. 0 at max, 1 at 2 × max
 *   m < min         → min(1, (min − m) ÷ (min × (1 − f)))     i.e. 0 at min, 1 at 0.5 × min
 *
 * A null bound is no bound. (A bound of 0 makes any value beyond it risk 1.)
 */
export function riskOutsideNorm(measured: number, norm: NormBand): number {
  if (!Number.isFinite(measured)) throw new RangeError(`measured must be a finite number, got ${measured}`);
  const { riskAboveMaxFactor, riskBelowMinFactor } = AUTHENTICITY_PARAMETERS;
  if (norm.max !== null && measured > norm.max) {
    const span = norm.max * (riskAboveMaxFactor - 1);
    return span > 0 ? Math.min(1, (measured - norm.max) / span) : 1;
  }
  if (norm.min !== null && measured < norm.min) {
    const span = norm.min * (1 - riskBelowMinFactor);
    return span > 0 ? Math.min(1, (norm.min - measured) / span) : 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------------

/** What a signal measured, and the facts behind it (or why it could not be measured). */
interface Measurement {
  measured: number | null;
  /** the start of the explanation sentence (measured), or the reason it was not measured */
  text: string;
  /** 0..1: how full the sample behind the measurement is (1 = a full sample); 0 when not measured */
  completeness: number;
  /** why the sample is not full, in words (a confidence reason), or null */
  gap: string | null;
}

const notMeasured = (reason: string): Measurement => ({ measured: null, text: reason, completeness: 0, gap: reason });

/** A measurement on `n` of a full `full` sample items: its completeness and, short of full, the gap. */
function sample(n: number, full: number, gap: string): Pick<Measurement, 'completeness' | 'gap'> {
  return n >= full ? { completeness: 1, gap: null } : { completeness: n / full, gap };
}

function normaliseHandle(handle: string): string {
  return handle.trim().toLowerCase().replace(/^@+/, '');
}

/** The post-based signals' sample: the last recentPosts posts are a full one. */
function postSample(posts: number): Pick<Measurement, 'completeness' | 'gap'> {
  const full = AUTHENTICITY_PARAMETERS.recentPosts;
  return sample(posts, full, `only ${posts} recent posts (${full} are a full sample)`);
}

function measureEngagementRate(recent: PostSample[], followers: number): Measurement {
  if (recent.length === 0) return notMeasured('no post samples');
  if (followers === 0) return notMeasured('the account has no followers');
  const rate = engagementRateByFollowers(recent, followers, recent.length);
  if (rate === null) return notMeasured('no post samples');
  return {
    measured: rate,
    text: `Engagement rate ${formatPercent(rate)} of ${formatCount(followers)} followers over the last ${recent.length} posts`,
    ...postSample(recent.length),
  };
}

function measureLikesToComments(recent: PostSample[]): Measurement {
  if (recent.length === 0) return notMeasured('no post samples');
  const likes = recent.reduce((s, p) => s + p.likes, 0);
  const comments = recent.reduce((s, p) => s + p.comments, 0);
  if (comments === 0) return notMeasured(`the last ${recent.length} posts have no comments, so the ratio is undefined`);
  const ratio = likes / comments;
  return {
    measured: ratio,
    text: `Likes-to-comments ratio ${formatDecimal(ratio, 1)} (${formatCount(likes)} likes ÷ ${formatCount(comments)} comments over the last ${recent.length} posts)`,
    ...postSample(recent.length),
  };
}

/** The comment samples of each recent post, without the creator's own replies. */
function sampledComments(recent: PostSample[], ownHandles: Set<string>): { author: string; text: string }[][] {
  return recent.map((p) =>
    p.commentSamples.map((c) => ({ author: normaliseHandle(c.author), text: c.text })).filter((c) => !ownHandles.has(c.author)),
  );
}

function measureGenericComments(perPost: { author: string; text: string }[][]): Measurement {
  const all = perPost.flat();
  const { genericMinComments } = AUTHENTICITY_PARAMETERS;
  if (all.length < genericMinComments) {
    return notMeasured(`only ${all.length} sampled comments on the recent posts, at least ${genericMinComments} needed`);
  }
  const generic = all.filter((c) => isGenericComment(c.text)).length;
  const share = (generic / all.length) * 100;
  const { fullComments } = AUTHENTICITY_PARAMETERS;
  return {
    measured: share,
    text: `${generic} of ${all.length} sampled comments (${formatPercent(share)}) are generic`,
    ...sample(all.length, fullComments, `only ${all.length} sampled comments (${fullComments} are a full sample)`),
  };
}

function measureEngagementPods(perPost: { author: string; text: string }[][]): Measurement {
  const posts = perPost.filter((comments) => comments.length > 0);
  const { podMinPostsWithComments, podMinPostShare } = AUTHENTICITY_PARAMETERS;
  if (posts.length < podMinPostsWithComments) {
    return notMeasured(`only ${posts.length} recent posts have comment samples, at least ${podMinPostsWithComments} needed`);
  }
  const postsByAuthor = new Map<string, number>();
  for (const comments of posts) {
    for (const author of new Set(comments.map((c) => c.author))) postsByAuthor.set(author, (postsByAuthor.get(author) ?? 0) + 1);
  }
  const pod = new Set([...postsByAuthor].filter(([, n]) => n / posts.length >= podMinPostShare - 1e-12).map(([author]) => author));
  const all = posts.flat();
  const podComments = all.filter((c) => pod.has(c.author)).length;
  const share = (podComments / all.length) * 100;
  const threshold = formatPercent(podMinPostShare * 100, 0);
  const who = pod.size === 0 ? 'No account' : pod.size === 1 ? '1 account' : `${pod.size} accounts`;
  return {
    measured: share,
    text: `${who} commented on at least ${threshold} of the ${posts.length} posts with comment samples, writing ${podComments} of ${all.length} sampled comments (${formatPercent(share)})`,
    ...sample(posts.length, AUTHENTICITY_PARAMETERS.recentPosts, `only ${posts.length} recent posts have comment samples`),
  };
}

function measureNoProfilePicture(audience: AudienceProfile | null): Measurement {
  if (audience === null) return notMeasured('the audience profile is unknown');
  if (audience.noProfilePictureShare === null) return notMeasured('the share of followers without a profile picture is unknown');
  assertShare('audience.noProfilePictureShare', audience.noProfilePictureShare);
  const share = audience.noProfilePictureShare * 100;
  return { measured: share, text: `${formatPercent(share)} of followers have no profile picture`, completeness: 1, gap: null };
}

const DAY_MS = 86_400_000;
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * For each value, the median of all the OTHER values (at least two values): one sort, then each median is
 * read off the sorted list with that value's rank skipped.
 */
function leaveOneOutMedians(values: number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const rank = new Array<number>(values.length);
  order.forEach((index, r) => (rank[index] = r));
  const others = values.length - 1;
  const mid = others >> 1;
  return values.map((_, i) => {
    const at = (j: number) => values[order[j < rank[i] ? j : j + 1]];
    return others % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  });
}

/**
 * The largest growth beyond the account's own typical growth, whatever the spacing of the history (daily,
 * weekly, monthly, irregular): every interval between consecutive points (earlier count > 0) has a growth
 * rate per day; the typical rate for an interval is the median rate of the OTHER intervals (so a spike does
 * not hide itself), never below 0; the excess is the interval's gain minus the typical rate × its length,
 * in % of the followers at its start. A one-week jump in a weekly history is as visible as a one-day jump in
 * a daily one. Only excesses of at least spikeMinGain followers count.
 */
function measureFollowerSpikes(history: FollowerCount[]): Measurement {
  history.forEach((h, i) => {
    assertDate(`followerHistory[${i}].date`, h.date);
    assertNonNegative(`followerHistory[${i}].followers`, h.followers);
  });
  const sorted = [...history].sort((a, b) => a.date.getTime() - b.date.getTime());
  const intervals: { from: FollowerCount; to: FollowerCount; days: number; ratePerDay: number }[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const from = sorted[i - 1];
    const to = sorted[i];
    if (from.followers === 0) continue;
    const days = Math.max(1, (to.date.getTime() - from.date.getTime()) / DAY_MS);
    intervals.push({ from, to, days, ratePerDay: (to.followers - from.followers) / from.followers / days });
  }
  const { spikeMinIntervals, spikeMinGain, fullHistoryIntervals } = AUTHENTICITY_PARAMETERS;
  if (intervals.length < spikeMinIntervals) {
    return notMeasured(
      `only ${intervals.length} follower-history intervals, at least ${spikeMinIntervals} needed to know the account’s typical growth`,
    );
  }
  let best: { excess: number; typical: number; from: FollowerCount; to: FollowerCount } | null = null;
  const typicalRates = leaveOneOutMedians(intervals.map((o) => o.ratePerDay));
  intervals.forEach((x, i) => {
    const typical = Math.max(0, typicalRates[i]);
    const excessFollowers = x.to.followers - x.from.followers - x.from.followers * typical * x.days;
    if (excessFollowers < spikeMinGain) return;
    const excess = (excessFollowers / x.from.followers) * 100;
    if (best === null || excess > best.excess) best = { excess, typical, from: x.from, to: x.to };
  });
  const completeness = sample(
    intervals.length,
    fullHistoryIntervals,
    `only ${intervals.length} follower-history intervals (${fullHistoryIntervals} are a full sample)`,
  );
  if (best === null) {
    return {
      measured: 0,
      text: `No growth of at least ${formatCount(spikeMinGain)} followers beyond the account’s typical growth across ${sorted.length} follower-history points`,
      ...completeness,
    };
  }
  const { from, to, excess, typical } = best as { excess: number; typical: number; from: FollowerCount; to: FollowerCount };
  return {
    measured: excess,
    text: `Largest growth beyond the typical ${formatShare(typical)}/day was ${formatPercent(excess)} of followers (+${formatCount(to.followers - from.followers)} from ${formatCount(from.followers)} between ${isoDay(from.date)} and ${isoDay(to.date)})`,
    ...completeness,
  };
}

function measureForeignAudience(audience: AudienceProfile | null, creatorMarkets: string[]): Measurement {
  const markets = [...new Set(creatorMarkets.map((c, i) => normaliseCountry(`creatorMarkets[${i}]`, c)))];
  if (markets.length === 0) return notMeasured('the creator’s markets are unknown');
  if (audience === null || audience.countries.length === 0) return notMeasured('the audience’s countries are unknown');
  const shares = normaliseCountryShares('audience.countries', audience.countries);
  let foreign = 0;
  for (const [country, share] of shares) if (!markets.includes(country)) foreign += share;
  const percent = foreign * 100;
  return {
    measured: percent,
    text: `${formatPercent(percent)} of the audience is in countries outside the creator’s markets (${markets.join(', ')})`,
    completeness: 1,
    gap: null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------

function formatValue(key: SignalKey, value: number): string {
  if (SIGNAL_UNITS[key] === 'ratio') return formatNumber(value);
  return formatPercent(value);
}

function formatNorm(key: SignalKey, norm: NormBand): string {
  if (norm.min !== null && norm.max !== null) {
    if (SIGNAL_UNITS[key] === 'ratio') return `${formatNumber(norm.min)}–${formatNumber(norm.max)}`;
    return `${formatDecimal(norm.min)}–${formatValue(key, norm.max)}`;
  }
  if (norm.max !== null) return `at most ${formatValue(key, norm.max)}`;
  if (norm.min !== null) return `at least ${formatValue(key, norm.min)}`;
  return 'unbounded';
}

function explain(key: SignalKey, tier: Tier, m: Measurement, risk: number | null, norm: NormBand): string {
  if (m.measured === null || risk === null) return `${SIGNAL_LABELS[key]} not measured: ${m.text}.`;
  const where = norm.max !== null && m.measured > norm.max ? 'above' : norm.min !== null && m.measured < norm.min ? 'below' : 'within';
  const riskText = where === 'within' ? '' : ` (risk ${formatDecimal(risk)})`;
  return `${m.text} — ${where} the ${tier} norm of ${formatNorm(key, norm)}${riskText}.`;
}

// ---------------------------------------------------------------------------------------------------
// Confidence and combination
// ---------------------------------------------------------------------------------------------------

/** HIGH, MEDIUM or LOW for a confidence value (AUTHENTICITY_PARAMETERS.highConfidence, mediumConfidence). */
export function confidenceLevel(value: number): ConfidenceLevel {
  const { highConfidence, mediumConfidence } = AUTHENTICITY_PARAMETERS;
  return value >= highConfidence - 1e-9 ? 'HIGH' : value >= mediumConfidence - 1e-9 ? 'MEDIUM' : 'LOW';
}

const PROVENANCE_REASONS: Readonly<Record<Provenance, string | null>> = {
  self_reported: 'the figures are self-reported by the creator, not fetched from the platform',
  imported: 'the figures were imported, not fetched from the platform',
  fetched: null,
};

/**
 * confidence = PROVENANCE_TRUST[provenance] × Σ weight × completeness over the measured signals. The reasons
 * are the gaps: signals not measured, samples short of full, figures not fetched.
 */
function confidenceOf(measurements: Record<SignalKey, Measurement>, provenance: Provenance): AuthenticityConfidence {
  const coverage = SIGNAL_KEYS.reduce((sum, key) => sum + AUTHENTICITY_WEIGHTS[key] * measurements[key].completeness, 0);
  const value = Math.round(PROVENANCE_TRUST[provenance] * coverage * 1e9) / 1e9;
  const gaps = new Set<string>();
  for (const key of SIGNAL_KEYS) {
    const m = measurements[key];
    const gap = m.gap === null ? null : m.measured === null ? `${SIGNAL_LABELS[key]} not measured: ${m.gap}` : m.gap;
    if (gap !== null) gaps.add(gap);
  }
  const provenanceReason = PROVENANCE_REASONS[provenance];
  if (provenanceReason !== null) gaps.add(provenanceReason);
  const reasons = gaps.size > 0 ? [...gaps] : ['every signal was measured on a full sample of figures fetched from the platform'];
  return { level: confidenceLevel(value), value, reasons };
}

/**
 * The evidence score and what decided it: the product of the factors, or the lowest cap of the strong signs
 * (risk ≥ strongRisk) when that is lower. A binding cap decides alone (the strong signs, lowest cap first);
 * otherwise every signal that lowered the product decided it, the most lowering first.
 */
function combine(signals: Omit<AuthenticitySignal, 'decisive'>[]): { evidenceScore: number; decidedBy: SignalKey[]; reason: string } {
  const product = 100 * signals.reduce((p, s) => p * s.factor, 1);
  const strong = signals
    .filter((s) => s.risk !== null && s.risk >= AUTHENTICITY_PARAMETERS.strongRisk - 1e-12)
    .sort((a, b) => a.cap - b.cap || (b.risk ?? 0) - (a.risk ?? 0));
  const strongText =
    strong.length === 0
      ? null
      : `${strong.length === 1 ? 'A strong sign of fakery' : 'Strong signs of fakery'}: ${strong.map((s) => `${s.label} (risk ${formatDecimal(s.risk ?? 0)})`).join(', ')}`;
  if (strongText !== null && strong[0].cap <= product) {
    return {
      evidenceScore: strong[0].cap,
      decidedBy: strong.map((s) => s.key),
      reason: `${strongText} ${strong.length === 1 ? 'caps' : 'cap'} the score at ${strong[0].cap}`,
    };
  }
  const lowering = signals.filter((s) => s.factor < 1).sort((a, b) => a.factor - b.factor);
  if (lowering.length === 0) {
    return { evidenceScore: 100, decidedBy: [], reason: 'No measured signal is outside its norm, so nothing lowers the score' };
  }
  const productText = `100 × ${lowering.map((s) => formatDecimal(s.factor)).join(' × ')} = ${formatDecimal(product, 1)}`;
  const parts = lowering.map((s) => `${s.label} ${formatFactor(s.factor)}`).join(', ');
  return {
    evidenceScore: product,
    decidedBy: lowering.map((s) => s.key),
    reason:
      strongText === null
        ? `Lowered by ${parts}: ${productText}`
        : `${strongText}; with every factor (${parts}) the score falls to ${productText}, below the cap of ${strong[0].cap}`,
  };
}

/**
 * The authenticity report of one platform account. Signals (each over the last 12 posts where posts are used):
 *
 *   engagement_rate    = (Σ (likes + comments + shares) ÷ N) ÷ followers × 100            (percent)
 *   likes_to_comments  = Σ likes ÷ Σ comments                                             (ratio; null if Σ comments = 0)
 *   generic_comments   = generic sampled comments ÷ sampled comments × 100 (isGenericComment; ≥ 10 comments)
 *   engagement_pods    = comments by accounts present on ≥ 80 % of the posts with comment samples
 *                        ÷ sampled comments × 100                               (only with ≥ 4 such posts)
 *   no_profile_picture = audience.noProfilePictureShare × 100
 *   follower_spikes    = max over consecutive history intervals (earlier count > 0) of the gain beyond the
 *                        typical growth (median daily rate of the other intervals, ≥ 0, × the interval's days)
 *                        ÷ earlier × 100, counting only excesses ≥ 500 followers; 0 when none (percent)
 *   foreign_audience   = Σ share of the listed audience countries not in creatorMarkets × 100
 *                        (unlisted countries are unknown and not counted)
 *
 * Comments by `ownHandles` are left out of generic_comments and engagement_pods. Each signal's risk is
 * riskOutsideNorm against AUTHENTICITY_NORMS[tierOf(followers)]; factors, caps, confidence and score as in
 * the file comment. Throws a RangeError for invalid input (negative counts, shares outside 0..1, bad country codes).
 */
export function authenticityReport(input: AuthenticityInput): AuthenticityReport {
  const tier = tierOf(input.followers);
  const norms = AUTHENTICITY_NORMS[tier];
  const recent = recentPosts(input.posts, AUTHENTICITY_PARAMETERS.recentPosts);
  const ownHandles = new Set((input.ownHandles ?? []).map(normaliseHandle));
  const comments = sampledComments(recent, ownHandles);

  const measurements: Record<SignalKey, Measurement> = {
    engagement_rate: measureEngagementRate(recent, input.followers),
    likes_to_comments: measureLikesToComments(recent),
    generic_comments: measureGenericComments(comments),
    engagement_pods: measureEngagementPods(comments),
    no_profile_picture: measureNoProfilePicture(input.audience),
    follower_spikes: measureFollowerSpikes(input.followerHistory),
    foreign_audience: measureForeignAudience(input.audience, input.creatorMarkets),
  };

  if (!(PROVENANCES as readonly string[]).includes(input.provenance)) {
    throw new RangeError(`provenance must be one of ${PROVENANCES.join(', ')}, got ${JSON.stringify(input.provenance)}`);
  }

  const measuredWeight =
    Math.round(SIGNAL_KEYS.reduce((sum, key) => (measurements[key].measured === null ? sum : sum + AUTHENTICITY_WEIGHTS[key]), 0) * 1e9) /
    1e9;

  const scored = SIGNAL_KEYS.map((key) => {
    const m = measurements[key];
    const norm = norms[key];
    const risk = m.measured === null ? null : riskOutsideNorm(m.measured, norm);
    const { strength, cap } = AUTHENTICITY_EFFECTS[key];
    return {
      key,
      label: SIGNAL_LABELS[key],
      measured: m.measured,
      unit: SIGNAL_UNITS[key],
      norm: { min: norm.min, max: norm.max },
      weight: AUTHENTICITY_WEIGHTS[key],
      risk,
      strength,
      factor: risk === null ? 1 : 1 - strength * risk,
      cap,
      contribution: 0,
      explanation: explain(key, tier, m, risk, norm),
    };
  });

  const { evidenceScore, decidedBy, reason } = combine(scored);
  const confidence = confidenceOf(measurements, input.provenance);
  const { neutralScore } = AUTHENTICITY_PARAMETERS;
  const pulled = neutralScore + confidence.value * (evidenceScore - neutralScore);
  const score = Math.round(Math.round(pulled * 1e9) / 1e9);
  const signals: AuthenticitySignal[] = scored.map((s) => ({ ...s, decisive: decidedBy.includes(s.key) }));
  const pull =
    confidence.value >= 1
      ? `confidence is full (1.00), so the score is ${score}`
      : `confidence ${confidence.level} (${formatDecimal(confidence.value)}) pulls ${formatDecimal(evidenceScore, 1)} towards the neutral ${neutralScore}: ${score}`;
  const verdict =
    measuredWeight === 0 ? `No signal could be measured, so the score is the neutral ${neutralScore}.` : `${reason}; ${pull}.`;
  return { score, modelVersion: AUTHENTICITY_MODEL_VERSION, tier, signals, measuredWeight, evidenceScore, decidedBy, verdict, confidence };
}
