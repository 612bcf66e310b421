import { engagementRateByFollowers } from './engagement';
import { isSponsoredPost, MIN_POSTS_PER_SIDE, sponsoredPerformance } from './sponsored-performance';
import { post } from '../../test/post-samples';

const ad = (day: number, likes: number) => post(day, { likes, caption: 'New serum #ad' });
const own = (day: number, likes: number) => post(day, { likes, caption: 'Sunday walk' });

describe('isSponsoredPost', () => {
  it('reads the caption, the hashtags and the platform label', () => {
    expect(isSponsoredPost(post(0, { caption: 'so good #ad' }))).toBe(true);
    expect(isSponsoredPost(post(0, { hashtags: ['werbung'] }))).toBe(true);
    expect(isSponsoredPost(post(0, { paidPartnership: true }))).toBe(true);
    expect(isSponsoredPost(post(0, { caption: 'new #adidas', hashtags: ['adventure'], paidPartnership: false }))).toBe(false);
  });
});

describe('sponsoredPerformance', () => {
  it('divides the sponsored rate by the organic rate, each the engagement rule over its own posts', () => {
    const samples = [ad(1, 300), ad(2, 500), own(3, 1_000), own(4, 800), own(5, 1_200)];
    const result = sponsoredPerformance(samples, 10_000);
    // Sponsored: (800 ÷ 2) ÷ 10,000 × 100 = 4 %; organic: (3,000 ÷ 3) ÷ 10,000 × 100 = 10 %.
    expect(result.sponsoredEngagementRate).toBeCloseTo(4, 10);
    expect(result.organicEngagementRate).toBeCloseTo(10, 10);
    expect(result.sponsoredEngagementRate).toBe(engagementRateByFollowers(samples.slice(0, 2), 10_000, 2));
    expect(result).toMatchObject({ sponsoredPosts: 2, organicPosts: 3, gap: null });
    expect(result.ratio).toBeCloseTo(0.4, 10);
    expect(result.explanation).toBe(
      'Sponsored posts engage 0.40 × as much as organic ones: 4.00 % of followers over 2 posts against 10.00 % over 3 posts.',
    );
  });

  it('uses every post given, not only the last 12 the engagement rate counts', () => {
    const samples = [...Array.from({ length: 12 }, (_, i) => own(100 + i, 100)), ad(1, 400), ad(2, 400)];
    const result = sponsoredPerformance(samples, 1_000);
    expect(result.sponsoredPosts).toBe(2);
    expect(result.ratio).toBeCloseTo(4, 10);
  });

  it('counts a post the platform labels as paid as sponsored, whatever its caption', () => {
    const samples = [
      post(1, { likes: 50, paidPartnership: true }),
      post(2, { likes: 150, paidPartnership: true }),
      own(3, 100),
      own(4, 100),
    ];
    expect(sponsoredPerformance(samples, 1_000).ratio).toBeCloseTo(1, 10);
  });

  it('is above 1 when sponsored posts do better', () => {
    expect(sponsoredPerformance([ad(1, 300), ad(2, 300), own(3, 100), own(4, 100)], 1_000).ratio).toBeCloseTo(3, 10);
  });

  it(`needs at least ${MIN_POSTS_PER_SIDE} posts of each kind, and says which is missing`, () => {
    const fewAds = sponsoredPerformance([ad(1, 100), own(2, 100), own(3, 100)], 1_000);
    expect(fewAds).toMatchObject({
      ratio: null,
      gap: 'too_few_sponsored_posts',
      sponsoredPosts: 1,
      organicPosts: 2,
      sponsoredEngagementRate: null,
    });
    expect(fewAds.organicEngagementRate).toBeCloseTo(10, 10);
    expect(fewAds.explanation).toBe(
      'Not enough sponsored posts to compare: 1 of the 3 posts is sponsored; the ratio needs at least 2 posts of each kind.',
    );
    const fewOwn = sponsoredPerformance([ad(1, 100), ad(2, 100), own(3, 100)], 1_000);
    expect(fewOwn).toMatchObject({ ratio: null, gap: 'too_few_organic_posts', organicEngagementRate: null });
    expect(sponsoredPerformance([], 1_000)).toMatchObject({
      ratio: null,
      gap: 'too_few_sponsored_posts',
      sponsoredPosts: 0,
      organicPosts: 0,
    });
  });

  it('takes another minimum', () => {
    expect(sponsoredPerformance([ad(1, 100), own(2, 100)], 1_000, 1).ratio).toBeCloseTo(1, 10);
    expect(sponsoredPerformance([ad(1, 100), ad(2, 100), own(3, 100), own(4, 100)], 1_000, 3).gap).toBe('too_few_sponsored_posts');
  });

  it('has no ratio without followers or without organic engagement (no division by zero)', () => {
    expect(sponsoredPerformance([ad(1, 0), ad(2, 0), own(3, 0), own(4, 0)], 0)).toMatchObject({ ratio: null, gap: 'no_followers' });
    const silent = sponsoredPerformance([ad(1, 10), ad(2, 10), own(3, 0), own(4, 0)], 1_000);
    expect(silent).toMatchObject({ ratio: null, gap: 'no_organic_engagement', organicEngagementRate: 0 });
    expect(sponsoredPerformance([ad(1, 0), ad(2, 0), own(3, 10), own(4, 10)], 1_000).ratio).toBe(0);
  });

  it('refuses invalid posts and followers with a RangeError naming them', () => {
    expect(() => sponsoredPerformance([ad(1, -1)], 1_000)).toThrow('posts[0].likes');
    expect(() => sponsoredPerformance([own(1, 1), post(2, { comments: Number.NaN })], 1_000)).toThrow('posts[1].comments');
    expect(() => sponsoredPerformance([], Number.POSITIVE_INFINITY)).toThrow('followers');
    expect(() => sponsoredPerformance([], 10, 0)).toThrow('minPosts');
  });
});
