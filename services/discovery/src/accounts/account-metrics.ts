import type { AccountRecord } from '../creators/creator-record';
import { authenticityReport, AuthenticityReport } from '../rules/authenticity';
import { DEFAULT_RECENT_POSTS, engagementRateByFollowers, engagementRateByReach, recentPosts } from '../rules/engagement';
import { sponsoredPerformance, SponsoredPerformance } from '../rules/sponsored-performance';
import type { PostSample, Provenance } from '../rules/types';

/** What discovery computes from one account's raw stats; stored beside them and used by search. */
export interface AccountMetrics {
  /** Percent, by followers, over the last 12 posts; the self-reported rate when there are no posts. */
  engagementRate: number | null;
  /** Percent, by reach, over the same posts; null without reach figures. */
  reachRate: number | null;
  postsCounted: number;
  authenticity: AuthenticityReport;
  /** The report's score, or null when it could measure nothing (a 50 from no data is not a finding). */
  authenticityScore: number | null;
  /** Sponsored versus organic engagement over all the stored posts (rules/sponsored-performance.ts). */
  sponsoredPerformance: SponsoredPerformance;
}

/**
 * Engagement rates and the authenticity report of an account. `markets` are the countries the creator
 * works in (their own country and declared markets), against which the audience's countries are judged.
 * `provenance` is where the figures come from (it sets the report's confidence): saves are self-reported,
 * the bulk importer's are imported, a connected account's are fetched; a stored account is scored again
 * with the provenance it was stored with.
 */
export function accountMetrics(account: AccountRecord, markets: string[], provenance: Provenance): AccountMetrics {
  const posts: PostSample[] = account.posts; // a post record is a post sample (same fields)
  const counted = recentPosts(posts, DEFAULT_RECENT_POSTS).length;
  const engagementRate = counted > 0 ? engagementRateByFollowers(posts, account.followers) : account.engagementRate;
  const authenticity = authenticityReport({
    followers: account.followers,
    posts,
    audience: account.audience,
    followerHistory: account.followerHistory,
    creatorMarkets: markets,
    ownHandles: [account.handle],
    provenance,
  });
  return {
    engagementRate,
    reachRate: counted > 0 ? engagementRateByReach(posts) : null,
    postsCounted: counted,
    authenticity,
    authenticityScore: authenticity.measuredWeight > 0 ? authenticity.score : null,
    sponsoredPerformance: sponsoredPerformance(posts, account.followers),
  };
}
