import { AUDIENCE_MATCH_KEYS, AUDIENCE_MATCH_WEIGHTS, audienceMatch, AudienceTarget, prepareAudienceTarget } from './audience-match';
import { AudienceProfile, Platform } from './types';

const AUDIENCE: AudienceProfile = {
  ages: { '18-24': 0.3, '25-34': 0.4, '35-44': 0.2, '45-54': 0.1 },
  genders: { female: 0.7, male: 0.28, other: 0.02 },
  countries: [
    { country: 'US', share: 0.5 },
    { country: 'CA', share: 0.15 },
    { country: 'GB', share: 0.1 },
    { country: 'DE', share: 0.05 },
  ],
  interests: ['fitness', 'running', 'nutrition', 'travel'],
  noProfilePictureShare: 0.1,
};
const ON: Platform[] = ['instagram', 'tiktok'];

/**
 * Fixtures for this function and for the SQL version of the score (search sorts by it): target, audience, creator platforms,
 * the expected part values (in part order) and the expected score, all computed by hand.
 */
const AUDIENCE_MATCH_FIXTURES: {
  name: string;
  target: AudienceTarget;
  audience: AudienceProfile | null;
  platforms: Platform[];
  values: Partial<Record<'ages' | 'genders' | 'countries' | 'interests' | 'platforms', number>>;
  score: number | null;
}[] = [
  {
    // .25 × .7 + .15 × .7 + .3 × .65 + .2 × 2/3 + .1 × 1 = .708333 → 70.83 → 71
    name: 'every part',
    target: {
      ages: ['18-24', '25-34'],
      genders: ['female'],
      countries: ['US', 'CA'],
      interests: ['fitness', 'yoga', 'running'],
      platforms: ['tiktok', 'youtube'],
    },
    audience: AUDIENCE,
    platforms: ON,
    values: { ages: 0.7, genders: 0.7, countries: 0.65, interests: 2 / 3, platforms: 1 },
    score: 71,
  },
  { name: 'one country', target: { countries: ['GB'] }, audience: AUDIENCE, platforms: ON, values: { countries: 0.1 }, score: 10 },
  {
    // (.25 × .3 + .1 × 0) ÷ .35 = .214286 → 21
    name: 'older ages, missing platform',
    target: { ages: ['35-44', '45-54', '55+'], platforms: ['youtube'] },
    audience: AUDIENCE,
    platforms: ON,
    values: { ages: 0.3, platforms: 0 },
    score: 21,
  },
  {
    name: 'interests compared case-insensitively, duplicates ignored',
    target: { interests: ['Fitness', ' RUNNING ', 'fitness'] },
    audience: AUDIENCE,
    platforms: ON,
    values: { interests: 1 },
    score: 100,
  },
  {
    // (.3 × 0 + .1 × 1) ÷ .4 = .25 → 25
    name: 'unknown audience',
    target: { countries: ['US'], platforms: ['instagram'] },
    audience: null,
    platforms: ON,
    values: { countries: 0, platforms: 1 },
    score: 25,
  },
  {
    // 100 × .285 = 28.5 exactly (28.499999999999996 in floating point) → 29
    name: 'a half rounds up',
    target: { countries: ['us'] },
    audience: { ...AUDIENCE, countries: [{ country: 'US', share: 0.285 }] },
    platforms: ON,
    values: { countries: 0.285 },
    score: 29,
  },
  {
    // (.15 × (.28 + .02) + .3 × 0) ÷ .45 = .1 → 10
    name: 'genders and an absent country',
    target: { genders: ['male', 'other'], countries: ['FR'] },
    audience: AUDIENCE,
    platforms: ON,
    values: { genders: 0.3, countries: 0 },
    score: 10,
  },
  { name: 'empty target', target: {}, audience: AUDIENCE, platforms: ON, values: {}, score: null },
  {
    name: 'empty lists are not specified',
    target: { ages: [], interests: [] },
    audience: AUDIENCE,
    platforms: ON,
    values: {},
    score: null,
  },
];

