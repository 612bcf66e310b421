/**
 * The constants of the authenticity model `authenticity-v2`: the norm band of every signal per tier, the
 * signal weights (their share of the evidence), strengths and caps (how a risk lowers the score), the trust
 * in each provenance of the figures and the model parameters. docs/authenticity.md reproduces these tables by hand and a unit
 * test (authenticity.test.ts) fails when the two drift apart — change both together, and bump
 * AUTHENTICITY_MODEL_VERSION (authenticity.ts) when a change alters scores.
 */
import { Tier } from './tier';
import type { Provenance } from './types';

/** The signals, in the order a report lists them. */
export const SIGNAL_KEYS = [
  'engagement_rate',
  'likes_to_comments',
  'generic_comments',
  'engagement_pods',
  'no_profile_picture',
  'follower_spikes',
  'foreign_audience',
] as const;
export type SignalKey = (typeof SIGNAL_KEYS)[number];

/** A norm band: inside [min, max] a signal looks genuine; null = unbounded on that side. */
export interface NormBand {
  readonly min: number | null;
  readonly max: number | null;
}

/**
 * THE norms table, per tier and signal, in the unit the signal is measured in:
 *
 * - engagement_rate — % of followers (by followers, over the last 12 posts: docs/discovery.md). Smaller accounts engage more;
 *   micro is the healthy band 3–10 %, nano 4–12 %, macro 1.5–6 %, mega 0.8–4 %.
 * - likes_to_comments — Σ likes ÷ Σ comments over the last 12 posts. Below 10 means unusually many comments
 *   per like (comment bots, pods); above the max means likes without conversation (bought likes). Comment
 *   sections get quieter as accounts grow, so the max rises with the tier: 100, 100, 150, 200.
 * - generic_comments — % of sampled comments that are generic praise or emoji-only: at most 20 %.
 * - engagement_pods — % of sampled comments written by accounts that comment on ≥ 80 % of the posts: ≤ 10 %.
 * - no_profile_picture — % of followers without a profile picture: at most 15 %.
 * - follower_spikes — largest growth between two history points beyond the account's own typical growth over
 *   an interval of that length, in % of the followers at the start of the interval: at most 5 %.
 * - foreign_audience — % of the audience in countries outside the creator's markets: at most 40 %.
 *
 * Only engagement_rate and likes_to_comments vary by tier; the table is per tier so the others can be
 * tuned per tier later without changing its shape.
 */
export const AUTHENTICITY_NORMS: Readonly<Record<Tier, Readonly<Record<SignalKey, NormBand>>>> = {
  [Tier.NANO]: {
    engagement_rate: { min: 4, max: 12 },
    likes_to_comments: { min: 10, max: 100 },
    generic_comments: { min: null, max: 20 },
    engagement_pods: { min: null, max: 10 },
    no_profile_picture: { min: null, max: 15 },
    follower_spikes: { min: null, max: 5 },
    foreign_audience: { min: null, max: 40 },
  },
  [Tier.MICRO]: {
    engagement_rate: { min: 3, max: 10 },
    likes_to_comments: { min: 10, max: 100 },
    generic_comments: { min: null, max: 20 },
    engagement_pods: { min: null, max: 10 },
    no_profile_picture: { min: null, max: 15 },
    follower_spikes: { min: null, max: 5 },
    foreign_audience: { min: null, max: 40 },
  },
  [Tier.MACRO]: {
    engagement_rate: { min: 1.5, max: 6 },
    likes_to_comments: { min: 10, max: 150 },
    generic_comments: { min: null, max: 20 },
    engagement_pods: { min: null, max: 10 },
    no_profile_picture: { min: null, max: 15 },
    follower_spikes: { min: null, max: 5 },
    foreign_audience: { min: null, max: 40 },
  },
  [Tier.MEGA]: {
    engagement_rate: { min: 0.8, max: 4 },
    likes_to_comments: { min: 10, max: 200 },
    generic_comments: { min: null, max: 20 },
    engagement_pods: { min: null, max: 10 },
    no_profile_picture: { min: null, max: 15 },
    follower_spikes: { min: null, max: 5 },
    foreign_audience: { min: null, max: 40 },
  },
};

