import { Tier } from '../rules/tier';
import { candidateFilterOf, candidateFilterSql, followerRangeSql, passesCandidateFilter, TIER_SQL } from './candidate-filter';

describe('the candidate filter (applied by PostgreSQL and by the audience index)', () => {
  it('takes the niches lower case, the platforms, and each tier within the follower range', () => {
    expect(
      candidateFilterOf({
        niches: [' Food', 'food', 'TRAVEL'],
        platforms: ['instagram'],
        tiers: [Tier.MICRO, Tier.MACRO, Tier.MICRO],
        followers: { min: 20_000.5, max: 150_000.9 },
      }),
    ).toEqual({
      niches: ['food', 'travel'],
      platforms: ['instagram'],
      followers: [
        { min: 20_001, max: 99_999 },
        { min: 100_000, max: 150_000 },
      ],
    });
    expect(candidateFilterOf({ followers: { max: 5_000 } })).toEqual({ followers: [{ min: 0, max: 5_000 }] });
    expect(candidateFilterOf({ tiers: [Tier.MEGA] })).toEqual({ followers: [{ min: 1_000_001, max: Infinity }] });
    // A tier outside the range keeps nobody.
    expect(candidateFilterOf({ tiers: [Tier.NANO], followers: { min: 50_000 } })).toEqual({ followers: [] });
    expect(candidateFilterOf({ niches: [], platforms: [] })).toEqual({});
  });

  it('refuses follower ranges that make no sense, naming the field', () => {
    expect(() => candidateFilterOf({ followers: { min: -1 } })).toThrow(expect.objectContaining({ field: 'filter.followers.min' }));
    expect(() => candidateFilterOf({ followers: { min: 10, max: 5 } })).toThrow('must not be above max');
    expect(() => candidateFilterOf({ followers: { max: Number.NaN } })).toThrow('between 0 and');
  });

  it('is SQL made from the same value', () => {
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const filter = candidateFilterOf({ niches: ['food'], platforms: ['tiktok'], tiers: [Tier.NANO, Tier.MEGA] });
    expect(candidateFilterSql(filter, param)).toEqual({
      niches: 'c.niches && $1::text[]',
      platforms: 'c.platforms && $2::text[]',
      followers: '((c.followers <= 9999) OR (c.followers >= 1000001))',
    });
    expect(params).toEqual([['food'], ['tiktok']]);
    expect(candidateFilterSql({ followers: [] }, param)).toEqual({ followers: 'false' });
    expect(candidateFilterSql({ followers: [{ min: 10_000, max: 99_999 }] }, param)).toEqual({
      followers: '(c.followers >= 10000 AND c.followers <= 99999)',
    });
    expect(followerRangeSql({ min: 0, max: Infinity })).toBe('true');
    expect(TIER_SQL[Tier.MACRO]).toBe('c.followers >= 100000 AND c.followers <= 1000000');
  });

  it('means: any of the niches, any of the platforms, followers within any range', () => {
    const creator = { niches: ['food', 'travel'], platforms: ['instagram'], followers: 15_000 };
    expect(passesCandidateFilter(creator, {})).toBe(true);
    expect(passesCandidateFilter(creator, { niches: ['travel', 'tech'] })).toBe(true);
    expect(passesCandidateFilter(creator, { niches: ['tech'] })).toBe(false);
    expect(passesCandidateFilter(creator, { platforms: ['tiktok', 'instagram'] })).toBe(true);
    expect(passesCandidateFilter(creator, { platforms: ['tiktok'] })).toBe(false);
    expect(
      passesCandidateFilter(creator, {
        followers: [
          { min: 0, max: 9_999 },
          { min: 15_000, max: 15_000 },
        ],
      }),
    ).toBe(true);
    expect(passesCandidateFilter(creator, { followers: [] })).toBe(false);
  });
});
