import type { AccountRecord } from '../creators/creator-record';
import type { PlatformAccount, StoredFollowerCount } from './platform-account.entity';

/*
 * An account record (creators/creator-record.ts) and the account as `platform_accounts` stores it: the
 * API and the bulk importer both write and read accounts through these.
 */

/** Follower history as stored (`follower_history`: days as ISO dates). */
export function storedHistory(history: AccountRecord['followerHistory']): StoredFollowerCount[] {
  return history.map((p) => ({ date: p.date.toISOString().slice(0, 10), followers: p.followers }));
}

/** What `recordOf` reads of a stored account. */
export type StoredAccountFields = Pick<
  PlatformAccount,
  | 'platform'
  | 'handle'
  | 'followers'
  | 'following'
  | 'postCount'
  | 'engagementRate'
  | 'postsCounted'
  | 'audience'
  | 'followerHistory'
  | 'recentPosts'
>;

/** A stored account as the record the rules take (the inverse of what a save stores). */
export function recordOf(account: StoredAccountFields): AccountRecord {
  return {
    platform: account.platform,
    handle: account.handle,
    followers: account.followers,
    following: account.following,
    postCount: account.postCount,
    // Stored as the rate itself when there were no posts to compute it from: self-reported.
    engagementRate: account.postsCounted === 0 ? account.engagementRate : null,
    audience: account.audience,
    followerHistory: account.followerHistory.map((p) => ({ date: new Date(p.date), followers: p.followers })),
    posts: account.recentPosts.map((p) => ({ ...p, postedAt: new Date(p.postedAt) })),
  };
}
