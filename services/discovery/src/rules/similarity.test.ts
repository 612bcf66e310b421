import {
  audienceSimilarity,
  CreatorFeatures,
  engagementSimilarity,
  formatFollowers,
  nicheSimilarity,
  rankLookalikes,
  similarity,
  SIMILARITY_WEIGHTS,
  sizeSimilarity,
  withoutAudience,
} from './similarity';

const A: CreatorFeatures = {
  id: 'a',
  niches: ['fitness', 'running', 'nutrition'],
  followers: 24_000,
  engagementRate: 4.1,
  audienceCountries: [
    { country: 'US', share: 0.6 },
    { country: 'CA', share: 0.2 },
    { country: 'GB', share: 0.1 },
  ],
  ages: { '18-24': 0.3, '25-34': 0.5, '35-44': 0.2 },
};

const B: CreatorFeatures = {
  id: 'b',
  niches: ['Running', 'fitness', 'travel'],
  followers: 31_000,
  engagementRate: 3.8,
  audienceCountries: [
    { country: 'us', share: 0.5 },
    { country: 'CA', share: 0.3 },
    { country: 'AU', share: 0.1 },
  ],
  ages: { '18-24': 0.4, '25-34': 0.4, '35-44': 0.2 },
};

/** A bigger, less engaged fitness/yoga creator with an all-US audience and no age data. */
const C: CreatorFeatures = {
  id: 'c',
  niches: ['fitness', 'yoga'],
  followers: 240_000,
  engagementRate: 2.05,
  audienceCountries: [{ country: 'US', share: 1 }],
  ages: {},
};

/** Two identical cooking creators with nothing known about audience or engagement. */
const unknown = (id: string): CreatorFeatures => ({
  id,
  niches: ['cooking'],
  followers: 2_400,
  engagementRate: null,
  audienceCountries: [],
  ages: {},
});

describe('parts', () => {
  it('niche = Jaccard: {fitness, running} ÷ {fitness, running, nutrition, travel} = 0.5, case-insensitive', () => {
    expect(nicheSimilarity(A.niches, B.niches)).toBe(0.5);
    expect(nicheSimilarity(['a', 'b'], ['b', 'a'])).toBe(1);
    expect(nicheSimilarity(['a'], ['b'])).toBe(0);
    expect(nicheSimilarity([], [])).toBe(0);
  });

  it('audience = mean of 1 − ½ Σ|pa − pb| over countries (0.8) and ages (0.9) = 0.85', () => {
    // countries |.6 − .5| + |.2 − .3| + |.1 − 0| + |0 − .1| = .4 → .8; ages .1 + .1 + 0 = .2 → .9
    expect(audienceSimilarity(A, B)).toBeCloseTo(0.85, 12);
    // C has no ages: countries only, |.6 − 1| + .2 + .1 = .7 → .65
    expect(audienceSimilarity(A, C)).toBeCloseTo(0.65, 12);
    expect(audienceSimilarity(A, unknown('u'))).toBeNull();
  });

  it('engagement = max(0, 1 − |ln(ra ÷ rb)| ÷ ln 3)', () => {
    expect(engagementSimilarity(4.1, 3.8)).toBeCloseTo(1 - Math.log(4.1 / 3.8) / Math.log(3), 12);
    expect(engagementSimilarity(4.1, 3.8)).toBeCloseTo(0.930835, 6);
    expect(engagementSimilarity(4.1, 2.05)).toBeCloseTo(1 - Math.log(2) / Math.log(3), 12); // 0.369070
    expect(engagementSimilarity(3, 9)).toBe(0);
    expect(engagementSimilarity(9, 1)).toBe(0);
    expect(engagementSimilarity(5, 5)).toBe(1);
    expect(engagementSimilarity(null, 5)).toBeNull();
    expect(engagementSimilarity(0, 0)).toBe(1);
    expect(engagementSimilarity(0, 2)).toBe(0);
  });

  it('size = max(0, 1 − |log10(fa ÷ fb)|)', () => {
    expect(sizeSimilarity(24_000, 31_000)).toBeCloseTo(1 - Math.log10(31 / 24), 12); // 0.888850
    expect(sizeSimilarity(10_000, 100_000)).toBe(0);
    expect(sizeSimilarity(20_000, 2_000_000)).toBe(0);
    expect(sizeSimilarity(50_000, 50_000)).toBe(1);
    expect(sizeSimilarity(10_000, 31_622.776601683792)).toBeCloseTo(0.5, 12);
    expect(sizeSimilarity(0, 0)).toBe(1);
    expect(sizeSimilarity(0, 10)).toBe(0);
  });

  it('formats follower counts', () => {
    expect([950, 9_500, 10_000, 24_300, 31_000, 999_600, 1_250_000].map(formatFollowers)).toEqual([
      '950',
      '9.5k',
      '10k',
      '24k',
      '31k',
      '1M',
      '1.3M',
    ]);
  });
});

