import { audienceMatch } from './audience-match';
import { authenticityReport } from './authenticity';
import { LABELLED_ACCOUNTS } from './authenticity.fixtures';
import { authenticityDiscount, priceGuidance } from './price-guidance';
import { CreatorFeatures, rankLookalikes, similarity } from './similarity';
import { sponsoredPerformance } from './sponsored-performance';
import { AudienceProfile, formatDecimal, formatNumber, formatPercent, formatShare, PostSample, shareToPercent } from './types';

/** Every string anywhere in a value (explanations, reasons, texts, gaps). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object' && !(value instanceof Date)) return Object.values(value).flatMap(stringsIn);
  return [];
}

/** A number with more than two decimals, the sign of a raw float in a sentence (0.25000000000000006). */
const RAW_FLOAT = /\d\.\d{3,}/;

// Shares chosen to make floating-point noise: 0.1 + 0.2, 0.29 × 100, thirds.
const noisyAudience: AudienceProfile = {
  ages: { '18-24': 0.1, '25-34': 0.2, '35-44': 0.29 },
  genders: { female: 0.458, male: 0.542 },
  countries: [
    { country: 'US', share: 0.1 + 0.2 },
    { country: 'GB', share: 1 / 3 },
    { country: 'DE', share: 0.07 },
  ],
  interests: ['fitness', 'running', 'cooking'],
  noProfilePictureShare: 0.07,
};

const features = (id: string, followers: number, engagementRate: number, share: number): CreatorFeatures => ({
  id,
  niches: ['fitness', 'running'],
  followers,
  engagementRate,
  audienceCountries: [
    { country: 'US', share },
    { country: 'CA', share: 1 / 3 },
  ],
  ages: { '18-24': 0.1 + 0.2, '25-34': 1 / 3 },
});

function post(i: number, sponsored: boolean): PostSample {
  return {
    postedAt: new Date(Date.UTC(2026, 0, 1 + i)),
    format: 'reel',
    likes: 1_003 + i * 7,
    comments: 31 + i,
    shares: 3,
    saves: 0,
    views: null,
    reach: null,
    caption: sponsored ? 'Thanks to our partner #ad' : 'A morning run',
    hashtags: sponsored ? ['ad'] : [],
    paidPartnership: sponsored,
    commentSamples: [],
  };
}

describe('explanations are rounded for people', () => {
  const explanations = [
    ...LABELLED_ACCOUNTS.flatMap((a) => stringsIn(authenticityReport(a.input))),
    ...stringsIn(
      audienceMatch(
        {
          ages: ['18-24', '25-34', '35-44'],
          genders: ['female'],
          countries: ['US', 'GB'],
          interests: ['fitness', 'yoga', 'chess'],
          platforms: ['instagram'],
        },
        noisyAudience,
        ['instagram', 'tiktok'],
      ),
    ),
    ...stringsIn(similarity(features('a', 24_300, 4.1 + 0.2, 0.1 + 0.2), features('b', 31_700, 3.8 / 3, 0.29))),
    ...stringsIn(
      rankLookalikes(
        features('t', 12_345, 45.800000000000004, 0.3),
        [features('c1', 9_999, 4.33333, 0.2), features('c2', 13_000, 5.1, 0.31)],
        5,
      ),
    ),
    ...stringsIn(
      sponsoredPerformance(
        [0, 1, 2, 3, 4, 5, 6].map((i) => post(i, i % 3 === 0)),
        23_456,
      ),
    ),
    ...stringsIn(priceGuidance(23_456, 4.1 + 0.2, 57)),
    ...[0, 23, 57, 79, 80, 100, null].flatMap((score) => stringsIn(authenticityDiscount(score))),
  ];

  it('scans a full set of explanations', () => {
    // The set is big enough to mean something: every labelled account's report and every other rule.
    expect(explanations.length).toBeGreaterThan(100);
    expect(explanations.some((e) => /\d/.test(e))).toBe(true);
  });

  it('has no number with more than two decimals in any of them', () => {
    expect(explanations.filter((e) => RAW_FLOAT.test(e))).toEqual([]);
  });
});

describe('the formatters', () => {
  it('round a noisy float to what people read', () => {
    expect(formatNumber(0.25000000000000006)).toBe('0.25');
    expect(formatNumber(45.800000000000004)).toBe('45.8');
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(-0.001)).toBe('0');
    expect(formatDecimal(1.5)).toBe('1.50');
    expect(formatDecimal(-0.001)).toBe('0.00');
    expect(formatPercent(45.800000000000004)).toBe('45.80 %');
    expect(formatShare(0.1 + 0.2)).toBe('30.00 %');
    expect(formatShare(1 / 3, 0)).toBe('33 %');
  });

  it('turn a share into a percent without float noise', () => {
    expect(shareToPercent(0.29)).toBe(29);
    expect(shareToPercent(0.1 + 0.2)).toBe(30);
    expect(shareToPercent(1 / 3)).toBe(33.3333);
    expect(shareToPercent(0)).toBe(0);
    expect(shareToPercent(1)).toBe(100);
  });
});
