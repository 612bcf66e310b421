/**
 * The gateway under load (issue 16, "Speed"): a fixed mix of queries through the gateway, beside the same
 * one-subgraph reads sent straight to the subgraph (signed as the gateway signs them) and a bare Node HTTP
 * server answering a fixed JSON, all in one run with the same load generator.
 *
 *   pnpm build && node bench/dist/gateway.js [--seconds 10] [--connections 16] [--rounds 2]
 *                                            [--baseline <a gateway's dist/main.js>] [--profile <dir>]
 *
 * 1. Three fresh databases (discovery, campaign, contracts; each migrated by its service), a Kafka node of
 *    its own, the three subgraphs as real processes in production mode, and the gateway (this checkout's)
 *    with a JWKS served by the benchmark, so tokens are real ES256 JWTs verified as in production.
 *    `--baseline` starts a second gateway from another build (e.g. main's, built in a copy) beside it.
 * 2. Seeds 200 creators (the discovery seed generator) and 50 partnerships of one brand with them.
 * 3. Runs, `--rounds` times, each for `--seconds` with `--connections` keep-alive connections:
 *      bare      a bare `http.createServer` answering a fixed JSON (the floor of Node HTTP on this machine);
 *      subgraph  the one-subgraph reads posted straight to discovery, each signed as the gateway signs;
 *      gateway   the same one-subgraph reads through each gateway, then the mix:
 *                6 in 10 one-subgraph reads (a creator by id), 2 a partnership across three subgraphs
 *                (campaign → discovery's creator, contracts' contract), 2 a search (discovery).
 *    The one-subgraph reads also run on one connection, direct and through each gateway: the latency the
 *    gateway adds, without queueing. Every answer must be 200 without errors. The CPU of the gateway and subgraph processes is read from
 *    /proc over each run's window.
 * 4. `--profile <dir>`: the gateway of this checkout runs under `node --cpu-prof` and writes its profile
 *    there when the benchmark stops it (the top self-time functions are printed).
 * Prints the figures and a markdown table; goals: the gateway's mix ≥ 2× the baseline's throughput at an
 * equal or lower p99, and its p50 over a direct subgraph call ≤ 2 ms for one-subgraph reads.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { IDENTITY_HEADER, loadOrCreateDevIssuer, signGatewayCall, type Identity } from '@influenceflow/kit';
import { freePort } from '@influenceflow/infra/dist/testing/test-kafka';
import {
  arg,
  benchKafka,
  launch,
  LoadRequest,
  LoadResult,
  markdownTable,
  ms,
  percentile,
  postLoad,
  ROOT,
  stopChild,
  waitUntilAnswering,
} from './lib';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const SECRET = 'bench-signing-secret-that-is-long-enough-0123456789';
const CREATORS = 200;
const PARTNERSHIPS = 50;

const CREATOR_QUERY = `query Creator($id: ID!) { creator(id: $id) { id handle displayName followers engagementRate tier } }`;
const PARTNERSHIP_QUERY = `query Partnership($id: ID!) {
  partnership(id: $id) { id status fee { amountMinor currency } creator { id handle followers } contract { id status } }
}`;
const SEARCH_QUERY = `query Search($filter: CreatorSearchFilter) {
  searchCreators(filter: $filter, first: 10) { edges { node { id handle followers engagementRate } } pageInfo { hasNextPage endCursor } }
}`;
const NICHES = ['fitness', 'beauty', 'food', 'travel', 'gaming'];

/** The bare server's answer: about the size of a creator read's. */
const BARE_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ data: { creator: { id: '00000000-0000-4000-8000-000000000001', handle: 'bench', displayName: 'Bench', followers: 12345, engagementRate: 3.2, tier: 'MICRO' } } });
http.createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body)); })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('listening\\n'));
`;

interface Row {
  target: string;
  round: number;
  result: LoadResult;
}

/**
 * Functions by self time in a .cpuprofile (V8's format: sampled nodes with a callFrame), counting only the
 * samples taken inside `windows` (µs of the monotonic clock, as process.hrtime and V8's profiler read it),
 * idle time left out.
 */
function topSelfTime(file: string, windows: [number, number][], n: number): { name: string; share: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    startTime: number;
    samples: number[];
    timeDeltas: number[];
  };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (!windows.some(([from, to]) => t >= from && t <= to)) continue;
    const { functionName, url, lineNumber } = nodes.get(profile.samples[i])!.callFrame;
    if (functionName === '(idle)') continue;
    total++;
    const where = url
      .replace(/^file:\/\//, '')
      .replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
      .replace(`${ROOT}/`, '');
    const name = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    hits.set(name, (hits.get(name) ?? 0) + 1);
  }
  return [...hits.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, count]) => ({ name, share: count / total }));
}

async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '10'));
  const connections = Number(arg('connections', '16'));
  const rounds = Number(arg('rounds', '2'));
  const baselineScript = arg('baseline');
  const profileDir = arg('profile');
  const stamp = Date.now();
  const databases = {
    discovery: `influenceflow_bench_gw_discovery_${stamp}`,
    campaign: `influenceflow_bench_gw_campaign_${stamp}`,
    contracts: `influenceflow_bench_gw_contracts_${stamp}`,
  };
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  const cleanups: (() => Promise<void>)[] = [];
  try {
    for (const db of Object.values(databases)) {
      await admin.query(`CREATE DATABASE ${db}`);
      cleanups.push(async () => void (await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)));
    }
    console.error(`• seeding ${CREATORS} creators`);
    await new Promise<void>((done, fail) => {
      const cli = spawn(
        process.execPath,
        [join(ROOT, 'services/discovery/dist/cli.js'), 'seed', '--lite', '--count', String(CREATORS), '--seed', '7'],
        {
          env: { ...process.env, DISCOVERY_DATABASE_URL: `${SERVER}/${databases.discovery}`, LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      cli.once('exit', (code) => (code === 0 ? done() : fail(new Error(`seed exited with ${code}`))));
    });
    const discoveryDb = new Client({ connectionString: `${SERVER}/${databases.discovery}` });
    await discoveryDb.connect();
    cleanups.unshift(() => discoveryDb.end());
    // The seed's creator.created events would reach campaign too; the benchmark writes its copies itself.
    await discoveryDb.query(`DELETE FROM outbox`);
    const creators = (await discoveryDb.query(`SELECT id, handle, display_name FROM creators ORDER BY id`)).rows as {
      id: string;
      handle: string;
      display_name: string;
    }[];

    const { brokers, topicPrefix, remove } = await benchKafka('benchgateway');
    cleanups.unshift(remove);
    const keyDir = mkdtempSync(join(tmpdir(), 'bench-issuer-'));
    cleanups.push(async () => rmSync(keyDir, { recursive: true, force: true }));
    // Production refuses the development issuer: its keys are served here as the identity provider's.
    const issuer = await loadOrCreateDevIssuer(keyDir);
    const jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks)));
    const jwksPort = await freePort();
    await new Promise<void>((done) => jwks.listen(jwksPort, '127.0.0.1', done));
    cleanups.push(() => new Promise<void>((done) => jwks.close(() => done())));
    const common = {
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      GATEWAY_SIGNING_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    };

    const ports = { discovery: await freePort(), campaign: await freePort(), contracts: await freePort() };
    const subgraphs = Object.fromEntries(
      (Object.keys(ports) as (keyof typeof ports)[]).map((name) => {
        const P = name.toUpperCase();
        const child = launch(name, join(ROOT, `services/${name}/dist/main.js`), {
          ...common,
          [`${P}_PORT`]: String(ports[name]),
          [`${P}_DATABASE_URL`]: `${SERVER}/${databases[name]}`,
          // production contracts need a sealing certificate; the mix only reads a partnership's contract
          ...(name === 'contracts' ? { NODE_ENV: 'development' } : {}),
          // production campaign refuses the development key its webhook secrets are sealed with
          ...(name === 'campaign' ? { WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') } : {}),
        });
        cleanups.unshift(() => stopChild(child));
        return [name, child];
      }),
    );
    for (const port of Object.values(ports)) await waitUntilAnswering(`http://127.0.0.1:${port}/readyz`);

    // One brand with a campaign and PARTNERSHIPS partnerships, written straight into the migrated database.
    const campaignDb = new Client({ connectionString: `${SERVER}/${databases.campaign}` });
    await campaignDb.connect();
    cleanups.unshift(() => campaignDb.end());
    const [{ id: brandId }] = (
      await campaignDb.query(`INSERT INTO brands (name, website_url) VALUES ('Bench', 'https://shop.example') RETURNING id`)
    ).rows;
    const [{ id: campaignId }] = (
      await campaignDb.query(
        `INSERT INTO campaigns (brand_id, name, goal_type, goal_target, budget_minor, currency, starts_on, ends_on)
         VALUES ($1, 'Bench', 'traffic', 1000, 0, 'USD', '2027-01-01', '2027-02-01') RETURNING id`,
        [brandId],
      )
    ).rows;
    const partnershipIds: string[] = [];
    for (const [i, c] of creators.slice(0, PARTNERSHIPS).entries()) {
      await campaignDb.query(`INSERT INTO creators (id, handle, display_name) VALUES ($1, $2, $3)`, [c.id, c.handle, c.display_name]);
      const [{ id }] = (
        await campaignDb.query(
          `INSERT INTO partnerships (campaign_id, brand_id, creator_id, status, deliverables, fee_minor, currency, invited_by, discount_code, link_slug, link_target)
           VALUES ($1, $2, $3, 'accepted', '[]', 50000, 'USD', 'bench', $4, $5, 'https://shop.example/') RETURNING id`,
          [campaignId, brandId, c.id, `BENCH${i}`, `benchlink-${String(i).padStart(8, '0')}`],
        )
      ).rows;
      partnershipIds.push(id);
    }

    const subgraphUrls = {
      DISCOVERY_URL: `http://127.0.0.1:${ports.discovery}/graphql`,
      CAMPAIGN_URL: `http://127.0.0.1:${ports.campaign}/graphql`,
      CONTRACTS_URL: `http://127.0.0.1:${ports.contracts}/graphql`,
      PAYMENTS_URL: 'http://127.0.0.1:9/graphql', // the mix never reaches payments or analytics
      ANALYTICS_URL: 'http://127.0.0.1:9/graphql',
    };
    const gateways: { name: string; port: number; pid?: number }[] = [];
    const startGateway = async (name: string, script: string, nodeArgs: string[]) => {
      const port = await freePort();
      const child = launch(
        name,
        script,
        {
          ...common,
          ...subgraphUrls,
          GATEWAY_PORT: String(port),
          JWKS_URL: `http://127.0.0.1:${jwksPort}/.well-known/jwks.json`,
          // production's limiter stays on (its cost is part of a request), high enough for one token's load
          GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
        },
        nodeArgs,
      );
      cleanups.unshift(() => stopChild(child));
      await waitUntilAnswering(`http://127.0.0.1:${port}/healthz`);
      gateways.push({ name, port, pid: child.pid });
    };
    if (baselineScript) await startGateway('gateway (baseline)', resolve(baselineScript), []);
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    await startGateway(
      'gateway',
      join(ROOT, 'gateway/dist/main.js'),
      profileDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(profileDir)] : [],
    );

    const barePort = await freePort();
    const bare = spawn(process.execPath, ['-e', BARE_SERVER], {
      env: { ...process.env, PORT: String(barePort) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanups.unshift(() => stopChild(bare));
    await new Promise<void>((done) => bare.stderr!.once('data', () => done()));

    const token = await issuer.sign({ sub: 'bench-member', roles: ['brand_member'], brandIds: [brandId] });
    const identity: Identity = { sub: 'bench-member', roles: ['brand_member'], brandIds: [brandId], creatorId: null };
    const bearer = { authorization: `Bearer ${token}` };
    const pick = <T>(list: T[], i: number) => list[i % list.length];
    const creatorRead = (c: number, i: number) =>
      JSON.stringify({ query: CREATOR_QUERY, variables: { id: pick(creators, c * 7919 + i).id } });
    /** The mix, the same sequence for every target: 6 creator reads, 2 partnerships, 2 searches in 10. */
    const mix = (c: number, i: number): LoadRequest => {
      const slot = (c + i) % 10;
      if (slot < 6) return { kind: 'creator (1 subgraph)', path: '/graphql', headers: bearer, body: creatorRead(c, i) };
      if (slot < 8) {
        const body = JSON.stringify({ query: PARTNERSHIP_QUERY, variables: { id: pick(partnershipIds, c * 31 + i) } });
        return { kind: 'partnership (3 subgraphs)', path: '/graphql', headers: bearer, body };
      }
      const body = JSON.stringify({ query: SEARCH_QUERY, variables: { filter: { niches: [pick(NICHES, c + i)] } } });
      return { kind: 'search', path: '/graphql', headers: bearer, body };
    };
    const reads = (c: number, i: number): LoadRequest => ({
      kind: 'creator (1 subgraph)',
      path: '/graphql',
      headers: bearer,
      body: creatorRead(c, i),
    });
    /** Straight to discovery, signed for this body as the gateway signs a call (identity and client). */
    const direct = (c: number, i: number): LoadRequest => {
      const body = creatorRead(c, i);
      const signature = signGatewayCall(
        identity,
        { method: 'POST', subgraph: 'discovery', body, client: { ip: '127.0.0.1', userAgent: null } },
        SECRET,
      );
      return { kind: 'creator (1 subgraph)', path: '/graphql', headers: { [IDENTITY_HEADER]: signature }, body };
    };
    const watch = {
      discovery: subgraphs.discovery.pid,
      campaign: subgraphs.campaign.pid,
      contracts: subgraphs.contracts.pid,
      ...Object.fromEntries(gateways.map((g) => [g.name, g.pid])),
    };

    // Warm-up: every query through every gateway (plans cached, JIT warm), and a short load each.
    for (const g of gateways) {
      const warm = await postLoad({ port: g.port, seconds: 3, connections, next: mix });
      if (warm.failed) throw new Error(`${g.name} warm-up: ${warm.failed} failed, e.g. ${warm.firstFailure}`);
    }
    const warmDirect = await postLoad({ port: ports.discovery, seconds: 2, connections, next: direct });
    if (warmDirect.failed) throw new Error(`subgraph warm-up: ${warmDirect.failed} failed, e.g. ${warmDirect.firstFailure}`);

    const rows: Row[] = [];
    /** When this checkout's gateway was under load (µs, monotonic): the profile's samples that count. */
    const profiled: [number, number][] = [];
    const micros = () => Number(process.hrtime.bigint() / 1000n);
    const run = async (
      target: string,
      round: number,
      port: number,
      next: (c: number, i: number) => LoadRequest,
      options: { accept?: (s: number, b: string) => boolean; connections?: number } = {},
    ) => {
      const n = options.connections ?? connections;
      console.error(`• round ${round}: ${target}, ${n} connection(s), ${seconds} s`);
      const from = micros();
      const result = await postLoad({ port, seconds, connections: n, next, accept: options.accept, watch });
      if (target.startsWith('gateway:')) profiled.push([from, micros()]);
      if (result.failed) console.error(`  ${result.failed} failed, e.g. ${result.firstFailure}`);
      rows.push({ target, round, result });
    };
    for (let round = 1; round <= rounds; round++) {
      await run('bare Node http server, fixed JSON', round, barePort, reads, { accept: (s) => s === 200 });
      // one connection: the latency a request adds, without queueing behind others
      await run('discovery subgraph, direct (signed): creator reads, 1 connection', round, ports.discovery, direct, { connections: 1 });
      // alternate the order of the gateways from round to round: the machine's drift falls on both
      const order = round % 2 ? gateways : [...gateways].reverse();
      for (const g of order) await run(`${g.name}: creator reads, 1 connection`, round, g.port, reads, { connections: 1 });
      await run('discovery subgraph, direct (signed): creator reads', round, ports.discovery, direct);
      for (const g of order) await run(`${g.name}: creator reads`, round, g.port, reads);
      for (const g of order) await run(`${g.name}: mix`, round, g.port, mix);
    }

    const rate = (r: LoadResult) => r.requests / r.seconds;
    const cpuShare = (r: LoadResult, name: string) =>
      Number.isFinite(r.cpu[name]) ? `${Math.round((r.cpu[name] / r.seconds) * 100)} %` : '—';
    const gatewayOf = (target: string) => gateways.find((g) => target.startsWith(`${g.name}:`))?.name;
    const date = new Date().toISOString().slice(0, 10);
    console.log(`\nGateway under load: ${connections} keep-alive connections, ${seconds} s a run, ${rounds} round(s), ${date}\n`);
    console.log(
      markdownTable(
        [
          'round',
          'target',
          'requests',
          'requests/s',
          'p50',
          'p95',
          'p99',
          'failed',
          'gateway CPU',
          'gateway CPU a request',
          'discovery CPU',
          'campaign + contracts CPU',
        ],
        rows.map(({ target, round, result: r }) => {
          const g = gatewayOf(target);
          const others = (r.cpu.campaign ?? NaN) + (r.cpu.contracts ?? NaN);
          return [
            round,
            target,
            r.requests.toLocaleString('en-US'),
            Math.round(rate(r)).toLocaleString('en-US'),
            ms(percentile(r.latencies, 50)),
            ms(percentile(r.latencies, 95)),
            ms(percentile(r.latencies, 99)),
            r.failed,
            g ? cpuShare(r, g) : '—',
            g ? ms((r.cpu[g] / r.requests) * 1000) : '—',
            cpuShare(r, 'discovery'),
            Number.isFinite(others) ? `${Math.round((others / r.seconds) * 100)} %` : '—',
          ];
        }),
      ),
    );
    console.log('');
    const mixRows = rows.filter((r) => r.target.endsWith(': mix'));
    console.log(
      markdownTable(
        ['round', 'gateway', 'query of the mix', 'p50', 'p95', 'p99'],
        mixRows.flatMap(({ target, round, result }) =>
          [...result.byKind.entries()].map(([kind, l]) => [
            round,
            gatewayOf(target)!,
            kind,
            ms(percentile(l, 50)),
            ms(percentile(l, 95)),
            ms(percentile(l, 99)),
          ]),
        ),
      ),
    );

    // Goals, per round: this gateway against the baseline (same round), and against the direct call.
    const goals: (string | number)[][] = [];
    for (let round = 1; round <= rounds; round++) {
      const of = (target: string) => rows.find((r) => r.round === round && r.target === target)?.result;
      const now = of('gateway: mix');
      const reads = of('gateway: creator reads, 1 connection');
      const directReads = of('discovery subgraph, direct (signed): creator reads, 1 connection');
      const before = of('gateway (baseline): mix');
      if (now && before) {
        const x = rate(now) / rate(before);
        goals.push([
          round,
          'mix throughput ≥ 2× the baseline',
          `${x.toFixed(2)}× (${Math.round(rate(now))} against ${Math.round(rate(before))}/s)`,
          x >= 2 ? '✔' : '✘',
        ]);
        // what one gateway core serves: on two shared cores the subgraphs and PostgreSQL bound the mix too
        const perCore = (r: LoadResult, name: string) => r.requests / r.cpu[name];
        const y = perCore(now, 'gateway') / perCore(before, 'gateway (baseline)');
        goals.push([
          round,
          'mix requests per gateway CPU-second ≥ 2× the baseline',
          `${y.toFixed(2)}× (${Math.round(perCore(now, 'gateway'))} against ${Math.round(perCore(before, 'gateway (baseline)'))})`,
          y >= 2 ? '✔' : '✘',
        ]);
        const [p99, p99Before] = [percentile(now.latencies, 99), percentile(before.latencies, 99)];
        goals.push([round, 'mix p99 ≤ the baseline', `${ms(p99)} against ${ms(p99Before)}`, p99 <= p99Before ? '✔' : '✘']);
      }
      if (reads && directReads) {
        const added = percentile(reads.latencies, 50) - percentile(directReads.latencies, 50);
        goals.push([round, 'creator read p50 over a direct subgraph call ≤ 2 ms (1 connection)', ms(added), added <= 2 ? '✔' : '✘']);
      }
      const readsBefore = of('gateway (baseline): creator reads, 1 connection');
      if (readsBefore && directReads) {
        const added = percentile(readsBefore.latencies, 50) - percentile(directReads.latencies, 50);
        goals.push([round, '(baseline) creator read p50 over a direct subgraph call (1 connection)', ms(added), '']);
      }
    }
    console.log('');
    console.log(markdownTable(['round', 'goal', 'measured', ''], goals));

    if (profileDir) {
      const g = gateways.find((x) => x.name === 'gateway');
      await stopChild(subgraphs.discovery); // nothing else to measure; the profile is written as the gateway exits
      for (const cleanup of cleanups.splice(0)) await cleanup().catch((err) => console.error(`cleanup: ${err.message}`));
      const files = readdirSync(resolve(profileDir))
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort();
      if (g && files.length) {
        const file = join(resolve(profileDir), files[files.length - 1]);
        console.log(`\nThe gateway's top functions by self time while under load, idle left out (${file}):\n`);
        console.log(
          markdownTable(
            ['function', 'self time'],
            topSelfTime(file, profiled, 40).map((f) => [f.name, `${(f.share * 100).toFixed(1)} %`]),
          ),
        );
      }
    }
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((err) => console.error(`cleanup: ${err.message}`));
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