describe('audienceMatch', () => {
  it('weights are 0.25 / 0.15 / 0.3 / 0.2 / 0.1 and sum to 1', () => {
    expect(AUDIENCE_MATCH_WEIGHTS).toEqual({ ages: 0.25, genders: 0.15, countries: 0.3, interests: 0.2, platforms: 0.1 });
    expect(Object.values(AUDIENCE_MATCH_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it.each(AUDIENCE_MATCH_FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const match = audienceMatch(f.target, f.audience, f.platforms);
    expect(match.score).toBe(f.score);
    expect(match.parts.map((p) => p.key)).toEqual(Object.keys(f.values));
    for (const part of match.parts) expect(part.value).toBeCloseTo(f.values[part.key] as number, 12);
    if (match.parts.length > 0) expect(match.parts.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 12);
  });

  it('renormalises the weights over the parts present: ages .25 and platforms .1 → 5/7 and 2/7', () => {
    const match = audienceMatch({ ages: ['35-44'], platforms: ['youtube'] }, AUDIENCE, ON);
    expect(match.parts.map((p) => p.weight)).toEqual([expect.closeTo(5 / 7, 12), expect.closeTo(2 / 7, 12)]);
  });

  it('explains every part with its numbers', () => {
    const match = audienceMatch(AUDIENCE_MATCH_FIXTURES[0].target, AUDIENCE, ON);
    expect(match.parts.map((p) => p.explanation)).toEqual([
      '70.00 % of the audience is aged 18-24, 25-34.',
      '70.00 % of the audience is female.',
      '65.00 % of the audience is in US, CA.',
      '2 of 3 target interests match (fitness, running).',
      'The creator is on tiktok.',
    ]);
    expect(audienceMatch({ platforms: ['youtube', 'twitch'] }, AUDIENCE, ON).parts[0].explanation).toBe(
      'The creator is on none of youtube, twitch.',
    );
    expect(audienceMatch({ countries: ['US'] }, null, ON).parts[0].explanation).toBe('Countries US: the audience profile is unknown.');
  });

  it('refuses bad shares and bad country codes', () => {
    expect(() => audienceMatch({ countries: ['USA'] }, AUDIENCE, ON)).toThrow('target.countries[0]');
    expect(() => audienceMatch({ ages: ['18-24'] }, { ...AUDIENCE, ages: { '18-24': 0.7, '25-34': 0.6 } }, ON)).toThrow('at most 1');
    expect(() => audienceMatch({ genders: ['male'] }, { ...AUDIENCE, genders: { male: -0.1 } }, ON)).toThrow(RangeError);
  });
});

describe('prepareAudienceTarget (what the SQL and the audience index score from)', () => {
  it('lists the parts a target gives, in part order, deduplicated and normalised, with their base weights', () => {
    const prepared = prepareAudienceTarget({
      platforms: ['tiktok', 'tiktok'],
      interests: [' Fitness', 'fitness', 'RUNNING'],
      countries: ['us', 'US ', 'ca'],
      genders: ['female'],
      ages: ['25-34', '18-24', '25-34'],
    });
    expect(prepared).toEqual({
      parts: [
        { key: 'ages', weight: 0.25, buckets: ['25-34', '18-24'] },
        { key: 'genders', weight: 0.15, genders: ['female'] },
        { key: 'countries', weight: 0.3, countries: ['US', 'CA'] },
        { key: 'interests', weight: 0.2, interests: ['fitness', 'running'] },
        { key: 'platforms', weight: 0.1, platforms: ['tiktok'] },
      ],
      totalWeight: expect.closeTo(1, 12),
    });
    expect(prepared!.parts.map((p) => p.key)).toEqual(AUDIENCE_MATCH_KEYS);
  });

  it('is null for an empty target and refuses a country that is not a code', () => {
    expect(prepareAudienceTarget({})).toBeNull();
    expect(prepareAudienceTarget({ ages: [], countries: [] })).toBeNull();
    expect(prepareAudienceTarget({ countries: ['DE'], platforms: ['x'] })!.totalWeight).toBeCloseTo(0.4, 12);
    expect(() => prepareAudienceTarget({ countries: ['Germany'] })).toThrow('target.countries[0]');
  });

  it('gives the rule its parts: the rule scores exactly the prepared parts', () => {
    for (const f of AUDIENCE_MATCH_FIXTURES) {
      const prepared = prepareAudienceTarget(f.target);
      expect(audienceMatch(f.target, f.audience, f.platforms).parts.map((p) => p.key)).toEqual(prepared?.parts.map((p) => p.key) ?? []);
    }
  });
});
