import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { Readable } from 'node:stream';
import { accountMetrics } from '../src/accounts/account-metrics';
import { creatorRecordSchema, parseRecord } from '../src/creators/creator-record';
import { importCreators } from '../src/ingest/importer';
import { SponsoredPerformance1764900000000 } from '../src/migrations/1764900000000-SponsoredPerformance';
import { discoverySubgraph } from '../src/schema';

/*
 * Sponsored versus organic engagement through the discovery subgraph: stored at every write (API and
 * import), the headline account's ratio on the creator for search, filtered and sorted with stable
 * pages, refused with the field named, backfilled by the migration, and shown in the media kit.
 */

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`;
const SEARCH = `query($filter: CreatorSearchFilter, $sort: CreatorSort, $first: Int, $after: String) {
  searchCreators(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { cursor node { id handle sponsoredRatio } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Post = Record<string, unknown>;
const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}T12:00:00Z`;
/** `ads` sponsored posts of `adLikes` likes (each disclosed another way), then `own` organic posts of `ownLikes`. */
function posts(ads: number, adLikes: number, own: number, ownLikes: number): Post[] {
  const disclosures: Post[] = [
    { caption: 'New serum ✨#ad✨', hashtags: ['skincare'] },
    { caption: 'Summer drop', hashtags: ['Werbung'] },
    { caption: 'Bezahlte Partnerschaft mit @marke', hashtags: [] },
    { caption: 'Morning run', hashtags: [], paidPartnership: true },
  ];
  return [
    ...Array.from({ length: ads }, (_, i) => ({
      postedAt: day(1 + i),
      format: 'REEL',
      likes: adLikes,
      comments: 0,
      ...disclosures[i % 4],
    })),
    ...Array.from({ length: own }, (_, i) => ({
      postedAt: day(10 + i),
      format: 'POST',
      likes: ownLikes,
      comments: 0,
      // Near misses: none of these is a disclosure.
      caption: ['My #adidas haul', 'Weekend #adventure', 'not sponsored by anyone', 'link: https://shop.example/#ad'][i % 4],
      hashtags: ['adventure'],
      paidPartnership: i % 2 === 0 ? false : null,
    })),
  ];
}

interface Fixture {
  n: number;
  handle: string;
  accounts: { platform: string; followers: number; posts?: Post[]; engagementRate?: number }[];
}
const FIXTURES: Fixture[] = [
  { n: 1, handle: 'ads.above', accounts: [{ platform: 'INSTAGRAM', followers: 10_000, posts: posts(2, 600, 2, 300) }] }, // 2
  { n: 2, handle: 'ads.even', accounts: [{ platform: 'INSTAGRAM', followers: 10_000, posts: posts(4, 400, 3, 400) }] }, // 1
  { n: 3, handle: 'ads.below', accounts: [{ platform: 'INSTAGRAM', followers: 10_000, posts: posts(3, 200, 4, 400) }] }, // 0.5
  { n: 4, handle: 'ads.below.too', accounts: [{ platform: 'TIKTOK', followers: 20_000, posts: posts(2, 300, 2, 600) }] }, // 0.5
  { n: 5, handle: 'few.ads', accounts: [{ platform: 'INSTAGRAM', followers: 10_000, posts: posts(1, 900, 5, 300) }] }, // null
  { n: 6, handle: 'no.posts', accounts: [{ platform: 'YOUTUBE', followers: 10_000, engagementRate: 4 }] }, // null
  {
    n: 7,
    handle: 'two.accounts',
    accounts: [
      { platform: 'TIKTOK', followers: 50_000, posts: posts(2, 1_500, 2, 1_000) }, // 1.5, the headline
      { platform: 'INSTAGRAM', followers: 10_000, posts: posts(2, 900, 2, 300) }, // 3
    ],
  },
];
const BY_RATIO = ['ads.above', 'two.accounts', 'ads.even', 'ads.below.too', 'ads.below', 'no.posts', 'few.ads'];

describe('sponsored versus organic engagement', () => {
  let sub: TestSubgraph;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => sub.runtime.dataSource.query(sql, params);
  const ratioOf = async (handle: string) =>
    (await q<{ sponsored_ratio: number | null }>(`SELECT sponsored_ratio FROM creators WHERE handle = $1`, [handle]))[0].sponsored_ratio;
  const search = (variables: Record<string, unknown>) =>
    sub.query<{
      searchCreators: {
        edges: { cursor: string; node: { handle: string; sponsoredRatio: number | null } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(SEARCH, variables, identities.brandMember(id(900)));
  const handles = async (filter: Record<string, unknown> | undefined, sort = 'SPONSORED_RATIO') => {
    const r = await search({ filter, sort, first: 100 });
    expect(r.errors).toBeUndefined();
    return r.data!.searchCreators.edges.map((e) => e.node.handle);
  };

  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
    for (const f of FIXTURES) {
      const who = identities.creator(id(f.n));
      const p = await sub.query(PROFILE, { input: { handle: f.handle, displayName: f.handle, niches: ['beauty'], country: 'DE' } }, who);
      expect(p.errors).toBeUndefined();
      for (const a of f.accounts) {
        const r = await sub.query(ACCOUNT, { input: { handle: `${f.handle}.${a.platform.toLowerCase()}`, ...a } }, who);
        expect(r.errors).toBeUndefined();
      }
    }
  }, 60_000);
  afterAll(() => sub?.close());

  it('stores the ratio with what it rests on, and marks each post with its disclosures', async () => {
    const r = await sub.query<{ creator: Record<string, any> }>( // eslint-disable-line @typescript-eslint/no-explicit-any
      `query($id: ID!) { creator(id: $id) { sponsoredRatio accounts {
         sponsoredPerformance { ratio sponsoredPosts organicPosts sponsoredEngagementRate organicEngagementRate gap explanation }
         recentPosts(first: 50) { caption paidPartnership sponsored disclosureMarkers { marker kind language disclosure } } } } }`,
      { id: id(3) },
    );
    expect(r.errors).toBeUndefined();
    const [account] = r.data!.creator.accounts;
    expect(account.sponsoredPerformance).toMatchObject({ sponsoredPosts: 3, organicPosts: 4, gap: null });
    // (200 ÷ 10,000) × 100 = 2 % against 4 %.
    expect(account.sponsoredPerformance.sponsoredEngagementRate).toBeCloseTo(2, 6);
    expect(account.sponsoredPerformance.organicEngagementRate).toBeCloseTo(4, 6);
    expect(account.sponsoredPerformance.ratio).toBeCloseTo(0.5, 6);
    expect(account.sponsoredPerformance.explanation).toMatch(/^Sponsored posts engage 0\.50 × as much as organic ones/);
    expect(r.data!.creator.sponsoredRatio).toBeCloseTo(0.5, 6);

    const byCaption = Object.fromEntries(account.recentPosts.map((p: { caption: string }) => [p.caption, p]));
    expect(byCaption['New serum ✨#ad✨']).toMatchObject({
      sponsored: true,
      paidPartnership: null,
      disclosureMarkers: [{ marker: '#ad', kind: 'HASHTAG', language: 'en', disclosure: 'PAID' }],
    });
    expect(byCaption['Summer drop'].disclosureMarkers).toEqual([
      { marker: '#werbung', kind: 'HASHTAG', language: 'de', disclosure: 'PAID' },
    ]);
    expect(byCaption['Bezahlte Partnerschaft mit @marke'].disclosureMarkers[0]).toMatchObject({
      marker: 'bezahlte partnerschaft',
      kind: 'PHRASE',
    });
    for (const near of ['My #adidas haul', 'Weekend #adventure', 'not sponsored by anyone', 'link: https://shop.example/#ad']) {
      expect(byCaption[near]).toMatchObject({ sponsored: false, disclosureMarkers: [] });
    }

    const [stored] = await q<{ sponsored_performance: Record<string, unknown> }>(
      `SELECT sponsored_performance FROM platform_accounts WHERE creator_id = $1`,
      [id(3)],
    );
    expect(stored.sponsored_performance).toMatchObject({ sponsoredPosts: 3, organicPosts: 4, gap: null });
  });

  it('counts the platform label as a disclosure and gives no ratio, with the reason, below two posts a side', async () => {
    const r = await sub.query<{
      creator: { accounts: { sponsoredPerformance: Record<string, unknown>; recentPosts: Record<string, unknown>[] }[] };
    }>(
      `query($id: ID!) { creator(id: $id) { accounts { sponsoredPerformance { ratio sponsoredPosts organicPosts gap explanation }
         recentPosts(first: 50) { caption paidPartnership sponsored disclosureMarkers { kind } } } } }`,
      { id: id(2) },
    );
    const [account] = r.data!.creator.accounts;
    expect(account.recentPosts.find((p) => p.caption === 'Morning run')).toMatchObject({
      paidPartnership: true,
      sponsored: true,
      disclosureMarkers: [{ kind: 'PLATFORM_FLAG' }],
    });
    expect(account.sponsoredPerformance).toMatchObject({ sponsoredPosts: 4, organicPosts: 3 });

    const few = await sub.query<{
      creator: { sponsoredRatio: number | null; accounts: { sponsoredPerformance: Record<string, unknown> }[] };
    }>(
      `query($id: ID!) { creator(id: $id) { sponsoredRatio accounts { sponsoredPerformance { ratio sponsoredPosts gap explanation } } } }`,
      { id: id(5) },
    );
    expect(few.data!.creator.sponsoredRatio).toBeNull();
    expect(few.data!.creator.accounts[0].sponsoredPerformance).toEqual({
      ratio: null,
      sponsoredPosts: 1,
      gap: 'TOO_FEW_SPONSORED_POSTS',
      explanation: 'Not enough sponsored posts to compare: 1 of the 6 posts is sponsored; the ratio needs at least 2 posts of each kind.',
    });
    expect(await ratioOf('no.posts')).toBeNull();
  });

  it("puts the headline account's ratio on the creator, and follows it when accounts change", async () => {
    expect(await ratioOf('two.accounts')).toBeCloseTo(1.5, 6);
    const who = identities.creator(id(7));
    const removed = await sub.query(`mutation { removeMyPlatformAccount(platform: TIKTOK) }`, {}, who);
    expect(removed.errors).toBeUndefined();
    expect(await ratioOf('two.accounts')).toBeCloseTo(3, 6);
    const back = await sub.query(
      ACCOUNT,
      { input: { platform: 'TIKTOK', handle: 'two.accounts.tiktok', followers: 50_000, posts: posts(2, 1_500, 2, 1_000) } },
      who,
    );
    expect(back.errors).toBeUndefined();
    expect(await ratioOf('two.accounts')).toBeCloseTo(1.5, 6);
  });

  it('filters by a ratio range, bounds included, leaving out creators without a ratio', async () => {
    expect(await handles({ sponsoredRatio: { min: 1 } })).toEqual(['ads.above', 'two.accounts', 'ads.even']);
    expect(await handles({ sponsoredRatio: { max: 0.5 } })).toEqual(['ads.below.too', 'ads.below']);
    expect(await handles({ sponsoredRatio: { min: 0.5, max: 1 } })).toEqual(['ads.even', 'ads.below.too', 'ads.below']);
    expect(await handles({ sponsoredRatio: { min: 0 } })).toHaveLength(5);
    expect(await handles({ sponsoredRatio: { min: 2.5 } })).toEqual([]);
    // With another sort, and with other filters.
    expect(await handles({ sponsoredRatio: { min: 1 } }, 'FOLLOWERS')).toEqual(['two.accounts', 'ads.even', 'ads.above']);
    expect(await handles({ sponsoredRatio: { max: 1 }, platforms: ['TIKTOK'] })).toEqual(['ads.below.too']);
  });

  it('sorts by the ratio, highest first and creators without one last, in stable pages', async () => {
    expect(await handles(undefined)).toEqual(BY_RATIO);
    // With a filter, few matches are read through the filter and sorted (another plan): same order.
    expect(await handles({ niches: ['beauty'] })).toEqual(BY_RATIO);
    for (const filter of [undefined, { niches: ['beauty'] }]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const r = await search({ filter, sort: 'SPONSORED_RATIO', first: 2, after });
        expect(r.errors).toBeUndefined();
        seen.push(...r.data!.searchCreators.edges.map((e) => e.node.handle));
        if (!r.data!.searchCreators.pageInfo.hasNextPage) break;
        after = r.data!.searchCreators.pageInfo.endCursor;
      }
      expect(seen).toEqual(BY_RATIO);
    }
  });

  it('refuses nonsense with the field named, and writes nothing for a bad post', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: { sponsoredRatio: { min: 2, max: 1 } } }, 'filter.sponsoredRatio.min'],
      [{ filter: { sponsoredRatio: { min: -0.5 } } }, 'filter.sponsoredRatio.min'],
      [{ filter: { sponsoredRatio: { max: -1 } } }, 'filter.sponsoredRatio.max'],
      [{ filter: { sponsoredRatio: { max: 1e6 } } }, 'filter.sponsoredRatio.max'],
    ];
    for (const [variables, field] of cases) {
      const r = await search({ ...variables, sort: 'SPONSORED_RATIO' });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.errors?.[0].message).not.toMatch(/sponsored_ratio|SELECT|at .*\.ts/);
    }
    const notANumber = await search({ filter: { sponsoredRatio: { min: 'abc' } } });
    expect(notANumber.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const engagementPage = await search({ sort: 'ENGAGEMENT', first: 1 });
    const mixed = await search({ sort: 'SPONSORED_RATIO', after: engagementPage.data!.searchCreators.pageInfo.endCursor });
    expect(mixed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });

    const [before] = await q<{ posts: string }>(
      `SELECT recent_posts::text AS posts FROM platform_accounts WHERE handle = 'ads.even.instagram'`,
    );
    const bad = await sub.query(
      ACCOUNT,
      {
        input: {
          platform: 'INSTAGRAM',
          handle: 'ads.even.instagram',
          followers: 10_000,
          posts: [{ postedAt: day(1), format: 'REEL', likes: 1, comments: 0, paidPartnership: 'yes' }],
        },
      },
      identities.creator(id(2)),
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const [after] = await q<{ posts: string }>(
      `SELECT recent_posts::text AS posts FROM platform_accounts WHERE handle = 'ads.even.instagram'`,
    );
    expect(after.posts).toBe(before.posts);
  });

  it('stores the same through the bulk importer, refusing a label that is not a boolean', async () => {
    const record = {
      handle: 'imported.ads',
      displayName: 'Imported',
      niches: ['beauty'],
      accounts: [
        {
          platform: 'instagram',
          handle: 'imported.ads',
          followers: 8_000,
          posts: posts(3, 500, 3, 250).map((p) => ({ ...p, format: String(p.format).toLowerCase() })),
        },
      ],
    };
    const badLabel = {
      ...record,
      handle: 'bad.label',
      accounts: [{ ...record.accounts[0], handle: 'bad.label', posts: [{ ...record.accounts[0].posts[0], paidPartnership: 'yes' }] }],
    };
    const text = [JSON.stringify(record), JSON.stringify(badLabel)].join('\n');
    const summary = await importCreators(Readable.from([Buffer.from(text)]), 'ndjson', { databaseUrl: sub.config.databaseUrl });
    expect(summary.imported).toBe(1);
    expect(summary.errors).toEqual([{ line: 2, field: 'accounts.0.posts.0.paidPartnership', reason: 'must be true or false' }]);

    const parsed = parseRecord(creatorRecordSchema, record);
    if (!parsed.ok) throw new Error('the record is valid');
    const expected = accountMetrics(parsed.value.accounts[0], [], 'imported').sponsoredPerformance;
    const [stored] = await q<{ sponsored_performance: unknown; sponsored_ratio: number }>(
      `SELECT p.sponsored_performance, c.sponsored_ratio FROM platform_accounts p JOIN creators c ON c.id = p.creator_id WHERE c.handle = 'imported.ads'`,
    );
    expect(stored.sponsored_performance).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.ratio).toBeCloseTo(2, 6);
    expect(stored.sponsored_ratio).toBeCloseTo(2, 6);
    expect(await q(`SELECT 1 FROM creators WHERE handle = 'bad.label'`)).toHaveLength(0);

    // An update listing only a smaller account keeps the stored headline's ratio on the creator.
    const update = {
      ...record,
      accounts: [
        { platform: 'x', handle: 'imported.ads.x', followers: 100, posts: posts(2, 1, 2, 10).map((p) => ({ ...p, format: 'post' })) },
      ],
    };
    const updated = await importCreators(Readable.from([Buffer.from(JSON.stringify(update))]), 'ndjson', {
      databaseUrl: sub.config.databaseUrl,
    });
    expect(updated.updated).toBe(1);
    expect(await ratioOf('imported.ads')).toBeCloseTo(2, 6);
  });

  it('backfills existing rows by running the rule over their stored posts', async () => {
    const snapshot = () =>
      q<{ handle: string; platform: string; sponsored_performance: unknown; sponsored_ratio: number | null }>(
        `SELECT c.handle, p.platform, p.sponsored_performance, c.sponsored_ratio
           FROM platform_accounts p JOIN creators c ON c.id = p.creator_id ORDER BY c.handle, p.platform`,
      );
    const before = await snapshot();
    expect(before.filter((r) => r.sponsored_ratio !== null).length).toBeGreaterThan(3);
    const runner = sub.runtime.dataSource.createQueryRunner();
    try {
      const migration = new SponsoredPerformance1764900000000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await snapshot()).toEqual(before);
    const [index] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'creators_by_sponsored_ratio'`);
    expect(index.n).toBe(1);
  });

  it("shows the headline account's performance in the media kit's stats", async () => {
    const who = identities.creator(id(1));
    const set = await sub.query(`mutation { setMyMediaKit(input: { published: true, sections: [STATS] }) { published } }`, {}, who);
    expect(set.errors).toBeUndefined();
    const kit = await sub.query<{
      mediaKit: { stats: { sponsoredPerformance: { ratio: number; sponsoredPosts: number; organicPosts: number } } };
    }>(`{ mediaKit(handle: "ads.above") { stats { sponsoredPerformance { ratio sponsoredPosts organicPosts } } } }`, {}, null);
    expect(kit.errors).toBeUndefined();
    expect(kit.data!.mediaKit.stats.sponsoredPerformance).toEqual({ ratio: expect.closeTo(2, 6), sponsoredPosts: 2, organicPosts: 2 });
  });
});
