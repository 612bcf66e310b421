import { createLogger, RunningSubgraph, startSubgraph } from '@influenceflow/kit';
import {
  eventually,
  gatewayCallHeaders,
  GraphQLResponse,
  identities,
  startTestSubgraph,
  testServiceConfig,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { importGenerated } from '../src/ingest/importer';
import type { AudienceIndex } from '../src/search/audience-index';
import { AudienceIndexSync } from '../src/search/audience-index.sync';
import { SEARCH_THRESHOLDS } from '../src/search/search.sql';
import { discoverySubgraph } from '../src/schema';

const SEARCH = `query($filter: CreatorSearchFilter, $target: AudienceTargetInput, $first: Int, $after: String) {
  searchCreators(filter: $filter, sort: AUDIENCE_MATCH, target: $target, first: $first, after: $after) {
    edges { node { id handle niches } audienceMatch { score } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`;
const TARGET = { countries: ['US'], ages: ['AGE_25_34'], interests: ['cooking'], platforms: ['INSTAGRAM'] };
const BRAND = identities.brandMember('00000000-0000-4000-8000-000000000900');
/** An audience that matches TARGET completely: score 100. */
const PERFECT = {
  countries: [{ country: 'US', percent: 100 }],
  ages: [{ ageBucket: 'AGE_25_34', percent: 100 }],
  interests: ['Cooking'],
};

type Edge = { node: { id: string; handle: string; niches: string[] }; audienceMatch: { score: number } };
type Page = { searchCreators: { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };

/** Two discovery processes on one database, as a deployment with two replicas runs. */
describe('audience-match search (in-memory audience index)', () => {
  let first: TestSubgraph;
  let second: RunningSubgraph;

  const query = async <T>(on: RunningSubgraph, q: string, variables: Record<string, unknown>, who = BRAND) => {
    const body = JSON.stringify({ query: q, variables });
    const res = await fetch(on.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...gatewayCallHeaders('discovery', body, who, first.config.gatewaySigningSecret) },
      body,
    });
    return (await res.json()) as GraphQLResponse<T>;
  };
  /** Every matching creator, page by page. */
  async function walk(on: RunningSubgraph, filter?: Record<string, unknown>, pageSize = 37): Promise<Edge[]> {
    const edges: Edge[] = [];
    let after: string | null = null;
    for (;;) {
      const r: GraphQLResponse<Page> = await query<Page>(on, SEARCH, { target: TARGET, filter, first: pageSize, after });
      expect(r.errors).toBeUndefined();
      edges.push(...r.data!.searchCreators.edges);
      if (!r.data!.searchCreators.pageInfo.hasNextPage) return edges;
      after = r.data!.searchCreators.pageInfo.endCursor;
    }
  }
  const count = async (where = 'true') =>
    (await first.runtime.dataSource.query(`SELECT count(*)::int AS n FROM creators c WHERE ${where}`))[0].n as number;

  beforeAll(async () => {
    first = await startTestSubgraph(discoverySubgraph);
    // Imported after the first process loaded its (empty) index: it learns of them by catching up.
    await importGenerated({ count: 400, seed: 'audience-index', lite: true }, { databaseUrl: first.config.databaseUrl });
    const config = testServiceConfig('discovery', first.config.databaseUrl);
    second = await startSubgraph(discoverySubgraph, config, { logger: createLogger('discovery', config.logLevel) });
    await second.ready();
  }, 120_000);
  afterAll(async () => {
    await second?.stop();
    await first?.close();
  });

  it('pages through every creator once, best match first, the same on both processes', async () => {
    const edges = await walk(first);
    expect(edges).toHaveLength(await count());
    expect(new Set(edges.map((e) => e.node.id)).size).toBe(edges.length);
    const scores = edges.map((e) => e.audienceMatch.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(scores[scores.length - 1]);
    // The second process loaded its index in one go; the first caught up row by row: same ranking.
    expect((await walk(second, undefined, 50)).map((e) => e.node.id)).toEqual(edges.map((e) => e.node.id));
  });

  it('ranks a filtered search as the unfiltered one, keeping only the matches', async () => {
    const all = await walk(first, undefined, 100);
    const food = all.filter((e) => e.node.niches.includes('food'));
    expect(food.length).toBe(await count(`'food' = ANY(c.niches)`));
    expect(food.length).toBeGreaterThan(5);
    expect((await walk(second, { niches: ['food'] }, 4)).map((e) => e.node.id)).toEqual(food.map((e) => e.node.id));
  });

  it.each([
    [
      'niches, platforms and tiers: applied by the index alone',
      { niches: ['food', 'travel'], platforms: ['INSTAGRAM', 'TIKTOK'], tiers: ['NANO', 'MICRO'] },
      `c.niches && '{food,travel}' AND c.platforms && '{instagram,tiktok}' AND c.followers < 100000`,
    ],
    [
      'a follower range and a niche, with authenticity checked by PostgreSQL',
      { niches: ['fitness', 'food'], followers: { min: 8_000 }, minAuthenticity: 40 },
      `c.niches && '{fitness,food}' AND c.followers >= 8000 AND c.authenticity_score >= 40`,
    ],
  ])('ranks by %s as the unfiltered search, keeping only the matches', async (_name, filter, where) => {
    const all = await walk(first, undefined, 100);
    const matching = new Set(
      (await first.runtime.dataSource.query(`SELECT id FROM creators c WHERE ${where}`)).map((r: { id: string }) => r.id),
    );
    expect(matching.size).toBeGreaterThan(5);
    expect(matching.size).toBeLessThan(all.length);
    const expected = all.filter((e) => matching.has(e.node.id)).map((e) => e.node.id);
    expect((await walk(second, filter, 6)).map((e) => e.node.id)).toEqual(expected);
  });

  describe('with many matches (thresholds lowered)', () => {
    const saved = { ...SEARCH_THRESHOLDS };
    afterEach(() => Object.assign(SEARCH_THRESHOLDS, saved));
    const filter = { niches: ['fitness', 'food', 'travel'], minAuthenticity: 40 };
    const where = `c.niches && '{fitness,food,travel}' AND c.authenticity_score >= 40`;

    it.each([
      ['walks the best-scored candidates, PostgreSQL checking them in growing batches', { maxWalk: 100_000 }],
      ['gives up walking after maxWalk checks and ranks every match instead', { maxWalk: 10 }],
    ])('%s: the same order', async (_name, thresholds) => {
      const all = await walk(first, undefined, 100);
      const matching = new Set(
        (await first.runtime.dataSource.query(`SELECT id FROM creators c WHERE ${where}`)).map((r: { id: string }) => r.id),
      );
      Object.assign(SEARCH_THRESHOLDS, { fewMatches: 0, rankBatch: 16, maxStep: 20 }, thresholds);
      expect((await walk(first, filter, 5)).map((e) => e.node.id)).toEqual(
        all.filter((e) => matching.has(e.node.id)).map((e) => e.node.id),
      );
    });
  });

  it('ranks a changed audience and a new creator by the next search, on the other process too', async () => {
    const before = await walk(second, undefined, 100);
    const last = before[before.length - 1].node;
    const platform = (
      await first.runtime.dataSource.query(`SELECT platform, handle FROM platform_accounts WHERE creator_id = $1 LIMIT 1`, [last.id])
    )[0];
    const changed = await query(
      first,
      ACCOUNT,
      { input: { platform: 'INSTAGRAM', handle: `${platform.handle}.ig`, followers: 50_000_000, engagementRate: 3, audience: PERFECT } },
      identities.creator(last.id),
    );
    expect(changed.errors).toBeUndefined();
    const top = (await walk(second, undefined, 100))[0];
    expect(top.node.id).toBe(last.id);
    expect(top.audienceMatch.score).toBe(100);
    // Its followers changed too: the index's tier filter sees it at once.
    expect((await walk(second, { tiers: ['MEGA'] }, 100)).map((e) => e.node.id)).toContain(last.id);

    const newcomer = '00000000-0000-4000-8000-000000000777';
    const who = identities.creator(newcomer);
    const p = await query(
      second,
      PROFILE,
      { input: { handle: 'new.cook', displayName: 'New Cook', niches: ['food'], country: 'US' } },
      who,
    );
    expect(p.errors).toBeUndefined();
    const a = await query(
      second,
      ACCOUNT,
      { input: { platform: 'INSTAGRAM', handle: 'new.cook', followers: 20_000, audience: PERFECT } },
      who,
    );
    expect(a.errors).toBeUndefined();
    const onFirst = await walk(first, undefined, 100);
    expect(onFirst.slice(0, 2).map((e) => e.node.id)).toEqual([last.id, newcomer].sort().reverse()); // a tie at 100: by id, highest first
    expect(onFirst).toHaveLength(await count());
    expect((await walk(first, { niches: ['food'] }, 100))[0].node.id).toBe(newcomer);
  });

  it('rebuilds its index from the database once enough changes have piled up outside its lists', async () => {
    const logger = createLogger('discovery', 'silent');
    const sync = new AudienceIndexSync(first.runtime.dataSource, logger, () => 10);
    await sync.start();
    try {
      const loaded = (await sync.current())!;
      expect(loaded.size).toBe(await count());
      await first.runtime.dataSource.query(
        `UPDATE creators SET audience_interests = audience_interests || '{knitting}'::text[] WHERE id IN (SELECT id FROM creators LIMIT 30)`,
      );
      // Caught up, over the limit: a rebuild starts. At least the 30: the horizon is the oldest transaction
      // running anywhere on the server (xids are cluster-wide), so rows of earlier tests may be read again.
      expect((await sync.current())!.overlaySize).toBeGreaterThanOrEqual(30);
      // Watched without catching up: a catch-up after the swap may read the same rows again into the new
      // index's overlay (the horizon again), which is right but would hide what the rebuild itself holds.
      const rebuilt = await eventually(async () => sync.loaded !== loaded && sync.loaded);
      expect(rebuilt!.overlaySize).toBe(0);
      expect(rebuilt!.size).toBe(await count());
      const knitting = (index: AudienceIndex) => index.scoreAll({ interests: ['knitting'] })!.scores.filter((s) => s === 100);
      expect(knitting(rebuilt!)).toHaveLength(30);
      // Reading rows again changes no score.
      expect(knitting((await sync.current())!)).toHaveLength(30);
    } finally {
      await sync.stop();
    }
  });

  it('refuses a cursor that is not one of its own', async () => {
    const bad = Buffer.from(JSON.stringify(['audience_match', '50', 'not-a-uuid'])).toString('base64url');
    const r = await query(first, SEARCH, { target: TARGET, after: bad });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
