/**
 * Engagement metrics (docs/discovery.md, "Definitions"; docs/metrics.md). Pure functions; rates are PERCENT numbers.
 * A division by zero gives null, never 0 or infinity.
 */
import { assertDate, assertInteger, assertNonNegative, PostSample } from './types';

/** Engagement is measured over the last N = 12 posts (fewer if there are fewer). */
export const DEFAULT_RECENT_POSTS = 12;

/** The healthy engagement-rate band by followers, 3–10 % (bounds inclusive). */
export const HEALTHY_ENGAGEMENT_BAND = { min: 3, max: 10 } as const;

export type EngagementBand = 'below' | 'healthy' | 'above';

/**
 * Checks every number of a post sample: likes, comments, shares, saves finite and ≥ 0; views and reach null
 * or finite and ≥ 0; postedAt a valid Date. Throws a RangeError naming the field otherwise.
 */
export function validatePostSample(post: PostSample, name = 'post'): void {
  assertDate(`${name}.postedAt`, post.postedAt);
  assertNonNegative(`${name}.likes`, post.likes);
  assertNonNegative(`${name}.comments`, post.comments);
  assertNonNegative(`${name}.shares`, post.shares);
  assertNonNegative(`${name}.saves`, post.saves);
  if (post.views !== null) assertNonNegative(`${name}.views`, post.views);
  if (post.reach !== null) assertNonNegative(`${name}.reach`, post.reach);
}

/**
 * Engagements of a post = likes + comments + shares (saves and views are not engagements).
 * Throws a RangeError if any of the three is negative or not finite.
 */
export function engagementsOf(post: Pick<PostSample, 'likes' | 'comments' | 'shares'>): number {
  assertNonNegative('post.likes', post.likes);
  assertNonNegative('post.comments', post.comments);
  assertNonNegative('post.shares', post.shares);
  return post.likes + post.comments + post.shares;
}

/**
 * The `n` most recent posts: sorted by postedAt descending (ties keep their input order), first
 * min(n, posts.length) taken. Does not mutate `posts`. Every post is validated (validatePostSample);
 * `n` must be an integer ≥ 1.
 */
export function recentPosts(posts: readonly PostSample[], n = DEFAULT_RECENT_POSTS): PostSample[] {
  assertInteger('n', n, 1);
  posts.forEach((p, i) => validatePostSample(p, `posts[${i}]`));
  return [...posts].sort((a, b) => b.postedAt.getTime() - a.postedAt.getTime()).slice(0, n);
}

/**
 * Engagement rate by followers (percent) over the last N posts (N = `n`, fewer if fewer posts):
 *
 *   ER = (Σ engagements ÷ N) ÷ followers × 100
 *
 * null when there are no posts or followers = 0. Throws a RangeError for negative/non-finite inputs.
 */
export function engagementRateByFollowers(posts: readonly PostSample[], followers: number, n = DEFAULT_RECENT_POSTS): number | null {
  assertNonNegative('followers', followers);
  const recent = recentPosts(posts, n);
  if (recent.length === 0 || followers === 0) return null;
  const total = recent.reduce((sum, p) => sum + engagementsOf(p), 0);
  return (total / recent.length / followers) * 100;
}

/**
 * Engagement rate by reach (percent) over the same last N posts, leaving out posts whose reach is null
 * (from both sums):
 *
 *   ER_reach = Σ engagements ÷ Σ reach × 100
 *
 * null when Σ reach = 0 (no posts, no post with a known reach, or all reach 0).
 */
export function engagementRateByReach(posts: readonly PostSample[], n = DEFAULT_RECENT_POSTS): number | null {
  const withReach = recentPosts(posts, n).filter((p) => p.reach !== null);
  const reach = withReach.reduce((sum, p) => sum + (p.reach ?? 0), 0);
  if (reach === 0) return null;
  const total = withReach.reduce((sum, p) => sum + engagementsOf(p), 0);
  return (total / reach) * 100;
}

/** Engagement rate of one post by followers (percent) = engagements ÷ followers × 100; null when followers = 0. */
export function postEngagementRateByFollowers(post: PostSample, followers: number): number | null {
  validatePostSample(post);
  assertNonNegative('followers', followers);
  if (followers === 0) return null;
  return (engagementsOf(post) / followers) * 100;
}

/** Engagement rate of one post by reach (percent) = engagements ÷ reach × 100; null when reach is null or 0. */
export function postEngagementRateByReach(post: PostSample): number | null {
  validatePostSample(post);
  if (post.reach === null || post.reach === 0) return null;
  return (engagementsOf(post) / post.reach) * 100;
}

/**
 * Where a rate (percent) sits against HEALTHY_ENGAGEMENT_BAND (3–10 %, bounds inclusive):
 * rate < 3 → 'below', 3 ≤ rate ≤ 10 → 'healthy', rate > 10 → 'above'; null rate → null.
 */
export function engagementBand(rate: number | null): EngagementBand | null {
  if (rate === null) return null;
  assertNonNegative('rate', rate);
  if (rate < HEALTHY_ENGAGEMENT_BAND.min) return 'below';
  if (rate > HEALTHY_ENGAGEMENT_BAND.max) return 'above';
  return 'healthy';
}
