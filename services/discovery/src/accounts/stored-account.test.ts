import { accountSchema, parseRecord } from '../creators/creator-record';
import { recordOf, storedHistory } from './stored-account';

describe('stored accounts', () => {
  it('come back as the record they were stored from', () => {
    const parsed = parseRecord(accountSchema, {
      platform: 'instagram',
      handle: 'tess',
      followers: 15_000,
      following: 300,
      postCount: 120,
      audience: { countries: [{ country: 'US', share: 0.6 }], interests: ['hiking'] },
      followerHistory: [{ date: '2025-10-01', followers: 14_200 }],
      posts: [{ postedAt: '2025-11-20T18:00:00.000Z', format: 'reel', likes: 900, comments: 40, hashtags: ['#Hiking'] }],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const record = parsed.value;
    const stored = {
      ...record,
      engagementRate: 6.3,
      postsCounted: 1,
      followerHistory: storedHistory(record.followerHistory),
      recentPosts: JSON.parse(JSON.stringify(record.posts)),
    };
    expect(stored.followerHistory).toEqual([{ date: '2025-10-01', followers: 14_200 }]);
    // A rate measured from posts is measured again: the record has none of its own.
    expect(recordOf(stored)).toEqual({ ...record, engagementRate: null });
    expect(recordOf({ ...stored, postsCounted: 0, recentPosts: [] })).toEqual({ ...record, posts: [], engagementRate: 6.3 });
  });
});
