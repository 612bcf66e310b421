import { createLogger, RequestContext } from '@influenceflow/kit';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { Creator } from '../src/creators/creator.entity';
import { storedAudienceOf } from '../src/creators/search-profile.store';
import { importGenerated } from '../src/ingest/importer';
import { audienceMatch, AudienceTarget } from '../src/rules/audience-match';
import { discoverySubgraph } from '../src/schema';
import { AudienceIndexSync } from '../src/search/audience-index.sync';
import { loadAudienceIndex, loadAudienceIndexOutOfProcess } from '../src/search/audience-index.load';
import { IndexAudienceRanking, SearchRow, SqlAudienceRanking } from '../src/search/audience-ranking';
import { buildSearchSql } from '../src/search/search.sql';
import { creatorColumns } from '../src/search/search.service';
import { CreatorSort, SearchCreatorsArgs } from '../src/search/search.types';
import { Tier } from '../src/rules/tier';

const TARGETS: AudienceTarget[] = [
  { countries: ['US'], ages: ['25-34'], interests: ['cooking'] },
  { countries: ['GB', 'DE', 'BR'], interests: ['travel', 'fitness', 'gaming'], platforms: ['tiktok', 'youtube'] },
  { genders: ['female'], ages: ['18-24', '13-17'] },
  { interests: ['  Cooking ', 'baking'], platforms: ['instagram'] },
];
const FILTERS: SearchCreatorsArgs['filter'][] = [
  { niches: ['food'] },
  { niches: ['travel', 'fitness'], tiers: [Tier.MICRO] },
  { niches: ['beauty', 'gaming'], minAuthenticity: 40 },
  { platforms: ['youtube'], followers: { min: 30_000 } },
];

/**
 * Audience match is ranked two ways behind one interface: PostgreSQL scoring every match (SQL built from
 * the rule's parts) and the in-memory audience index (scored from the same parts). Both rank the same
 * creators in the rule's order (shares are held to 1/65,535 in memory, so scores agree to 0.01).
 */
describe('audience-match ranking: SQL and in memory', () => {
  let sub: TestSubgraph;
  let sync: AudienceIndexSync;
  let ctx: RequestContext;

  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
    await importGenerated({ count: 300, seed: 'audience-ranking', lite: true }, { databaseUrl: sub.config.databaseUrl });
    sync = new AudienceIndexSync(sub.runtime.dataSource, createLogger('discovery', 'silent'));
    await sync.start();
    ctx = new RequestContext(
      'test',
      identities.brandMember('00000000-0000-4000-8000-000000000901'),
      createLogger('test', 'silent'),
      sub.runtime,
      {},
    );
  }, 120_000);
  afterAll(async () => {
    await sync?.stop();
    await sub?.close();
  });

  const ruleScore = (row: SearchRow, target: AudienceTarget) => {
    const creator = Object.assign(new Creator(), {
      platforms: row.platforms,
      audienceAges: row.audience_ages,
      audienceGenders: row.audience_genders,
      audienceCountries: row.audience_countries,
      audienceInterests: row.audience_interests,
    });
    const match = audienceMatch(target, storedAudienceOf(creator), creator.platforms);
    return 100 * match.parts.reduce((s, p) => s + p.weight * p.value, 0);
  };

  it.each(TARGETS.flatMap((target, t) => FILTERS.map((filter, f) => [t, f, target, filter] as const)))(
    'target %i, filter %i: the same creators, in the rule’s order, both ways',
    async (_t, _f, target, filter) => {
      const args: SearchCreatorsArgs = { sort: CreatorSort.AUDIENCE_MATCH, target, filter, first: 100 };
      const columns = creatorColumns(sub.runtime.dataSource);
      const built = buildSearchSql(args, columns);
      const bySql = await new SqlAudienceRanking().page(ctx, args, built, columns);
      const byIndex = await new IndexAudienceRanking(sync).page(ctx, args, built, columns);
      expect(bySql.length).toBeGreaterThan(3);
      expect(bySql.length).toBeLessThanOrEqual(100); // every match: the sets compare whole
      expect(new Set(byIndex.map((r) => r.id))).toEqual(new Set(bySql.map((r) => r.id)));
      for (const rows of [bySql, byIndex]) {
        const scores = rows.map((r) => ruleScore(r, target));
        rows.forEach((r, i) => expect(Math.abs(Number(r.sort_value) - scores[i])).toBeLessThan(0.01));
        for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThan(scores[i - 1] + 0.01);
      }
    },
  );

  it('loads in a child process the same index an in-process load reads', async () => {
    const ds = sub.runtime.dataSource;
    const url = (ds.options as { url?: string }).url;
    const child = await loadAudienceIndexOutOfProcess({ url, options: '' });
    const here = await loadAudienceIndex((text, params) => ds.query(text, params));
    expect(child.size).toBe(here.size);
    expect(child.size).toBe(300);
    for (const target of TARGETS) {
      const a = child.scoreAll(target)!;
      const b = here.scoreAll(target)!;
      expect(Array.from(a.scores.subarray(0, child.size))).toEqual(Array.from(b.scores.subarray(0, here.size)));
      expect([...child.ranked(a, null, 50)].flat().map((s) => child.idAt(s))).toEqual(
        [...here.ranked(b, null, 50)].flat().map((s) => here.idAt(s)),
      );
    }
    await expect(loadAudienceIndexOutOfProcess({ options: '' })).rejects.toThrow('connects by URL');
  });
});
