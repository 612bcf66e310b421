/**
 * The explainable authenticity report (docs/authenticity.md): a 0–100 score that is never shown
 * bare — every signal comes with what was measured, its norm, its weight, its risk, the points it adds and a
 * sentence explaining it. Model `authenticity-v1`; the constants live in authenticity-norms.ts and are
 * documented in docs/authenticity.md.
 *
 * Scoring:
 *   risk_i         = riskOutsideNorm(measured_i, norm_i)                       (null when not measured)
 *   measuredWeight = Σ weight_i over the measured signals
 *   contribution_i = weight_i × (1 − risk_i) × 100 ÷ measuredWeight            (0 when not measured)
 *   score          = round(Σ contribution_i)                                   (half up)
 * With nothing measurable (measuredWeight = 0) the score is AUTHENTICITY_PARAMETERS.unmeasuredScore (50, a
 * neutral placeholder, not a verdict) and every contribution is 0: read measuredWeight as the confidence.
 */
import { Tier, tierOf } from './tier';
import { AUTHENTICITY_NORMS, AUTHENTICITY_PARAMETERS, AUTHENTICITY_WEIGHTS, NormBand, SIGNAL_KEYS, SignalKey } from './authenticity-norms';
import { engagementRateByFollowers, recentPosts } from './engagement';
import {
  assertDate,
  assertNonNegative,
  assertShare,
  AudienceProfile,
  formatCount,
  formatPercent,
  FollowerCount,
  normaliseCountry,
  normaliseCountryShares,
  PostSample,
} from './types';

export { AUTHENTICITY_NORMS, AUTHENTICITY_PARAMETERS, AUTHENTICITY_WEIGHTS, SIGNAL_KEYS } from './authenticity-norms';
export type { NormBand, SignalKey } from './authenticity-norms';

export const AUTHENTICITY_MODEL_VERSION = 'authenticity-v1';

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
}

export type SignalUnit = 'percent' | 'ratio' | 'count';

export interface AuthenticitySignal {
  key: SignalKey;
  label: string;
  measured: number | null;
  unit: SignalUnit;
  norm: { min: number | null; max: number | null };
  /** 0..1, weights of all signals sum to 1 */
  weight: number;
  /** 0 = looks genuine, 1 = strong sign of fakery, null = not measured */
  risk: number | null;
  /** points this signal adds to the score */
  contribution: number;
  /** one human sentence with the numbers */
  explanation: string;
}

export interface AuthenticityReport {
  /** 0..100 integer */
  score: number;
  modelVersion: string;
  tier: Tier;
  signals: AuthenticitySignal[];
  /** share of the weight that could be measured */
  measuredWeight: number;
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
// Generic comments
// ---------------------------------------------------------------------------------------------------

/**
 * Whole comments that are generic (bot-like praise or spam), compared after normaliseCommentText, so case,
 * punctuation, emoji and stretched letters ("Niiice!!! 😍") do not matter.
 */
export const GENERIC_COMMENT_PHRASES: readonly string[] = [
  'nice pic',
  'nice pics',
  'nice photo',
  'nice shot',
  'nice post',
  'nice one',
  'nice work',
  'great post',
  'great pic',
  'great photo',
  'great shot',
  'great content',
  'great work',
  'great job',
  'good job',
  'well done',
  'love this',
  'love it',
  'love your feed',
  'love your content',
  'love your page',
  'awesome',
  'amazing',
  'amazing content',
  'wow',
  'beautiful',
  'cool',
  'so cool',
  'gorgeous',
  'stunning',
  'perfect',
  'lovely',
  'fire',
  'lit',
  'first',
  'looks great',
  'looks good',
  'keep it up',
  'keep going',
  'keep up the good work',
  'keep up the great work',
  'follow me',
  'follow back',
  'follow for follow',
  'check my page',
  'check out my page',
  'check my profile',
  'dm me',
  'dm us',
  'send us a dm',
];

/**
 * Words of "very short praise": a comment of at most AUTHENTICITY_PARAMETERS.shortPraiseMaxWords words, all
 * from this list, that is not a question ("so nice", "love this pic", "wow amazing shot") is generic.
 */
export const GENERIC_PRAISE_WORDS: readonly string[] = [
  'a',
  'amazing',
  'an',
  'awesome',
  'beautiful',
  'best',
  'brilliant',
  'bro',
  'content',
  'cool',
  'cute',
  'dope',
  'epic',
  'excellent',
  'fantastic',
  'feed',
  'fire',
  'gorgeous',
  'great',
  'good',
  'i',
  'incredible',
  'is',
  'it',
  'just',
  'lit',
  'look',
  'looks',
  'love',
  'loved',
  'lovely',
  'much',
  'nice',
  'omg',
  'perfect',
  'photo',
  'pic',
  'pics',
  'picture',
  'post',
  'pretty',
  'really',
  'shot',
  'so',
  'stunning',
  'such',
  'super',
  'that',
  'the',
  'this',
  'too',
  'very',
  'video',
  'wonderful',
  'wow',
  'yay',
  'yes',
  'you',
  'your',
];

/** Emoji code points, skin-tone modifiers, flags, ZWJ, variation selectors and the keycap mark. */
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200D|\uFE0E|\uFE0F|\u20E3/gu;
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]/gu;
const REPEATED_LETTER = /(\p{L})\1+/gu;

