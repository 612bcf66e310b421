import { startTestStack, TestStack } from '../../src/testing/stack';
import { saveCreator } from './support';

type Errors = { errors?: { message: string; extensions?: { code?: string; field?: string } }[] };

const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}T12:00:00Z`;
/** Two sponsored posts of `adLikes` likes (a hashtag, the platform's label) and two organic ones of `ownLikes`. */
const posts = (adLikes: number, ownLikes: number) => [
  { postedAt: day(1), format: 'REEL', likes: adLikes, comments: 0, caption: 'Neue Creme #Anzeige 💄' },
  { postedAt: day(2), format: 'REEL', likes: adLikes, comments: 0, caption: 'Morning routine', paidPartnership: true },
  { postedAt: day(3), format: 'POST', likes: ownLikes, comments: 0, caption: 'New #adidas for the #adventure' },
  { postedAt: day(4), format: 'POST', likes: ownLikes, comments: 0, caption: 'Not sponsored by anyone', paidPartnership: false },
];

/** Sponsored versus organic engagement end to end: saved by creators, searched and sorted by a brand, in the media kit. */
describe('sponsored performance through the gateway', () => {
  let stack: TestStack;
  let brandToken: string;
  const creators = [
    { id: '00000000-0000-4000-8000-0000000e1001', handle: 'paid.well', posts: posts(900, 300) }, // 3
    { id: '00000000-0000-4000-8000-0000000e1002', handle: 'paid.even', posts: posts(400, 400) }, // 1
    { id: '00000000-0000-4000-8000-0000000e1003', handle: 'only.organic', posts: posts(400, 400).slice(2) }, // none
  ];
  const SEARCH = `query($filter: CreatorSearchFilter, $first: Int, $after: String) {
    searchCreators(filter: $filter, sort: SPONSORED_RATIO, first: $first, after: $after) {
      edges { node { handle sponsoredRatio } } pageInfo { hasNextPage endCursor } } }`;
  type Page = {
    searchCreators: {
      edges: { node: { handle: string; sponsoredRatio: number | null } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    brandToken = await stack.token({ sub: 'sara', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0e01'] });
    for (const c of creators) {
      const token = await stack.token({ sub: c.handle, roles: ['creator'], creatorId: c.id });
      await saveCreator(
        stack,
        token,
        { handle: c.handle, displayName: c.handle, niches: ['beauty'], country: 'DE' },
        { handle: c.handle, followers: 10_000, posts: c.posts },
      );
    }
    const well = await stack.token({ sub: 'paid.well', roles: ['creator'], creatorId: creators[0].id });
    const kit = await stack.query(`mutation { setMyMediaKit(input: { published: true, sections: [STATS] }) { published } }`, {}, well);
    expect(kit.errors).toBeUndefined();
  }, 120_000);
  afterAll(() => stack?.close());

  it("shows an account's sponsored performance and each post's disclosures", async () => {
    const r = await stack.query<{
      creatorByHandle: {
        sponsoredRatio: number;
        accounts: { sponsoredPerformance: Record<string, unknown>; recentPosts: Record<string, unknown>[] }[];
      };
    }>(
      `{ creatorByHandle(handle: "paid.well") { sponsoredRatio accounts {
          sponsoredPerformance { ratio sponsoredPosts organicPosts sponsoredEngagementRate organicEngagementRate gap explanation }
          recentPosts { caption sponsored disclosureMarkers { marker kind language disclosure } } } } }`,
      {},
      brandToken,
    );
    expect(r.errors).toBeUndefined();
    const { sponsoredRatio, accounts } = r.data!.creatorByHandle;
    expect(sponsoredRatio).toBeCloseTo(3, 5);
    expect(accounts[0].sponsoredPerformance).toEqual({
      ratio: expect.closeTo(3, 6),
      sponsoredPosts: 2,
      organicPosts: 2,
      sponsoredEngagementRate: expect.closeTo(9, 6),
      organicEngagementRate: expect.closeTo(3, 6),
      gap: null,
      explanation: 'Sponsored posts engage 3.00 × as much as organic ones: 9.00 % of followers over 2 posts against 3.00 % over 2 posts.',
    });
    const markers = Object.fromEntries(accounts[0].recentPosts.map((p) => [p.caption, p.disclosureMarkers]));
    expect(markers).toEqual({
      'Neue Creme #Anzeige 💄': [{ marker: '#anzeige', kind: 'HASHTAG', language: 'de', disclosure: 'PAID' }],
      'Morning routine': [{ marker: 'paid partnership label', kind: 'PLATFORM_FLAG', language: null, disclosure: 'PAID' }],
      'New #adidas for the #adventure': [],
      'Not sponsored by anyone': [],
    });
  });

  it('lets anyone filter and sort by the ratio, in stable pages with creators without one last', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const r: { data?: Page | null } & Errors = await stack.query<Page>(SEARCH, { first: 1, after }, brandToken);
      expect(r.errors).toBeUndefined();
      seen.push(...r.data!.searchCreators.edges.map((e) => e.node.handle));
      if (!r.data!.searchCreators.pageInfo.hasNextPage) break;
      after = r.data!.searchCreators.pageInfo.endCursor;
    }
    expect(seen).toEqual(['paid.well', 'paid.even', 'only.organic']);
    // Public data, like engagement: an anonymous caller filters by it too.
    const anonymous = await stack.query<Page>(SEARCH, { filter: { sponsoredRatio: { min: 0.8, max: 1.2 } } });
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data!.searchCreators.edges.map((e) => e.node)).toEqual([
      { handle: 'paid.even', sponsoredRatio: expect.closeTo(1, 5) },
    ]);
  });

  it('refuses bad ranges and values with BAD_USER_INPUT and the field, never an internal detail', async () => {
    const expectBadInput = (res: Errors, field: string) => {
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0].message).not.toMatch(/sponsored_ratio|SELECT|\.ts:\d|at [A-Z]\w+\./);
    };
    expectBadInput(await stack.query(SEARCH, { filter: { sponsoredRatio: { min: 3, max: 1 } } }, brandToken), 'filter.sponsoredRatio.min');
    expectBadInput(await stack.query(SEARCH, { filter: { sponsoredRatio: { min: -1 } } }, brandToken), 'filter.sponsoredRatio.min');
    expectBadInput(await stack.query(SEARCH, { filter: { sponsoredRatio: { max: 5000 } } }, brandToken), 'filter.sponsoredRatio.max');
    // 1e309 is Infinity once parsed: not a number either.
    expectBadInput(
      await stack.query(
        `query($x: Float = 1e309) { searchCreators(filter: { sponsoredRatio: { min: $x } }) { edges { cursor } } }`,
        {},
        brandToken,
      ),
      'filter.sponsoredRatio.min',
    );
    const notANumber = await stack.query(SEARCH, { filter: { sponsoredRatio: { min: 'NaN' } } }, brandToken);
    expect(notANumber.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const literal = await stack.query(
      `{ searchCreators(filter: { sponsoredRatio: { max: "high" } }) { edges { cursor } } }`,
      {},
      brandToken,
    );
    expect(literal.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const engagementCursor = (
      await stack.query<Page>(
        `{ searchCreators(sort: ENGAGEMENT, first: 1) { edges { node { handle sponsoredRatio } } pageInfo { hasNextPage endCursor } } }`,
      )
    ).data!.searchCreators.pageInfo.endCursor;
    expectBadInput(await stack.query(SEARCH, { after: engagementCursor }, brandToken), 'after');
  });

  it('refuses a post label that is not a boolean, a NUL byte in a caption, and writes for anyone without a creator token', async () => {
    const token = await stack.token({ sub: 'paid.even', roles: ['creator'], creatorId: creators[1].id });
    const SAVE = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`;
    const account = (post: Record<string, unknown>) => ({
      input: {
        platform: 'INSTAGRAM',
        handle: 'paid.even',
        followers: 10_000,
        posts: [{ postedAt: day(5), format: 'REEL', likes: 1, comments: 0, ...post }],
      },
    });
    const label = await stack.query(SAVE, account({ paidPartnership: 'yes' }), token);
    expect(label.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const nul = (await stack.query(SAVE, account({ caption: '#ad\u0000' }), token)) as Errors;
    expect(nul.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.posts.0.caption' });
    const anonymous = await stack.query(SAVE, account({ paidPartnership: true }));
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const brand = await stack.query(SAVE, account({ paidPartnership: true }), brandToken);
    expect(brand.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Nothing of these reached the account: it still has its four posts and its ratio.
    const r = await stack.query<{ creatorByHandle: { sponsoredRatio: number; accounts: { recentPosts: unknown[] }[] } }>(
      `{ creatorByHandle(handle: "paid.even") { sponsoredRatio accounts { recentPosts { caption } } } }`,
    );
    expect(r.data!.creatorByHandle.accounts[0].recentPosts).toHaveLength(4);
    expect(r.data!.creatorByHandle.sponsoredRatio).toBeCloseTo(1, 5);
  });

  it("serves the ratio in the published media kit's JSON", async () => {
    const base = stack.gateway.url.replace(/\/graphql$/, '');
    const res = await fetch(`${base}/media-kits/paid.well.json`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      stats: { sponsoredPerformance: { ratio: number; sponsoredPosts: number; organicPosts: number; gap: null } };
    };
    expect(body.stats.sponsoredPerformance).toMatchObject({ sponsoredPosts: 2, organicPosts: 2, gap: null });
    expect(body.stats.sponsoredPerformance.ratio).toBeCloseTo(3, 6);
  });
});
