import type { Identity } from '@influenceflow/kit';
import { GraphQLResponse, identities, startTestSubgraph, statementsDuring, TestSubgraph } from '@influenceflow/kit/testing';
import { discoverySubgraph } from '../src/schema';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`;

interface Fixture {
  n: number;
  handle: string;
  niches: string[];
  followers: number;
  countries: [string, number][];
  ages: [string, number][];
}

/** Four outdoors creators alike enough to be each other's lookalikes, and two food ones. */
const FIXTURES: Fixture[] = [
  {
    n: 1,
    handle: 'trail.tess',
    niches: ['outdoors', 'running'],
    followers: 15_000,
    countries: [
      ['US', 0.7],
      ['CA', 0.15],
    ],
    ages: [
      ['18-24', 0.4],
      ['25-34', 0.273],
    ],
  },
  {
    n: 2,
    handle: 'ridge.runner',
    niches: ['running', 'outdoors'],
    followers: 18_000,
    countries: [
      ['US', 0.6],
      ['CA', 0.3],
    ],
    ages: [
      ['18-24', 0.4],
      ['25-34', 0.3],
    ],
  },
  { n: 3, handle: 'hill.hanna', niches: ['outdoors'], followers: 21_000, countries: [['GB', 0.8]], ages: [['35-44', 0.6]] },
  { n: 4, handle: 'camp.carl', niches: ['outdoors', 'travel'], followers: 12_000, countries: [['US', 0.5]], ages: [['25-34', 0.5]] },
  { n: 5, handle: 'city.chef', niches: ['food'], followers: 30_000, countries: [['FR', 0.9]], ages: [['45-54', 0.5]] },
  { n: 6, handle: 'bakery.bea', niches: ['food'], followers: 25_000, countries: [['FR', 0.7]], ages: [['45-54', 0.4]] },
];
const TESS = id(1);

const anonymous = null;
const tess = identities.creator(TESS);
const otherCreator = identities.creator(id(2));
const brandMember = identities.brandMember(id(900));
const analyst = identities.analyst(id(900));
const admin = identities.admin();

/** Who may not see Tess's audience, and who may (docs/discovery.md, "Who sees what"). */
const STRANGERS: [string, Identity | null][] = [
  ['an anonymous caller', anonymous],
  ['another creator', otherCreator],
];
const VETTERS: [string, Identity][] = [
  ['a brand member', brandMember],
  ['an analyst', analyst],
  ['an admin', admin],
];

type Lookalike = { creator: { handle: string }; score: number; reasons: string[]; parts: { audience: number } };
const LOOKALIKES = `query($id: ID!) { creator(id: $id) { lookalikes(first: 5) { creator { handle } score reasons parts { audience } } } }`;

describe('who sees audiences: audience match, audience search, lookalikes', () => {
  let sub: TestSubgraph;

  /** The SQL the subgraph runs while `work` runs. */
  const queriesDuring = async (work: () => Promise<unknown>): Promise<string[]> =>
    (await statementsDuring(sub.runtime.dataSource, work)).statements;
  /** The lookalike pre-selection (creators nearest in size on a log scale), however the alias is quoted. */
  const isCandidateQuery = (sql: string) => /ln\(greatest\("?c"?\."?followers"?, 1\)\)/.test(sql);

  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
    for (const f of FIXTURES) {
      const who = identities.creator(id(f.n));
      const p = await sub.query(PROFILE, { input: { handle: f.handle, displayName: f.handle, niches: f.niches, country: 'US' } }, who);
      expect(p.errors).toBeUndefined();
      const share = ([key, s]: [string, number]) => ({ key, share: s });
      const a = await sub.query(
        ACCOUNT,
        {
          input: {
            platform: 'INSTAGRAM',
            handle: f.handle,
            followers: f.followers,
            engagementRate: 4,
            audience: { countries: f.countries.map(share), ages: f.ages.map(share), interests: f.niches },
          },
        },
        who,
      );
      expect(a.errors).toBeUndefined();
    }
  }, 60_000);
  afterAll(() => sub?.close());

  describe('Creator.audienceMatch', () => {
    const MATCH = `query($id: ID!, $target: AudienceTargetInput!) { creator(id: $id) { handle audienceMatch(target: $target) { score parts { key value explanation } } } }`;
    // One age part: the score would be the share of those ages itself.
    const target = { ages: ['AGE_18_24', 'AGE_25_34'] };
    const matchAs = (who: Identity | null) =>
      sub.query<{ creator: { handle: string; audienceMatch: { score: number; parts: { explanation: string }[] } | null } }>(
        MATCH,
        { id: TESS, target },
        who,
      );

    it.each(STRANGERS)('is null for %s (the score of a one-part target is the share)', async (_who, who) => {
      const r = await matchAs(who);
      expect(r.errors).toBeUndefined();
      expect(r.data!.creator).toEqual({ handle: 'trail.tess', audienceMatch: null });
    });

    it.each([...VETTERS, ['the creator themself', tess] as [string, Identity]])('shows %s the score and its parts', async (_who, who) => {
      const r = await matchAs(who);
      expect(r.errors).toBeUndefined();
      expect(r.data!.creator.audienceMatch).toEqual({
        score: 67,
        parts: [{ key: 'ages', value: expect.closeTo(0.673, 5), explanation: '67.30 % of the audience is aged 18-24, 25-34.' }],
      });
    });
  });

  describe('search by audience', () => {
    const SEARCH = `query($filter: CreatorSearchFilter, $sort: CreatorSort, $target: AudienceTargetInput) {
      searchCreators(filter: $filter, sort: $sort, target: $target, first: 10) { edges { node { handle } audienceMatch { score } } }
    }`;
    type Search = { searchCreators: { edges: { node: { handle: string }; audienceMatch: { score: number } | null }[] } };
    // Each of these, bisected on one creator (keywords: the handle), reads a share.
    const AUDIENCE_ARGS: [string, Record<string, unknown>][] = [
      ['filter.audienceCountries', { filter: { keywords: 'trail.tess', audienceCountries: [{ country: 'US', minShare: 0.65 }] } }],
      ['filter.audienceAge', { filter: { keywords: 'trail.tess', audienceAge: { buckets: ['AGE_18_24'], minShare: 0.35 } } }],
      ['sort', { sort: 'AUDIENCE_MATCH', target: { countries: ['US'] } }],
      ['target', { sort: 'FOLLOWERS', target: { countries: ['US'] } }],
    ];
    const cases = [...STRANGERS, ['the creator themself', tess] as [string, Identity]].flatMap(([who, identity]) =>
      AUDIENCE_ARGS.map(([field, variables]) => [who, field, identity, variables] as const),
    );

    it.each(cases)('refuses %s %s with FORBIDDEN, before any SQL', async (_who, field, identity, variables) => {
      let r: GraphQLResponse<Search> | undefined;
      const sql = await queriesDuring(async () => (r = await sub.query<Search>(SEARCH, variables, identity)));
      expect(r!.data).toBeNull();
      expect(r!.errors).toHaveLength(1);
      expect(r!.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field });
      expect(sql.filter((q) => /creators/.test(q))).toEqual([]);
    });

    it('refuses before checking the values: a stranger learns nothing from which values are wrong', async () => {
      const r = await sub.query(SEARCH, { filter: { audienceCountries: [{ country: 'XX', minShare: 7 }] } }, anonymous);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.audienceCountries' });
    });

    it('still serves strangers the search of public data', async () => {
      const r = await sub.query<Search>(SEARCH, { filter: { niches: ['food'] }, sort: 'FOLLOWERS' }, anonymous);
      expect(r.errors).toBeUndefined();
      expect(r.data!.searchCreators.edges).toEqual([
        { node: { handle: 'city.chef' }, audienceMatch: null },
        { node: { handle: 'bakery.bea' }, audienceMatch: null },
      ]);
    });

    it.each(VETTERS)('serves %s every audience filter, the sort and each match', async (_who, who) => {
      const byCountry = await sub.query<Search>(
        SEARCH,
        { filter: { audienceCountries: [{ country: 'US', minShare: 0.65 }], audienceAge: { buckets: ['AGE_18_24'], minShare: 0.35 } } },
        who,
      );
      expect(byCountry.errors).toBeUndefined();
      expect(byCountry.data!.searchCreators.edges.map((e) => e.node.handle)).toEqual(['trail.tess']);
      const ranked = await sub.query<Search>(
        SEARCH,
        { filter: { niches: ['outdoors'] }, sort: 'AUDIENCE_MATCH', target: { countries: ['US'] } },
        who,
      );
      expect(ranked.errors).toBeUndefined();
      expect(ranked.data!.searchCreators.edges).toEqual([
        { node: { handle: 'trail.tess' }, audienceMatch: { score: 70 } },
        { node: { handle: 'ridge.runner' }, audienceMatch: { score: 60 } },
        { node: { handle: 'camp.carl' }, audienceMatch: { score: 50 } },
        { node: { handle: 'hill.hanna' }, audienceMatch: { score: 0 } },
      ]);
    });
  });

  describe('lookalikes', () => {
    const lookalikesAs = async (who: Identity | null) => {
      const r = await sub.query<{ creator: { lookalikes: Lookalike[] } }>(LOOKALIKES, { id: TESS }, who);
      expect(r.errors).toBeUndefined();
      return r.data!.creator.lookalikes;
    };
    const ridgeOf = (found: Lookalike[]) => found.find((l) => l.creator.handle === 'ridge.runner')!;

    it.each(VETTERS)('compares the audiences for %s and names the countries both share most', async (_who, who) => {
      const ridge = ridgeOf(await lookalikesAs(who));
      // countries 1 − ½(.1 + .15) = .875, ages 1 − ½(.027) = .9865: .93
      expect(ridge.parts.audience).toBeCloseTo(0.93075, 4);
      expect(ridge.reasons).toContain('audience 93 % alike (mostly US, CA)');
    });

    it.each([...STRANGERS, ['the creator themself (the other audience is not theirs to see)', tess] as [string, Identity]])(
      'does not compare the audiences for %s: no audience reason, the part unknown (0.5), the score without it',
      async (_who, who) => {
        const found = await lookalikesAs(who);
        expect(found.map((l) => l.creator.handle).sort()).toEqual(['camp.carl', 'hill.hanna', 'ridge.runner']);
        for (const l of found) {
          expect(l.parts.audience).toBe(0.5);
          expect(l.reasons.join(' | ')).not.toMatch(/audience|US|CA|GB/);
        }
        const ridge = ridgeOf(found);
        expect(ridge.reasons).toEqual(expect.arrayContaining(['shares niches outdoors, running']));
        // The same niches, size and engagement: only the audience part (.3 × (.93075 − .5)) differs.
        const vetted = ridgeOf(await lookalikesAs(brandMember));
        expect(vetted.score).toBeGreaterThan(ridge.score);
      },
    );

    it("refuses lookalikes on a lookalike's creator, whatever the alias or fragment", async () => {
      const nested = [
        `query($id: ID!) { creator(id: $id) { lookalikes { creator { lookalikes { score } } } } }`,
        `query($id: ID!) { creator(id: $id) { similar: lookalikes(first: 2) { creator { again: lookalikes(first: 50) { score } } } } }`,
        `query($id: ID!) { creator(id: $id) { lookalikes { ...C } } } fragment C on Lookalike { creator { ... on Creator { lookalikes { score } } } }`,
      ];
      for (const query of nested) {
        const r = await sub.query(query, { id: TESS }, brandMember);
        expect(r.data).toBeNull();
        expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lookalikes' });
      }
      // One level is served, under a list of creators too.
      const top = await sub.query(`{ creators(first: 10) { edges { node { lookalikes(first: 2) { score } } } } }`, {}, brandMember);
      expect(top.errors).toBeUndefined();
    });

    it('pre-selects the candidates of a page of creators in one query, with the same lookalikes as one by one', async () => {
      const fields = 'creator { handle } score reasons parts { audience }';
      type Page = { creators: { edges: { node: { id: string; handle: string; lookalikes: Lookalike[] } }[] } };
      let page: GraphQLResponse<Page> | undefined;
      const sql = await queriesDuring(
        async () =>
          (page = await sub.query<Page>(
            `{ creators(first: 10) { edges { node { id handle lookalikes(first: 3) { ${fields} } } } } }`,
            {},
            brandMember,
          )),
      );
      expect(page!.errors).toBeUndefined();
      const nodes = page!.data!.creators.edges.map((e) => e.node);
      expect(nodes).toHaveLength(FIXTURES.length);
      expect(nodes.filter((n) => n.lookalikes.length > 0)).toHaveLength(FIXTURES.length);
      expect(sql.filter(isCandidateQuery)).toHaveLength(1);
      for (const node of nodes) {
        const one = await sub.query<{ creator: { lookalikes: Lookalike[] } }>(
          `query($id: ID!) { creator(id: $id) { lookalikes(first: 3) { ${fields} } } }`,
          { id: node.id },
          brandMember,
        );
        expect(one.data!.creator.lookalikes).toEqual(node.lookalikes);
      }
      expect(nodes.find((n) => n.handle === 'city.chef')!.lookalikes.map((l) => l.creator.handle)).toEqual(['bakery.bea']);

      // Search results too; each field's own `first`.
      type Found = { searchCreators: { edges: { node: { handle: string; a: Lookalike[]; b: Lookalike[] } }[] } };
      let found: GraphQLResponse<Found> | undefined;
      const searchSql = await queriesDuring(
        async () =>
          (found = await sub.query<Found>(
            `{ searchCreators(filter: { niches: ["outdoors"] }, sort: FOLLOWERS) { edges { node { handle a: lookalikes(first: 1) { ${fields} } b: lookalikes(first: 3) { ${fields} } } } } }`,
            {},
            brandMember,
          )),
      );
      expect(found!.errors).toBeUndefined();
      const edges = found!.data!.searchCreators.edges;
      expect(edges).toHaveLength(4);
      for (const { node } of edges) {
        expect(node.a).toHaveLength(1);
        expect(node.b).toHaveLength(3);
        expect(node.a[0]).toEqual(node.b[0]);
      }
      expect(searchSql.filter(isCandidateQuery)).toHaveLength(1);
    });
  });
});