/**
 * Signal weights (sum 1): each signal's share of the evidence. They no longer add points to the score (v1
 * did); they say how much a signal's measurement counts towards the report's confidence. Engagement rate
 * weighs most (it is what a brand checks first); the likes-to-comments ratio and follower spikes least.
 */
export const AUTHENTICITY_WEIGHTS: Readonly<Record<SignalKey, number>> = {
  engagement_rate: 0.2,
  likes_to_comments: 0.1,
  generic_comments: 0.15,
  engagement_pods: 0.15,
  no_profile_picture: 0.15,
  follower_spikes: 0.1,
  foreign_audience: 0.15,
};

/**
 * How a signal's risk lowers the score. `strength`: the share of the score the signal removes on its own at
 * risk 1 (factor = 1 − strength × risk; the factors multiply, so weak signs compound). `cap`: the highest
 * score a report can have while this signal's risk is at least AUTHENTICITY_PARAMETERS.strongRisk (one strong
 * sign of fraud decides, whatever the other signals say). The noisier signals (likes-to-comments, spikes,
 * foreign audience, each with innocent causes: a quiet comment section, a viral post, undeclared markets)
 * are a little weaker and cap a little higher.
 */
export const AUTHENTICITY_EFFECTS: Readonly<Record<SignalKey, { readonly strength: number; readonly cap: number }>> = {
  engagement_rate: { strength: 0.6, cap: 40 },
  likes_to_comments: { strength: 0.5, cap: 45 },
  generic_comments: { strength: 0.6, cap: 40 },
  engagement_pods: { strength: 0.6, cap: 40 },
  no_profile_picture: { strength: 0.6, cap: 40 },
  follower_spikes: { strength: 0.5, cap: 45 },
  foreign_audience: { strength: 0.5, cap: 45 },
};

/**
 * How much the report trusts figures by where they come from: the confidence is multiplied by this.
 * Figures fetched from the platform's API are trusted fully; imported ones (an agency's export) a little
 * less; figures the creator typed in least.
 */
export const PROVENANCE_TRUST: Readonly<Record<Provenance, number>> = {
  self_reported: 0.85,
  imported: 0.95,
  fetched: 1,
};

/** The other parameters of the model (see docs/authenticity.md for how each is used). */
export const AUTHENTICITY_PARAMETERS = {
  /** Post-based signals use the last N posts (the N of engagement, 12); N posts are a full sample. */
  recentPosts: 12,
  /** Above a norm max, risk rises linearly from 0 at max to 1 at max × this factor. */
  riskAboveMaxFactor: 2,
  /** Below a norm min, risk rises linearly from 0 at min to 1 at min × this factor. */
  riskBelowMinFactor: 0.5,
  /** generic_comments is measured only with at least this many sampled comments. */
  genericMinComments: 10,
  /** This many sampled comments are a full sample for the comment signals' confidence. */
  fullComments: 60,
  /** A comment is "very short praise" with at most this many words, all from GENERIC_PRAISE_WORDS. */
  shortPraiseMaxWords: 4,
  /** An account is in a pod when it commented on at least this share of the posts with comment samples. */
  podMinPostShare: 0.8,
  /** engagement_pods is measured only when at least this many posts have comment samples. */
  podMinPostsWithComments: 4,
  /** follower_spikes needs this many intervals (history points − 1): the others give the typical growth. */
  spikeMinIntervals: 2,
  /** This many follower-history intervals are a full sample for the spike signal's confidence. */
  fullHistoryIntervals: 4,
  /** A growth beyond the typical one counts as a spike only if it adds at least this many followers. */
  spikeMinGain: 500,
  /** A risk at least this high is a strong sign: the signal's cap applies. */
  strongRisk: 0.75,
  /** The neutral score a report is pulled towards as its confidence falls (and the score with no evidence). */
  neutralScore: 50,
  /** Confidence at least this is HIGH. */
  highConfidence: 0.75,
  /** Confidence at least this (and below highConfidence) is MEDIUM; below it, LOW. */
  mediumConfidence: 0.5,
} as const;
