/**
 * Discovery search at scale (issue: "search that stays fast at a million creators").
 *
 *   pnpm build && node bench/dist/discovery-search.js [--count 1000000] [--seed 42] [--iterations 60]
 *                                                      [--reuse <database>] [--keep]
 *
 * 1. Generates and imports `count` synthetic creators into a database of its own (the discovery CLI),
 *    or reuses one (`--reuse`, e.g. kept from an earlier run with `--keep`).
 * 2. Runs a mix of realistic searches four ways, in the same run:
 *      baseline   the service's SQL for the page with index scans turned off (a sequential scan); for
 *                 audience match, the SQL that scores every match itself (the service's fallback);
 *      search     the service's search code in this process: the planner's estimate, its SQL and, for
 *                 audience match, the in-memory audience index, loaded as the service loads it;
 *      subgraph   the GraphQL query against the discovery process (signed identity, like the gateway);
 *      gateway    the GraphQL query through the gateway process with a real token.
 * 3. Samples the discovery process's resident memory while it serves.
 * Prints the figures and a markdown table; goals: subgraph p95 ≤ 30 ms, gateway p95 ≤ 50 ms,
 * search ≥ 50× faster than the scan, RSS < 300 MB.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  AudienceIndexSync,
  buildSearchSql,
  discoverySubgraph,
  estimateSql,
  fewMatchesIn,
  SearchCreatorsArgs,
  SearchService,
} from '@influenceflow/discovery';
import {
  createDataSource,
  createLogger,
  IDENTITY_HEADER,
  loadOrCreateDevIssuer,
  Outbox,
  RequestContext,
  SERVICE_CONNECTION_OPTIONS,
  signGatewayCall,
  type Identity,
} from '@influenceflow/kit';

import { freePort } from '@influenceflow/infra/dist/testing/test-kafka';
import { arg, benchKafka, flag, launch, markdownTable, ms, percentile, ROOT, rssMb, stopChild, timed, waitUntilAnswering } from './lib';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const SECRET = 'bench-signing-secret-that-is-long-enough-0123456789';

interface Case {
  name: string;
  args: SearchCreatorsArgs & { after?: string };
  /** Take `after` from the first page of this case (a second page). */
  pageTwoOf?: string;
}

/** Searches a brand would run: a niche and a size, an audience market, quality bars, keywords, a target. */
const CASES: Case[] = [
  {
    name: 'fitness micro creators, by engagement',
    args: { filter: { niches: ['fitness'], tiers: ['micro' as never] }, sort: 'engagement' as never },
  },
  { name: '…the same, page 2', args: {}, pageTwoOf: 'fitness micro creators, by engagement' },
  {
    name: 'Instagram, ≥ 30 % audience in the US, by followers',
    args: {
      filter: { platforms: ['instagram' as never], audienceCountries: [{ country: 'US', minPercent: 30 }] },
      sort: 'followers' as never,
    },
  },
  {
    name: 'healthy engagement 3–10 %, 10k–100k, authenticity ≥ 70, by authenticity',
    args: {
      filter: { engagementRate: { min: 3, max: 10 }, followers: { min: 10_000, max: 100_000 }, minAuthenticity: 70 },
      sort: 'authenticity' as never,
    },
  },
  { name: 'keyword "thrift", by engagement', args: { filter: { keywords: 'thrift' }, sort: 'engagement' as never } },
  {
    name: 'beauty, audience 18–34 ≥ 50 %, English, cheapest per engagement',
    args: {
      filter: { niches: ['beauty'], audienceAge: { buckets: ['18-24', '25-34'] as never, minPercent: 50 }, languages: ['en'] },
      sort: 'cost_per_engagement' as never,
    },
  },
  { name: 'by sponsored ratio (everyone)', args: { sort: 'sponsored_ratio' as never } },
  { name: '…by sponsored ratio, page 2', args: {}, pageTwoOf: 'by sponsored ratio (everyone)' },
  {
    name: 'beauty micro, paid posts engage ≥ 0.9 × their own, by sponsored ratio',
    args: { filter: { niches: ['beauty'], tiers: ['micro' as never], sponsoredRatio: { min: 0.9 } }, sort: 'sponsored_ratio' as never },
  },
  {
    name: 'travel creators in GB under $500 a post, by followers',
    args: { filter: { niches: ['travel'], countries: ['GB'], price: { maxMinor: 50_000, currency: 'USD' } }, sort: 'followers' as never },
  },
  {
    name: 'food micro, by audience match (US, 25–34, cooking)',
    args: {
      filter: { niches: ['food'], tiers: ['micro' as never] },
      sort: 'audience_match' as never,
      target: { countries: ['US'], ages: ['25-34'] as never, interests: ['cooking'] },
    },
  },
];

