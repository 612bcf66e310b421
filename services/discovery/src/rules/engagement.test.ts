import {
  engagementBand,
  engagementRateByFollowers,
  engagementRateByReach,
  engagementsOf,
  HEALTHY_ENGAGEMENT_BAND,
  postEngagementRateByFollowers,
  postEngagementRateByReach,
  recentPosts,
} from './engagement';
import { DAY, post, T0 } from '../../test/post-samples';

describe('engagementsOf', () => {
  it('is likes + comments + shares (saves and views do not count)', () => {
    expect(engagementsOf(post(0, { likes: 600, comments: 100, shares: 50, saves: 999, views: 10_000 }))).toBe(750);
  });

  it.each([
    ['likes', { likes: -1 }],
    ['comments', { comments: Number.NaN }],
    ['shares', { shares: Number.POSITIVE_INFINITY }],
  ])('refuses a bad %s count with a RangeError naming it', (field, bad) => {
    expect(() => engagementsOf(post(0, bad))).toThrow(RangeError);
    expect(() => engagementsOf(post(0, bad))).toThrow(field);
  });
});

describe('recentPosts', () => {
  it('returns the n most recent by postedAt, newest first, without mutating the input', () => {
    const posts = [post(3), post(1), post(5), post(2), post(4)];
    const copy = [...posts];
    const recent = recentPosts(posts, 3);
    expect(recent.map((p) => (p.postedAt.getTime() - T0) / DAY)).toEqual([5, 4, 3]);
    expect(posts).toEqual(copy);
  });

  it('defaults to 12 and returns all posts when there are fewer', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => post(i));
    expect(recentPosts(twenty)).toHaveLength(12);
    expect(recentPosts(twenty)[11].postedAt.getTime()).toBe(T0 + 8 * DAY); // days 19..8
    expect(recentPosts([post(1), post(2)])).toHaveLength(2);
    expect(recentPosts([])).toEqual([]);
  });

  it('refuses n < 1, a non-integer n, an invalid date and negative counts', () => {
    expect(() => recentPosts([post(0)], 0)).toThrow(RangeError);
    expect(() => recentPosts([post(0)], 1.5)).toThrow(RangeError);
    expect(() => recentPosts([post(0, { postedAt: new Date('nope') })])).toThrow('posts[0].postedAt');
    expect(() => recentPosts([post(0), post(1, { saves: -3 })])).toThrow('posts[1].saves');
    expect(() => recentPosts([post(0, { reach: -1 })])).toThrow('posts[0].reach');
  });
});

describe('engagementRateByFollowers', () => {
  it('15,000 followers, 12 posts of 750 engagements → (12 × 750 ÷ 12) ÷ 15,000 × 100 = 5.00 %', () => {
    const posts = Array.from({ length: 12 }, (_, i) => post(i, { likes: 600, comments: 100, shares: 50 }));
    expect(engagementRateByFollowers(posts, 15_000)).toBeCloseTo(5, 10);
  });

  it('uses only the last 12 posts: 12 recent posts of 750 and 8 old viral posts of 15,000 still give 5.00 %', () => {
    const old = Array.from({ length: 8 }, (_, i) => post(i, { likes: 15_000 }));
    const recent = Array.from({ length: 12 }, (_, i) => post(100 + i, { likes: 750 }));
    expect(engagementRateByFollowers([...old, ...recent], 15_000)).toBeCloseTo(5, 10);
  });

  it('divides by the number of posts when there are fewer than 12: (300 + 600 + 900) ÷ 3 ÷ 20,000 × 100 = 3.00 %', () => {
    const posts = [post(0, { likes: 300 }), post(1, { likes: 500, comments: 100 }), post(2, { likes: 800, shares: 100 })];
    expect(engagementRateByFollowers(posts, 20_000)).toBeCloseTo(3, 10);
  });

  it('honours a custom N: last 2 of (100, 200, 400) → (200 + 400) ÷ 2 ÷ 1,000 × 100 = 30 %', () => {
    const posts = [post(0, { likes: 100 }), post(1, { likes: 200 }), post(2, { likes: 400 })];
    expect(engagementRateByFollowers(posts, 1_000, 2)).toBeCloseTo(30, 10);
  });

  it('is null with no posts or with 0 followers', () => {
    expect(engagementRateByFollowers([], 15_000)).toBeNull();
    expect(engagementRateByFollowers([post(0, { likes: 10 })], 0)).toBeNull();
  });

  it('refuses negative or non-finite followers', () => {
    expect(() => engagementRateByFollowers([post(0)], -1)).toThrow(RangeError);
    expect(() => engagementRateByFollowers([post(0)], Number.NaN)).toThrow('followers');
  });
});

