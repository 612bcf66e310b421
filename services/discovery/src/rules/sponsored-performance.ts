/**
 * Sponsored versus organic engagement of an account (docs/sponsored.md): do the creator's paid posts
 * perform like their own? Pure; rates are PERCENT numbers, the ratio a plain ratio (1 = as well).
 */
import { detectSponsorship } from '@influenceflow/vocabulary';
import { engagementRateByFollowers, validatePostSample } from './engagement';
import { assertInteger, assertNonNegative, formatDecimal, formatPercent, PostSample } from './types';

/** Each side (sponsored, organic) needs at least this many posts: one post is an anecdote, not a rate. */
export const MIN_POSTS_PER_SIDE = 2;

/** Why there is no ratio. */
export const SPONSORED_RATIO_GAPS = ['too_few_sponsored_posts', 'too_few_organic_posts', 'no_followers', 'no_organic_engagement'] as const;
export type SponsoredRatioGap = (typeof SPONSORED_RATIO_GAPS)[number];

export interface SponsoredPerformance {
  /** Sponsored engagement rate ÷ organic engagement rate; null with `gap` saying why. */
  ratio: number | null;
  sponsoredPosts: number;
  organicPosts: number;
  /** Percent, by followers, over the sponsored posts; null below MIN_POSTS_PER_SIDE of them or without followers. */
  sponsoredEngagementRate: number | null;
  organicEngagementRate: number | null;
  gap: SponsoredRatioGap | null;
  explanation: string;
}

/** Whether a post sample discloses a paid or gifted partnership (the vocabulary's detector). */
export function isSponsoredPost(post: Pick<PostSample, 'caption' | 'hashtags' | 'paidPartnership'>): boolean {
  return detectSponsorship(post).sponsored;
}

const posts = (n: number) => `${n} ${n === 1 ? 'post' : 'posts'}`;

/**
 * Over all the given posts (the account's stored recent posts), split by the disclosure detector:
 *
 *   rate of a side = (Σ engagements of its posts ÷ its post count) ÷ followers × 100   (rules/engagement.ts)
 *   ratio          = sponsored rate ÷ organic rate
 *
 * The ratio is null when a side has fewer than `minPosts` posts, when followers = 0, or when the organic
 * rate is 0 (a division by zero); `gap` names the first of these that holds. A side's rate is null when
 * that side has fewer than `minPosts` posts. Throws a RangeError for invalid posts or followers.
 */
export function sponsoredPerformance(
  samples: readonly PostSample[],
  followers: number,
  minPosts = MIN_POSTS_PER_SIDE,
): SponsoredPerformance {
  assertNonNegative('followers', followers);
  assertInteger('minPosts', minPosts, 1);
  samples.forEach((p, i) => validatePostSample(p, `posts[${i}]`));
  const sponsored: PostSample[] = [];
  const organic: PostSample[] = [];
  for (const p of samples) (isSponsoredPost(p) ? sponsored : organic).push(p);
  const rateOf = (side: PostSample[]) => (side.length >= minPosts ? engagementRateByFollowers(side, followers, side.length) : null);
  const sponsoredEngagementRate = rateOf(sponsored);
  const organicEngagementRate = rateOf(organic);
  const counts = { sponsoredPosts: sponsored.length, organicPosts: organic.length, sponsoredEngagementRate, organicEngagementRate };

  const of = `${sponsored.length} of the ${posts(samples.length)} ${sponsored.length === 1 ? 'is' : 'are'} sponsored`;
  let gap: SponsoredRatioGap | null = null;
  let explanation: string;
  if (sponsored.length < minPosts) {
    gap = 'too_few_sponsored_posts';
    explanation = `Not enough sponsored posts to compare: ${of}; the ratio needs at least ${posts(minPosts)} of each kind.`;
  } else if (organic.length < minPosts) {
    gap = 'too_few_organic_posts';
    explanation = `Not enough organic posts to compare: ${of}; the ratio needs at least ${posts(minPosts)} of each kind.`;
  } else if (followers === 0) {
    gap = 'no_followers';
    explanation = 'No engagement rate without followers.';
  } else if (organicEngagementRate === 0) {
    gap = 'no_organic_engagement';
    explanation = 'The organic posts have no engagement to compare with.';
  }
  if (gap !== null) return { ratio: null, ...counts, gap, explanation: explanation! };

  const ratio = sponsoredEngagementRate! / organicEngagementRate!;
  return {
    ratio,
    ...counts,
    gap: null,
    explanation:
      `Sponsored posts engage ${formatDecimal(ratio)} × as much as organic ones: ` +
      `${formatPercent(sponsoredEngagementRate!)} of followers over ${posts(sponsored.length)} against ${formatPercent(organicEngagementRate!)} ` +
      `over ${posts(organic.length)}.`,
  };
}