/**
 * The words of a comment as the generic-comment rules compare them: NFKC-normalised, lower case, emoji,
 * punctuation and symbols replaced by spaces, split on white space, and every run of a repeated letter
 * squeezed to one ("Niiice!!" → ["nice"], "so coool 🔥" → ["so", "col"]). Phrases and praise words go through
 * the same squeeze, so they still match.
 */
export function normaliseCommentText(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(EMOJI, ' ')
    .replace(PUNCTUATION_OR_SYMBOL, ' ')
    .split(/\s+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.replace(REPEATED_LETTER, '$1'));
}

const GENERIC_PHRASE_SET = new Set(GENERIC_COMMENT_PHRASES.map((p) => normaliseCommentText(p).join(' ')));
const PRAISE_WORD_SET = new Set(GENERIC_PRAISE_WORDS.flatMap((w) => normaliseCommentText(w)));

/**
 * Whether a comment is generic:
 *   1. nothing left after removing emoji, punctuation, symbols and white space (emoji-only, "🔥🔥", "!!!", ""), or
 *   2. its normalised words equal one of GENERIC_COMMENT_PHRASES ("Nice pic!", "LOVE THIS 😍"), or
 *   3. very short praise: not a question (no "?"), at most shortPraiseMaxWords words, every one in
 *      GENERIC_PRAISE_WORDS ("so nice", "wow amazing shot").
 */
export function isGenericComment(text: string): boolean {
  const words = normaliseCommentText(text);
  if (words.length === 0) return true;
  if (GENERIC_PHRASE_SET.has(words.join(' '))) return true;
  return !text.includes('?') && words.length <= AUTHENTICITY_PARAMETERS.shortPraiseMaxWords && words.every((w) => PRAISE_WORD_SET.has(w));
}

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
}

const notMeasured = (reason: string): Measurement => ({ measured: null, text: reason });

function normaliseHandle(handle: string): string {
  return handle.trim().toLowerCase().replace(/^@+/, '');
}

function measureEngagementRate(recent: PostSample[], followers: number): Measurement {
  if (recent.length === 0) return notMeasured('no post samples');
  if (followers === 0) return notMeasured('the account has no followers');
  const rate = engagementRateByFollowers(recent, followers, recent.length);
  if (rate === null) return notMeasured('no post samples');
  return {
    measured: rate,
    text: `Engagement rate ${formatPercent(rate)} of ${formatCount(followers)} followers over the last ${recent.length} posts`,
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
    text: `Likes-to-comments ratio ${ratio.toFixed(1)} (${formatCount(likes)} likes ÷ ${formatCount(comments)} comments over the last ${recent.length} posts)`,
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
  return { measured: share, text: `${generic} of ${all.length} sampled comments (${formatPercent(share)}) are generic` };
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
  };
}

function measureNoProfilePicture(audience: AudienceProfile | null): Measurement {
  if (audience === null) return notMeasured('the audience profile is unknown');
  if (audience.noProfilePictureShare === null) return notMeasured('the share of followers without a profile picture is unknown');
  assertShare('audience.noProfilePictureShare', audience.noProfilePictureShare);
  const share = audience.noProfilePictureShare * 100;
  return { measured: share, text: `${formatPercent(share)} of followers have no profile picture` };
}

const DAY_MS = 86_400_000;
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