describe('engagementRateByReach', () => {
  it('Σ engagements ÷ Σ reach × 100, leaving out posts with unknown reach: (750 + 250) ÷ (10,000 + 5,000) × 100 = 6.67 %', () => {
    const posts = [post(0, { likes: 750, reach: 10_000 }), post(1, { likes: 250, reach: 5_000 }), post(2, { likes: 9_999, reach: null })];
    expect(engagementRateByReach(posts)).toBeCloseTo((1_000 / 15_000) * 100, 10);
    expect(engagementRateByReach(posts)).toBeCloseTo(6.6667, 4);
  });

  it('uses the same last N posts: N = 1 → 250 ÷ 5,000 × 100 = 5 %', () => {
    const posts = [post(0, { likes: 750, reach: 10_000 }), post(1, { likes: 250, reach: 5_000 })];
    expect(engagementRateByReach(posts, 1)).toBeCloseTo(5, 10);
  });

  it('is null when Σ reach = 0', () => {
    expect(engagementRateByReach([])).toBeNull();
    expect(engagementRateByReach([post(0, { likes: 5, reach: null })])).toBeNull();
    expect(engagementRateByReach([post(0, { likes: 5, reach: 0 })])).toBeNull();
  });
});

describe('per-post rates', () => {
  it('by followers: 750 ÷ 15,000 × 100 = 5 %; null at 0 followers', () => {
    expect(postEngagementRateByFollowers(post(0, { likes: 750 }), 15_000)).toBeCloseTo(5, 10);
    expect(postEngagementRateByFollowers(post(0, { likes: 750 }), 0)).toBeNull();
  });

  it('by reach: (400 + 50 + 50) ÷ 4,000 × 100 = 12.5 %; null when reach is null or 0', () => {
    expect(postEngagementRateByReach(post(0, { likes: 400, comments: 50, shares: 50, reach: 4_000 }))).toBeCloseTo(12.5, 10);
    expect(postEngagementRateByReach(post(0, { likes: 400 }))).toBeNull();
    expect(postEngagementRateByReach(post(0, { likes: 400, reach: 0 }))).toBeNull();
  });

  it('refuses bad counts', () => {
    expect(() => postEngagementRateByReach(post(0, { likes: -5, reach: 10 }))).toThrow(RangeError);
    expect(() => postEngagementRateByFollowers(post(0), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('engagementBand', () => {
  it('is the healthy band 3–10 % (docs/discovery.md, "Definitions")', () => {
    expect(HEALTHY_ENGAGEMENT_BAND).toEqual({ min: 3, max: 10 });
  });

  it.each([
    [0, 'below'],
    [2.99, 'below'],
    [3, 'healthy'],
    [5, 'healthy'],
    [10, 'healthy'],
    [10.01, 'above'],
    [25, 'above'],
  ])('%d %% → %s', (rate, band) => {
    expect(engagementBand(rate)).toBe(band);
  });

  it('is null for an unknown rate and refuses a negative one', () => {
    expect(engagementBand(null)).toBeNull();
    expect(() => engagementBand(-1)).toThrow(RangeError);
  });
});
