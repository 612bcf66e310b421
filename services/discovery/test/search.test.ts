import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { discoverySubgraph } from '../src/schema';
import { audienceMatch } from '../src/rules/audience-match';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`;
const SEARCH = `query($filter: CreatorSearchFilter, $sort: CreatorSort, $target: AudienceTargetInput, $first: Int, $after: String) {
  searchCreators(filter: $filter, sort: $sort, target: $target, first: $first, after: $after) {
    edges { cursor node { id handle } audienceMatch { score } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Fixture {
  n: number;
  handle: string;
  niches: string[];
  country: string;
  languages?: string[];
  contentStyles?: string[];
  bio?: string;
  platform: string;
  followers: number;
  engagementRate: number;
  audience?: Record<string, unknown>;
  caption?: string;
  /** 12 posts with specific comments and a follower history: an authenticity report on full evidence. */
  fullEvidence?: boolean;
}

/** 12 posts at the fixture's engagement rate (100 comments each, 10 sampled, specific), one a day. */
function evidencePosts(f: Fixture) {
  const engagements = (f.followers * f.engagementRate) / 100;
  return Array.from({ length: 12 }, (_, i) => ({
    postedAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(),
    format: 'VIDEO',
    likes: engagements - 100,
    comments: 100,
    commentSamples: Array.from({ length: 10 }, (_, j) => ({
      author: `viewer_${i}_${j}`,
      text: `Which trail is this, part ${i}.${j}? Looks muddy`,
    })),
  }));
}

/** Eight creators, each the only one with something a filter looks for. */
const FIXTURES: Fixture[] = [
  {
    n: 1,
    handle: 'anna.runs',
    niches: ['fitness'],
    country: 'US',
    languages: ['en'],
    platform: 'INSTAGRAM',
    followers: 15_000,
    engagementRate: 5,
  },
  {
    n: 2,
    handle: 'ben.bakes',
    niches: ['food'],
    country: 'GB',
    languages: ['en'],
    platform: 'TIKTOK',
    followers: 48_000,
    engagementRate: 2,
  },
  {
    n: 3,
    handle: 'chloe.cooks',
    niches: ['food', 'travel'],
    country: 'FR',
    languages: ['fr'],
    platform: 'YOUTUBE',
    followers: 250_000,
    engagementRate: 3.5,
    contentStyles: ['tutorial'],
  },
  {
    n: 4,
    handle: 'dev.games',
    niches: ['gaming'],
    country: 'DE',
    languages: ['de'],
    platform: 'TWITCH',
    followers: 5_000,
    engagementRate: 9,
    bio: 'speedruns and retro consoles',
  },
  {
    n: 5,
    handle: 'eva.style',
    niches: ['fashion'],
    country: 'US',
    languages: ['en', 'es'],
    platform: 'INSTAGRAM',
    followers: 80_000,
    engagementRate: 4,
    audience: {
      countries: [
        { country: 'MX', percent: 55 },
        { country: 'US', percent: 30 },
      ],
      ages: [
        { ageBucket: 'AGE_18_24', percent: 60 },
        { ageBucket: 'AGE_25_34', percent: 30 },
      ],
      interests: ['fashion'],
    },
  },
  {
    n: 6,
    handle: 'finn.fits',
    niches: ['fitness'],
    country: 'CA',
    languages: ['en'],
    platform: 'INSTAGRAM',
    followers: 2_000_000,
    engagementRate: 1.2,
  },
  {
    n: 7,
    handle: 'gia.green',
    niches: ['sustainability'],
    country: 'IT',
    languages: ['it'],
    platform: 'INSTAGRAM',
    followers: 30_000,
    engagementRate: 6,
    caption: 'my #zerowaste kitchen',
  },
  {
    n: 8,
    handle: 'hugo.hikes',
    niches: ['outdoors'],
    country: 'US',
    languages: ['en'],
    platform: 'YOUTUBE',
    followers: 30_000,
    engagementRate: 6,
    audience: {
      countries: [{ country: 'US', percent: 80 }],
      ages: [{ ageBucket: 'AGE_35_44', percent: 70 }],
      interests: ['hiking', 'camping'],
      noProfilePicturePercent: 4,
    },
    fullEvidence: true,
  },
];

describe('creator search', () => {
  let sub: TestSubgraph;

  async function search(variables: Record<string, unknown>) {
    const r = await sub.query<{
      searchCreators: {
        edges: { cursor: string; node: { id: string; handle: string }; audienceMatch: { score: number } | null }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(SEARCH, variables, identities.brandMember(id(900)));
    return r;
  }
  const handles = async (filter: Record<string, unknown>, sort = 'FOLLOWERS') => {
    const r = await search({ filter, sort, first: 100 });
    expect(r.errors).toBeUndefined();
    return r.data!.searchCreators.edges.map((e) => e.node.handle);
  };

  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
    for (const f of FIXTURES) {
      const who = identities.creator(id(f.n));
      const p = await sub.query(
        PROFILE,
        {
          input: {
            handle: f.handle,
            displayName: f.handle,
            bio: f.bio ?? '',
            niches: f.niches,
            country: f.country,
            languages: f.languages,
            contentStyles: f.contentStyles,
          },
        },
        who,
      );
      expect(p.errors).toBeUndefined();
      const posts = f.fullEvidence
        ? evidencePosts(f)
        : f.caption
          ? [
              {
                postedAt: '2026-11-01T10:00:00Z',
                format: 'POST',
                likes: (f.followers * f.engagementRate) / 100,
                comments: 0,
                caption: f.caption,
                hashtags: ['zerowaste'],
              },
            ]
          : undefined;
      const a = await sub.query(
        ACCOUNT,
        {
          input: {
            platform: f.platform,
            handle: f.handle,
            followers: f.followers,
            engagementRate: posts ? undefined : f.engagementRate,
            audience: f.audience,
            posts,
            followerHistory: f.fullEvidence
              ? [0, 1, 2, 3, 4].map((m) => ({ date: `2026-0${5 + m}-01`, followers: f.followers - (4 - m) * 300 }))
              : undefined,
          },
        },
        who,
      );
      expect(a.errors).toBeUndefined();
    }
  }, 60_000);
  afterAll(() => sub?.close());

  it('filters by niche, platform, tier and follower range', async () => {
    expect(await handles({ niches: ['fitness'] })).toEqual(['finn.fits', 'anna.runs']);
    expect(await handles({ platforms: ['TWITCH'] })).toEqual(['dev.games']);
    expect(await handles({ tiers: ['MEGA'] })).toEqual(['finn.fits']);
    expect(await handles({ tiers: ['NANO', 'MACRO'] })).toEqual(['chloe.cooks', 'dev.games']);
    // Equal followers (gia and hugo, 30,000) are ordered by id, highest first.
    expect(await handles({ followers: { min: 30_000, max: 48_000 } })).toEqual(['ben.bakes', 'hugo.hikes', 'gia.green']);
  });

  it('filters by engagement rate, creator location, language, content style and keywords', async () => {
    expect(await handles({ engagementRate: { min: 8 } })).toEqual(['dev.games']);
    expect(await handles({ engagementRate: { max: 1.5 } })).toEqual(['finn.fits']);
    expect(await handles({ countries: ['fr'] })).toEqual(['chloe.cooks']);
    // One country is read in order from its own index; several through the plain filter: same orders.
    expect(await handles({ countries: ['US'] }, 'FOLLOWERS')).toEqual(['eva.style', 'hugo.hikes', 'anna.runs']);
    expect(await handles({ countries: ['us', 'US'] }, 'ENGAGEMENT')).toEqual(['hugo.hikes', 'anna.runs', 'eva.style']);
    expect(await handles({ countries: ['US', 'CA'] }, 'FOLLOWERS')).toEqual(['finn.fits', 'eva.style', 'hugo.hikes', 'anna.runs']);
    expect(await handles({ languages: ['es'] })).toEqual(['eva.style']);
    expect(await handles({ contentStyles: ['tutorial'] })).toEqual(['chloe.cooks']);
    expect(await handles({ keywords: 'speedruns' })).toEqual(['dev.games']);
    expect(await handles({ keywords: '#zerowaste' })).toEqual(['gia.green']);
  });

  it('filters by audience country and audience age, in percent', async () => {
    expect(await handles({ audienceCountries: [{ country: 'MX', minPercent: 50 }] })).toEqual(['eva.style']);
    expect(await handles({ audienceCountries: [{ country: 'US', minPercent: 50 }] })).toEqual(['hugo.hikes']);
    expect(await handles({ audienceCountries: [{ country: 'US', minPercent: 25 }] })).toEqual(['eva.style', 'hugo.hikes']);
    expect(await handles({ audienceAge: { buckets: ['AGE_18_24', 'AGE_25_34'], minPercent: 80 } })).toEqual(['eva.style']);
    // Bounds are inclusive: eva's audience is exactly 55 % in Mexico.
    expect(await handles({ audienceCountries: [{ country: 'MX', minPercent: 55 }] })).toEqual(['eva.style']);
  });

  it('still takes the deprecated minShare, a fraction, with the same results', async () => {
    expect(await handles({ audienceCountries: [{ country: 'US', minShare: 0.25 }] })).toEqual(['eva.style', 'hugo.hikes']);
    expect(await handles({ audienceAge: { buckets: ['AGE_18_24', 'AGE_25_34'], minShare: 0.8 } })).toEqual(['eva.style']);
  });

  it('refuses a figure sent in the other unit, naming the field and the unit', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      // A percent sent to the fraction field would match nobody.
      [
        { audienceCountries: [{ country: 'US', minShare: 60 }] },
        'filter.audienceCountries.0.minShare',
        /fraction between 0 and 1.*minPercent/,
      ],
      [{ audienceAge: { buckets: ['AGE_18_24'], minShare: 1.5 } }, 'filter.audienceAge.minShare', /fraction/],
      [{ audienceCountries: [{ country: 'US', minPercent: 160 }] }, 'filter.audienceCountries.0.minPercent', /percent between 0 and 100/],
      [{ audienceCountries: [{ country: 'US', minPercent: -1 }] }, 'filter.audienceCountries.0.minPercent', /percent/],
      [{ audienceCountries: [{ country: 'US', minPercent: 30, minShare: 0.3 }] }, 'filter.audienceCountries.0.minShare', /not both/],
      [{ audienceCountries: [{ country: 'US' }] }, 'filter.audienceCountries.0.minPercent', /percent/],
      [{ audienceAge: { buckets: ['AGE_18_24'] } }, 'filter.audienceAge.minPercent', /percent/],
      // Fractions sent as an engagement percent.
      [{ engagementRate: { min: 0.03, max: 0.08 } }, 'filter.engagementRate.min', /in percent \(3 means 3 %\)/],
      [{ engagementRate: { max: 0.05 } }, 'filter.engagementRate.max', /in percent/],
    ];
    for (const [filter, field, message] of cases) {
      const r = await search({ filter });
      expect(r.data).toBeNull();
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.errors?.[0].message).toMatch(message);
    }
    // A range that reaches 1 % is meant as percent, and a low min alone is too.
    expect(await handles({ engagementRate: { min: 0.5, max: 1.5 } })).toEqual(['finn.fits']);
    expect((await handles({ engagementRate: { min: 0.5 } })).length).toBe(FIXTURES.length);
  });

  it('shows audiences in percent with the GraphQL enums, next to the deprecated keys and fractions', async () => {
    const r = await sub.query<{ creator: { accounts: { audience: Record<string, unknown> }[] } }>(
      `query($id: ID!) { creator(id: $id) { accounts { audience {
        ages { key ageBucket gender country percent share }
        genders { gender percent }
        countries { key country ageBucket percent share }
        noProfilePicturePercent noProfilePictureShare
      } } } }`,
      { id: id(FIXTURES.find((f) => f.handle === 'eva.style')!.n) },
      identities.brandMember(id(900)),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.creator.accounts[0].audience).toEqual({
      ages: [
        { key: '18-24', ageBucket: 'AGE_18_24', gender: null, country: null, percent: 60, share: 0.6 },
        { key: '25-34', ageBucket: 'AGE_25_34', gender: null, country: null, percent: 30, share: 0.3 },
      ],
      genders: [],
      countries: [
        { key: 'MX', country: 'MX', ageBucket: null, percent: 55, share: 0.55 },
        { key: 'US', country: 'US', ageBucket: null, percent: 30, share: 0.3 },
      ],
      noProfilePicturePercent: null,
      noProfilePictureShare: null,
    });
  });

  it('gives audience match parts in percent with an enum kind', async () => {
    const r = await sub.query<{
      searchCreators: { edges: { node: { handle: string }; audienceMatch: { parts: Record<string, unknown>[] } }[] };
    }>(
      `query($target: AudienceTargetInput) { searchCreators(filter: { niches: ["fashion"] }, target: $target) {
        edges { node { handle } audienceMatch { parts { kind key percent value explanation } } } } }`,
      { target: { countries: ['MX'], ages: ['AGE_18_24', 'AGE_25_34'] } },
      identities.brandMember(id(900)),
    );
    expect(r.errors).toBeUndefined();
    const parts = r.data!.searchCreators.edges[0].audienceMatch.parts;
    expect(parts).toEqual(
      expect.arrayContaining([
        { kind: 'COUNTRIES', key: 'countries', percent: 55, value: 0.55, explanation: '55.00 % of the audience is in MX.' },
        expect.objectContaining({ kind: 'AGES', key: 'ages', percent: 90 }),
      ]),
    );
    for (const p of parts) expect(String(p.explanation)).not.toMatch(/\d\.\d{3,}/);
  });

  it('filters by price and authenticity', async () => {
    // Guidance for anna.runs: 15,000 × 5 % = 750 engaged → $75–$750; dev.games: 450 engaged → $45–$450.
    expect(await handles({ price: { maxMinor: 5_000 } })).toEqual(['dev.games']);
    // hugo's audience is 80 % in his own country, on full evidence (posts, comments, history); 55 % of eva's
    // is in Mexico, which is not her market, and her report rests on the audience profile alone.
    const authentic = await handles({ minAuthenticity: 80 });
    expect(authentic).toContain('hugo.hikes');
    expect(authentic).not.toContain('eva.style');
    // Thin evidence cannot pass a high bar: gia (one post without comments) and eva are far below 80.
    expect(authentic).not.toContain('gia.green');
    // Creators whose authenticity could not be measured (no posts, no audience) are not "authentic".
    expect(authentic).not.toContain('anna.runs');
    const tooHigh = await search({ filter: { minAuthenticity: 101 } });
    expect(tooHigh.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.minAuthenticity' });
  });

  it('sorts by audience match exactly as the audience-match rule scores', async () => {
    const target = { countries: ['US'], ages: ['AGE_35_44'], interests: ['hiking'] };
    const r = await search({ target, sort: 'AUDIENCE_MATCH', first: 3 });
    expect(r.errors).toBeUndefined();
    const edges = r.data!.searchCreators.edges;
    expect(edges[0].node.handle).toBe('hugo.hikes');
    const expected = audienceMatch(
      { countries: ['US'], ages: ['35-44'], interests: ['hiking'] },
      {
        ages: { '35-44': 0.7 },
        genders: {},
        countries: [{ country: 'US', share: 0.8 }],
        interests: ['hiking', 'camping'],
        noProfilePictureShare: null,
      },
      ['youtube'],
    );
    expect(edges[0].audienceMatch!.score).toBe(expected.score);
    expect(edges[1].node.handle).toBe('eva.style');
    const scores = edges.map((e) => e.audienceMatch!.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('pages through ties in a stable order, each creator once', async () => {
    // With a filter, few matches are read through the filter's indexes and sorted (another plan, same order).
    const runs = ['ENGAGEMENT', 'FOLLOWERS', 'AUTHENTICITY', 'COST_PER_ENGAGEMENT'].flatMap((sort) => [
      { sort, filter: undefined as Record<string, unknown> | undefined },
      { sort, filter: { followers: { min: 0 } } },
    ]);
    for (const { sort, filter } of runs) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const r = await search({ sort, filter, first: 3, after });
        expect(r.errors).toBeUndefined();
        seen.push(...r.data!.searchCreators.edges.map((e) => e.node.handle));
        if (!r.data!.searchCreators.pageInfo.hasNextPage) break;
        after = r.data!.searchCreators.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(FIXTURES.length);
      expect(new Set(seen).size).toBe(FIXTURES.length);
      expect(seen).toEqual(await handles({}, sort));
    }
  });

  it('counts facets over every match', async () => {
    const r = await sub.query<{ searchCreators: { totalCount: number; facets: Record<string, { value: string; count: number }[]> } }>(
      `{ searchCreators(filter: { platforms: [INSTAGRAM] }) { totalCount facets { niches { value count } platforms { value count } tiers { value count } countries { value count } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const { totalCount, facets } = r.data!.searchCreators;
    expect(totalCount).toBe(4);
    expect(facets.niches).toEqual([
      { value: 'fitness', count: 2 },
      { value: 'fashion', count: 1 },
      { value: 'sustainability', count: 1 },
    ]);
    expect(facets.platforms).toEqual([{ value: 'INSTAGRAM', count: 4 }]);
    expect(facets.tiers).toEqual([
      { value: 'MICRO', count: 3 },
      { value: 'MEGA', count: 1 },
    ]);
    expect(facets.countries).toEqual([
      { value: 'US', count: 2 },
      { value: 'CA', count: 1 },
      { value: 'IT', count: 1 },
    ]);
  });

  it.each(['AUDIENCE_MATCH', 'FOLLOWERS'])(
    'sorted by %s, reads the columns of the fields asked for, and every column for fields that need more',
    async (sort) => {
      const run = async (node: string, withMatch = false) => {
        const r = await sub.query<{ searchCreators: { edges: { node: Record<string, unknown>; audienceMatch?: { score: number } }[] } }>(
          `query($target: AudienceTargetInput) { searchCreators(filter: { niches: ["fitness"] }, sort: ${sort}, target: $target, first: 5) {
            edges { node { ${node} } ${withMatch ? 'audienceMatch { score }' : ''} } } }`,
          { target: { countries: ['US'] } },
          identities.brandMember(id(900)),
        );
        expect(r.errors).toBeUndefined();
        return r.data!.searchCreators.edges;
      };
      const byHandle = (edges: { node: Record<string, unknown> }[]) => Object.fromEntries(edges.map((e) => [e.node.handle, e.node]));
      // Plain columns: only those are read.
      expect(byHandle(await run('handle followers niches'))['anna.runs']).toEqual({
        handle: 'anna.runs',
        followers: 15_000,
        niches: ['fitness'],
      });
      // A getter and a field resolver: every column, so they see what they need.
      const anna = byHandle(await run('handle tier accounts { platform } ... on Creator { engagementRate }'))['anna.runs'];
      expect(anna).toEqual({ handle: 'anna.runs', tier: 'MICRO', accounts: [{ platform: 'INSTAGRAM' }], engagementRate: 5 });
      // An edge's audience match reads the audience even when the node asks for the handle only.
      const matched = await run('handle', true);
      expect(matched.map((e) => e.audienceMatch?.score)).toEqual(expect.arrayContaining([expect.any(Number)]));
      expect(matched.every((e) => e.audienceMatch !== undefined)).toBe(true);
    },
  );

  it('refuses nonsense with the field named', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: { engagementRate: { min: 150 } } }, 'filter.engagementRate.min'],
      [{ filter: { followers: { min: 50, max: 10 } } }, 'filter.followers.min'],
      [{ filter: { audienceCountries: [{ country: 'XX', minShare: 0.2 }] } }, 'filter.audienceCountries.0.country'],
      [{ filter: { audienceCountries: [{ country: 'US', minShare: 20 }] } }, 'filter.audienceCountries.0.minShare'],
      [{ filter: { price: { maxMinor: 100, currency: 'EUR' } } }, 'filter.price.currency'],
      [{ sort: 'AUDIENCE_MATCH' }, 'target'],
      [{ after: 'garbage' }, 'after'],
    ];
    for (const [variables, field] of cases) {
      const r = await search(variables);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const first = await search({ sort: 'FOLLOWERS', first: 1 });
    const otherSort = await search({ sort: 'ENGAGEMENT', after: first.data!.searchCreators.pageInfo.endCursor });
    expect(otherSort.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('refuses every bad argument of a search in one error, each with its field', async () => {
    const r = await search({
      sort: 'AUDIENCE_MATCH',
      first: 100,
      after: 'garbage',
      filter: {
        countries: ['US', 'XX'],
        engagementRate: { min: 150 },
        audienceCountries: [{ country: 'QQ', minPercent: 120 }],
        price: { maxMinor: 100, currency: 'EUR' },
        minAuthenticity: 101,
        keywords: 'k'.repeat(201),
      },
    });
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.countries.1' });
    expect((r.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'filter.countries.1',
      'filter.engagementRate.min',
      'filter.audienceCountries.0.country',
      'filter.audienceCountries.0.minPercent',
      'filter.price.currency',
      'filter.minAuthenticity',
      'filter.keywords',
      'target',
      'after',
    ]);
  });
});