function measureFollowerSpikes(history: FollowerCount[]): Measurement {
  history.forEach((h, i) => {
    assertDate(`followerHistory[${i}].date`, h.date);
    assertNonNegative(`followerHistory[${i}].followers`, h.followers);
  });
  if (history.length < 2) return notMeasured(`only ${history.length} follower-history points, at least 2 needed`);
  const sorted = [...history].sort((a, b) => a.date.getTime() - b.date.getTime());
  const { spikeMinDailyGain } = AUTHENTICITY_PARAMETERS;
  let pairs = 0;
  let best: { percentPerDay: number; from: FollowerCount; to: FollowerCount } | null = null;
  for (let i = 1; i < sorted.length; i++) {
    const from = sorted[i - 1];
    const to = sorted[i];
    if (from.followers === 0) continue;
    pairs++;
    const days = Math.max(1, (to.date.getTime() - from.date.getTime()) / DAY_MS);
    const dailyGain = (to.followers - from.followers) / days;
    if (dailyGain < spikeMinDailyGain) continue;
    const percentPerDay = (dailyGain / from.followers) * 100;
    if (best === null || percentPerDay > best.percentPerDay) best = { percentPerDay, from, to };
  }
  if (pairs === 0) return notMeasured('no follower-history point with followers > 0 is followed by another');
  if (best === null) {
    return {
      measured: 0,
      text: `No growth of at least ${formatCount(spikeMinDailyGain)} followers per day across ${sorted.length} follower-history points`,
    };
  }
  const { from, to, percentPerDay } = best;
  return {
    measured: percentPerDay,
    text: `Largest follower growth was ${formatPercent(percentPerDay)}/day (+${formatCount(to.followers - from.followers)} from ${formatCount(from.followers)} between ${isoDay(from.date)} and ${isoDay(to.date)})`,
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
  };
}

// ---------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------

function formatValue(key: SignalKey, value: number): string {
  if (SIGNAL_UNITS[key] === 'ratio') return String(value);
  return formatPercent(value) + (key === 'follower_spikes' ? '/day' : '');
}

function formatNorm(key: SignalKey, norm: NormBand): string {
  if (norm.min !== null && norm.max !== null) {
    if (SIGNAL_UNITS[key] === 'ratio') return `${norm.min}–${norm.max}`;
    return `${norm.min.toFixed(2)}–${formatValue(key, norm.max)}`;
  }
  if (norm.max !== null) return `at most ${formatValue(key, norm.max)}`;
  if (norm.min !== null) return `at least ${formatValue(key, norm.min)}`;
  return 'unbounded';
}

function explain(key: SignalKey, tier: Tier, m: Measurement, risk: number | null, norm: NormBand): string {
  if (m.measured === null || risk === null) return `${SIGNAL_LABELS[key]} not measured: ${m.text}.`;
  const where = norm.max !== null && m.measured > norm.max ? 'above' : norm.min !== null && m.measured < norm.min ? 'below' : 'within';
  const riskText = where === 'within' ? '' : ` (risk ${risk.toFixed(2)})`;
  return `${m.text} — ${where} the ${tier} norm of ${formatNorm(key, norm)}${riskText}.`;
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
 *   follower_spikes    = max over consecutive history points (sorted by date, earlier count > 0) of
 *                        (gain ÷ days) ÷ earlier × 100, days = max(1, Δt in days), counting only pairs whose
 *                        gain ÷ days ≥ 500 followers; 0 when no pair qualifies       (percent per day)
 *   foreign_audience   = Σ share of the listed audience countries not in creatorMarkets × 100
 *                        (unlisted countries are unknown and not counted)
 *
 * Comments by `ownHandles` are left out of generic_comments and engagement_pods. Each signal's risk is
 * riskOutsideNorm against AUTHENTICITY_NORMS[tierOf(followers)]; contributions and score as in the file
 * comment. Throws a RangeError for invalid input (negative counts, shares outside 0..1, bad country codes).
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

  const risks = SIGNAL_KEYS.map((key) => {
    const measured = measurements[key].measured;
    return measured === null ? null : riskOutsideNorm(measured, norms[key]);
  });
  const rawMeasuredWeight = SIGNAL_KEYS.reduce((sum, key, i) => (risks[i] === null ? sum : sum + AUTHENTICITY_WEIGHTS[key]), 0);
  const measuredWeight = Math.round(rawMeasuredWeight * 1e9) / 1e9;

  const signals: AuthenticitySignal[] = SIGNAL_KEYS.map((key, i) => {
    const risk = risks[i];
    const weight = AUTHENTICITY_WEIGHTS[key];
    const norm = norms[key];
    return {
      key,
      label: SIGNAL_LABELS[key],
      measured: measurements[key].measured,
      unit: SIGNAL_UNITS[key],
      norm: { min: norm.min, max: norm.max },
      weight,
      risk,
      contribution: risk === null || measuredWeight === 0 ? 0 : (weight * (1 - risk) * 100) / measuredWeight,
      explanation: explain(key, tier, measurements[key], risk, norm),
    };
  });

  const total = signals.reduce((sum, s) => sum + s.contribution, 0);
  const score = measuredWeight === 0 ? AUTHENTICITY_PARAMETERS.unmeasuredScore : Math.round(Math.round(total * 1e9) / 1e9);
  return { score, modelVersion: AUTHENTICITY_MODEL_VERSION, tier, signals, measuredWeight };
}