describe('similarity', () => {
  it('weights are 0.35 / 0.3 / 0.15 / 0.2', () => {
    expect(SIMILARITY_WEIGHTS).toEqual({ niche: 0.35, audience: 0.3, engagement: 0.15, size: 0.2 });
  });

  it('A vs B: .35 × .5 + .3 × .85 + .15 × .930835 + .2 × .888850 = .747395 → 75, with reasons strongest first', () => {
    const s = similarity(A, B);
    expect(s.parts.niche).toBe(0.5);
    expect(s.parts.audience).toBeCloseTo(0.85, 12);
    expect(s.parts.engagement).toBeCloseTo(0.930835, 6);
    expect(s.parts.size).toBeCloseTo(0.88885, 5);
    expect(s.score).toBe(75);
    // weighted: audience .255, size .177770, niche .175, engagement .139625
    expect(s.reasons).toEqual([
      'audience 85 % alike (mostly US, CA)',
      'similar size (24k vs 31k followers)',
      'shares niches fitness, running',
      'similar engagement (4.1 % vs 3.8 %)',
    ]);
  });

  it('is symmetric in score and parts', () => {
    const ab = similarity(A, B);
    const ba = similarity(B, A);
    expect(ba.score).toBe(ab.score);
    expect(ba.parts.audience).toBeCloseTo(ab.parts.audience, 12);
    expect(ba.parts.engagement).toBeCloseTo(ab.parts.engagement, 12);
    expect(ba.parts.size).toBeCloseTo(ab.parts.size, 12);
  });

  it('A vs C: .35 × .25 + .3 × .65 + .15 × .369070 + .2 × 0 = .337861 → 34; only the audience and the shared niche give reasons', () => {
    const s = similarity(A, C);
    expect(s.parts).toEqual({ niche: 0.25, audience: expect.closeTo(0.65, 12), engagement: expect.closeTo(0.36907, 5), size: 0 });
    expect(s.score).toBe(34);
    expect(s.reasons).toEqual(['audience 65 % alike (mostly US)', 'shares niche fitness']);
  });

  it('an identical creator scores 100', () => {
    const s = similarity(A, { ...A, id: 'a2' });
    expect(s.score).toBe(100);
    expect(s.parts).toEqual({ niche: 1, audience: 1, engagement: 1, size: 1 });
    expect(s.reasons).toEqual([
      'shares niches fitness, running, nutrition',
      'audience 100 % alike (mostly US, CA)',
      'similar size (24k vs 24k followers)',
      'similar engagement (4.1 % vs 4.1 %)',
    ]);
  });

  it('unknown audience and engagement count 0.5 and give no reason: .3 × .5 + .15 × .5 = .225 → 22.5 → 23', () => {
    const s = similarity(A, unknown('u'));
    expect(s.parts).toEqual({ niche: 0, audience: 0.5, engagement: 0.5, size: 0 }); // 24,000 vs 2,400 = 10×
    expect(s.score).toBe(23);
    expect(s.reasons).toEqual([]);
  });

  it('a creator unlike in every way scores about 0', () => {
    const far: CreatorFeatures = {
      id: 'f',
      niches: ['gaming'],
      followers: 240_000,
      engagementRate: 12.3,
      audienceCountries: [{ country: 'JP', share: 1 }],
      ages: { '45-54': 0.5, '55+': 0.5 },
    };
    const s = similarity(A, far);
    // countries: .6 + .2 + .1 + 1 = 1.9 → .05 (A lists only 90 % of its audience); ages: 2 → 0; audience .025
    expect(s.parts).toEqual({ niche: 0, audience: expect.closeTo(0.025, 12), engagement: 0, size: 0 });
    expect(s.score).toBe(1); // 100 × .3 × .025 = .75 → 1
    expect(s.reasons).toEqual([]);
  });

  it('without the audience (a caller who may not see it), nothing of it shows: part 0.5, no audience reason, the score of an unknown audience', () => {
    const s = similarity(A, withoutAudience(B));
    // .35 × .5 + .3 × .5 + .15 × .930835 + .2 × .888850 = .642395 → 64
    expect(s.parts).toEqual({ niche: 0.5, audience: 0.5, engagement: expect.closeTo(0.930835, 6), size: expect.closeTo(0.88885, 5) });
    expect(s.score).toBe(64);
    expect(s.reasons).toEqual([
      'similar size (24k vs 31k followers)',
      'shares niches fitness, running',
      'similar engagement (4.1 % vs 3.8 %)',
    ]);
    // Whatever B's audience, and whichever side is without it: the same answer.
    const allUS = { ...B, audienceCountries: [{ country: 'US', share: 1 }], ages: {} };
    expect(similarity(A, withoutAudience(allUS))).toEqual(s);
    expect(similarity(withoutAudience(A), allUS)).toEqual(s);
    expect(similarity(A, allUS).parts.audience).not.toBe(0.5);
  });

  it('refuses invalid features', () => {
    expect(() => similarity(A, { ...B, followers: -1 })).toThrow(RangeError);
    expect(() => similarity(A, { ...B, engagementRate: Number.NaN })).toThrow('engagementRate');
    expect(() => similarity(A, { ...B, audienceCountries: [{ country: 'US', share: 2 }] })).toThrow('b.audienceCountries[0].share');
    expect(() => similarity(A, { ...B, ages: { '18-24': 0.8, '25-34': 0.8 } })).toThrow('b.ages');
  });
});

describe('rankLookalikes', () => {
  const candidates = [unknown('e'), A, C, B, unknown('d')];

  it('sorts by score descending then id, leaving out the target itself', () => {
    const ranked = rankLookalikes(A, candidates, 10);
    expect(ranked.map((r) => [r.id, r.score])).toEqual([
      ['b', 75],
      ['c', 34],
      ['d', 23],
      ['e', 23],
    ]);
    expect(ranked[0].reasons[0]).toBe('audience 85 % alike (mostly US, CA)');
  });

  it('takes the first `limit`', () => {
    expect(rankLookalikes(A, candidates, 2).map((r) => r.id)).toEqual(['b', 'c']);
    expect(rankLookalikes(A, candidates, 0)).toEqual([]);
    expect(rankLookalikes(A, [], 5)).toEqual([]);
  });

  it('refuses a negative or fractional limit', () => {
    expect(() => rankLookalikes(A, candidates, -1)).toThrow(RangeError);
    expect(() => rankLookalikes(A, candidates, 1.5)).toThrow('limit');
  });
});