/** What a result list shows of each creator; the in-process search reads the same. */
const NODE_FIELDS = ['id', 'handle', 'followers', 'engagementRate', 'authenticityScore'];
const GRAPHQL = `query($filter: CreatorSearchFilter, $sort: CreatorSort, $target: AudienceTargetInput, $after: String) {
  searchCreators(filter: $filter, sort: $sort, target: $target, first: 20, after: $after) {
    edges { cursor node { ${NODE_FIELDS.join(' ')} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** GraphQL variables spell enums by name (MICRO), the service's args by value (micro). */
function variables(args: SearchCreatorsArgs & { after?: string }): Record<string, unknown> {
  const upper = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(upper)
      : typeof v === 'string'
        ? v.toUpperCase().replace(/-/g, '_').replace(/^(\d)/, 'AGE_$1').replace('+', '_PLUS')
        : v;
  const filter = args.filter ? JSON.parse(JSON.stringify(args.filter)) : undefined;
  if (filter?.tiers) filter.tiers = upper(filter.tiers);
  if (filter?.platforms) filter.platforms = upper(filter.platforms);
  if (filter?.audienceAge) filter.audienceAge.buckets = upper(filter.audienceAge.buckets);
  const target = args.target ? { ...args.target, ages: args.target.ages ? upper(args.target.ages) : undefined } : undefined;
  return { filter, sort: args.sort ? String(args.sort).toUpperCase() : undefined, target, after: args.after };
}

interface SearchResponse {
  data?: { searchCreators: { pageInfo: { endCursor: string } } };
  errors?: unknown[];
}

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<SearchResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return (await res.json()) as SearchResponse;
}

/** A call to the discovery subgraph as the gateway makes it: signed for this exact body. */
async function postSigned(url: string, identity: Identity, body: unknown): Promise<SearchResponse> {
  const text = JSON.stringify(body);
  const headers = { [IDENTITY_HEADER]: signGatewayCall(identity, { method: 'POST', subgraph: 'discovery', body: text }, SECRET) };
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
  return (await res.json()) as SearchResponse;
}

async function main(): Promise<void> {
  const count = Number(arg('count', '1000000'));
  const seed = arg('seed', '42');
  const iterations = Number(arg('iterations', '60'));
  const reuse = arg('reuse');
  const database = reuse ?? `influenceflow_bench_search_${Date.now()}`;
  const databaseUrl = `${SERVER}/${database}`;
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  const cleanups: (() => Promise<void>)[] = [];
  const rssSamples: number[] = [];

  try {
    if (!reuse) {
      await admin.query(`CREATE DATABASE ${database}`);
      if (!flag('keep')) cleanups.push(async () => void (await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)));
      console.error(`• generating and importing ${count.toLocaleString('en-US')} creators (seed ${seed}) into ${database}`);
      const [loadMs] = await timed(
        () =>
          new Promise<void>((resolve, reject) => {
            const cli = spawn(
              process.execPath,
              [join(ROOT, 'services/discovery/dist/cli.js'), 'seed', '--lite', '--count', String(count), '--seed', seed],
              {
                env: { ...process.env, DISCOVERY_DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
                stdio: ['ignore', 'inherit', 'inherit'],
              },
            );
            cli.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed exited with ${code}`))));
          }),
      );
      console.error(`  loaded in ${(loadMs / 1000).toFixed(1)} s`);
    }
    // The settings the service's connections use (shared/kit data-source).
    const db = new Client({ connectionString: databaseUrl, options: SERVICE_CONNECTION_OPTIONS });
    await db.connect();
    cleanups.unshift(() => db.end());
    // The import recorded creator.created for every creator; the benchmark measures search, not the relay.
    await db.query(`DELETE FROM outbox`);
    await db.query(`VACUUM ANALYZE`);
    const [{ n: creators }] = (await db.query(`SELECT count(*)::int AS n FROM creators`)).rows;
    const [{ size }] = (await db.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`)).rows;

    // A Kafka node of its own, then the discovery service and the gateway as real processes.
    const { brokers, topicPrefix, remove } = await benchKafka('bench');
    cleanups.unshift(remove);
    const discoveryPort = await freePort();
    const gatewayPort = await freePort();
    const keyDir = mkdtempSync(join(tmpdir(), 'bench-issuer-'));
    cleanups.push(async () => rmSync(keyDir, { recursive: true, force: true }));
    // Production refuses the development issuer: its keys are served here as the identity provider's.
    const issuer = await loadOrCreateDevIssuer(keyDir);
    const jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks)));
    const jwksPort = await freePort();
    await new Promise<void>((resolve) => jwks.listen(jwksPort, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => jwks.close(() => resolve())));
    const common = {
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      GATEWAY_SIGNING_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    };
    const discovery = launch('discovery', join(ROOT, 'services/discovery/dist/main.js'), {
      ...common,
      DISCOVERY_PORT: String(discoveryPort),
      DISCOVERY_DATABASE_URL: databaseUrl,
    });
    cleanups.unshift(() => stopChild(discovery));
    const discoveryUrl = `http://127.0.0.1:${discoveryPort}/graphql`;
    const unused = `http://127.0.0.1:9/graphql`; // searches never reach the other subgraphs
    const gateway = launch('gateway', join(ROOT, 'gateway/dist/main.js'), {
      ...common,
      GATEWAY_PORT: String(gatewayPort),
      DISCOVERY_URL: discoveryUrl,
      CAMPAIGN_URL: unused,
      CONTRACTS_URL: unused,
      PAYMENTS_URL: unused,
      ANALYTICS_URL: unused,
      JWKS_URL: `http://127.0.0.1:${jwksPort}/.well-known/jwks.json`,
    });
    cleanups.unshift(() => stopChild(gateway));
    await waitUntilAnswering(`http://127.0.0.1:${discoveryPort}/readyz`);
    await waitUntilAnswering(`http://127.0.0.1:${gatewayPort}/healthz`);
    const token = await issuer.sign({ sub: 'bench', roles: ['brand_member'], brandIds: [] });
    const identity = { sub: 'bench', roles: ['brand_member' as const], brandIds: [], creatorId: null };
    // The service's search code in this process, on its own connections and audience index.
    const logger = createLogger('bench', 'warn');
    const dataSource = createDataSource({
      url: databaseUrl,
      entities: discoverySubgraph.entities,
      migrations: discoverySubgraph.migrations,
      logger,
    });
    await dataSource.initialize();
    cleanups.unshift(() => dataSource.destroy());
    const audienceIndex = new AudienceIndexSync(dataSource, logger);
    await audienceIndex.start();
    cleanups.unshift(() => audienceIndex.stop());
    const runtime = { dataSource, outbox: new Outbox('discovery') };
    const searchService = new SearchService(audienceIndex);
    const fields = new Set(NODE_FIELDS);
    const searchInProcess = (args: SearchCreatorsArgs) =>
      searchService.search(new RequestContext('bench', identity, logger, runtime, {}), args, fields);

    const sampler = setInterval(() => rssSamples.push(rssMb(discovery.pid!)), 100);
    cleanups.unshift(async () => clearInterval(sampler));

    // Page two of a case starts where its first page ended.
    const firstPages = new Map<string, string>();
    for (const c of CASES.filter((x) => !x.pageTwoOf)) {
      const r = await postSigned(discoveryUrl, identity, { query: GRAPHQL, variables: variables(c.args) });
      if (r.errors) throw new Error(`${c.name}: ${JSON.stringify(r.errors)}`);
      firstPages.set(c.name, r.data!.searchCreators.pageInfo.endCursor);
    }
    const argsOf = (c: Case) =>
      c.pageTwoOf ? { ...CASES.find((x) => x.name === c.pageTwoOf)!.args, after: firstPages.get(c.pageTwoOf) } : c.args;

    const rows: (string | number)[][] = [];
    const all = { search: [] as number[], subgraph: [] as number[], gateway: [] as number[] };
    let slowestRatio = Infinity;
    for (const c of CASES) {
      const args = argsOf(c) as SearchCreatorsArgs;
      const byIndex = String(c.args.sort ?? '').toLowerCase() === 'audience_match';
      // The page's SQL as the service chooses it (after the planner's estimate); for audience match the
      // SQL that scores every match itself.
      const estimate = estimateSql(args);
      const fewMatches = estimate ? fewMatchesIn((await db.query(estimate.text, estimate.params)).rows) : false;
      const { text, params } = buildSearchSql(args, 'c.id, c.handle, c.followers, c.engagement_rate, c.authenticity_score', {
        fewMatches,
      });
      const [, seqRows] = await timed(() => db.query(text, params)); // warm-up
      for (let i = 0; i < 3; i++) await searchInProcess(args); // warm-up
      // The baseline (that SQL as a sequential scan) in rounds between the page's SQL and the service's
      // search, so the machine's ups and downs fall on both sides of the comparison.
      const scan: number[] = [];
      const sql: number[] = [];
      const search: number[] = [];
      const rounds = 5;
      for (let round = 0; round < rounds; round++) {
        await db.query(`SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off`);
        scan.push((await timed(() => db.query(text, params)))[0]);
        await db.query(`RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan`);
        for (let i = 0; i < iterations / rounds; i++) {
          if (!byIndex) sql.push((await timed(() => db.query(text, params)))[0]);
          search.push((await timed(() => searchInProcess(args)))[0]);
        }
      }
      const subgraph: number[] = [];
      const viaGateway: number[] = [];
      const body = { query: GRAPHQL, variables: variables(args) };
      for (let i = 0; i < iterations + 3; i++) {
        const [t, r] = await timed(() => postSigned(discoveryUrl, identity, body));
        if (r.errors) throw new Error(`${c.name}: ${JSON.stringify(r.errors)}`);
        if (i >= 3) subgraph.push(t);
        const [g, rg] = await timed(() => post(`http://127.0.0.1:${gatewayPort}/graphql`, { authorization: `Bearer ${token}` }, body));
        if (rg.errors) throw new Error(`${c.name} (gateway): ${JSON.stringify(rg.errors)}`);
        if (i >= 3) viaGateway.push(g);
      }
      const ratio = percentile(scan, 50) / percentile(search, 50);
      slowestRatio = Math.min(slowestRatio, ratio);
      all.search.push(...search);
      all.subgraph.push(...subgraph);
      all.gateway.push(...viaGateway);
      rows.push([
        c.name,
        seqRows.rowCount ?? 0,
        ms(percentile(scan, 50)),
        byIndex ? 'scored in memory' : `${ms(percentile(sql, 50))} / ${ms(percentile(sql, 95))}`,
        `${ms(percentile(search, 50))} / ${ms(percentile(search, 95))}`,
        `${ratio.toFixed(0)}×`,
        `${ms(percentile(subgraph, 50))} / ${ms(percentile(subgraph, 95))}`,
        `${ms(percentile(viaGateway, 50))} / ${ms(percentile(viaGateway, 95))}`,
      ]);
    }
    const maxRss = Math.max(...rssSamples.filter(Number.isFinite));
    const goal = (ok: boolean) => (ok ? '✔' : '✘');
    const subP95 = percentile(all.subgraph, 95);
    const gwP95 = percentile(all.gateway, 95);

    console.log(
      `\nDiscovery search: ${creators.toLocaleString('en-US')} creators (database ${size}), ${iterations} runs per query, ${new Date().toISOString().slice(0, 10)}\n`,
    );
    console.log(
      markdownTable(
        [
          'query',
          'rows (≤ 21)',
          'baseline: sequential scan p50',
          'page SQL p50 / p95',
          'search in-process p50 / p95',
          'speed-up (search)',
          'subgraph p50 / p95',
          'gateway p50 / p95',
        ],
        rows,
      ),
    );
    console.log('');
    console.log(
      markdownTable(
        ['goal', 'measured', ''],
        [
          ['subgraph p95 over the mix ≤ 30 ms', ms(subP95), goal(subP95 <= 30)],
          ['gateway p95 over the mix ≤ 50 ms', ms(gwP95), goal(gwP95 <= 50)],
          ['search ≥ 50× faster than a sequential scan (slowest query)', `${slowestRatio.toFixed(0)}×`, goal(slowestRatio >= 50)],
          ['discovery RSS while serving < 300 MB (max)', `${maxRss.toFixed(0)} MB`, goal(maxRss < 300)],
        ],
      ),
    );
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((err) => console.error(`cleanup: ${err.message}`));
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
