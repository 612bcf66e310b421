/**
 * Tracking-link redirect under load (issue 5): the campaign service's GET /r/<slug> (302 with UTM and a
 * click id, the click recorded through the outbox) against a bare Node HTTP server answering the same
 * 302, in the same run, with the same load generator.
 *
 *   pnpm build && node bench/dist/campaign-redirect.js [--seconds 15] [--connections 32]
 *
 * 1. A fresh campaign database (migrated by the service) with one accepted partnership and its link, a
 *    Kafka node of its own, the campaign service as a real process.
 * 2. Baseline: a bare `http.createServer` answering 302 (a child process, like the service).
 * 3. Each server gets `--connections` keep-alive connections sending requests back to back for `--seconds`.
 * 4. Afterwards every 302 the service answered must be a click.recorded row in the outbox, all published.
 * Prints requests/s and latency percentiles, and a markdown table; goal ≥ 30 % of the baseline's throughput.
 */
import { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { Client } from 'pg';

import { freePort } from '@influenceflow/infra/dist/testing/test-kafka';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { arg, benchKafka, launch, markdownTable, ms, percentile, ROOT, stopChild, waitUntilAnswering } from './lib';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const GOAL = 0.3;
const SLUG = 'benchlink-k3m9x2qa';
const TARGET = 'https://shop.example/spring?utm_source=influenceflow&utm_medium=influencer&utm_campaign=bench&utm_content=bench.creator';

interface LoadResult {
  requests: number;
  redirects: number;
  others: number;
  seconds: number;
  latencies: number[];
}

/** `connections` keep-alive loops, each sending the next request when the previous answer is in. */
async function load(url: string, seconds: number, connections: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies: number[] = [];
  let redirects = 0;
  let others = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.get(
        { host: target.hostname, port: target.port, path: target.pathname, agent, headers: { 'user-agent': 'bench' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', reject);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const status = await one().catch(() => 0);
        if (status === 302) redirects++;
        else others++;
      }
    }),
  );
  agent.destroy();
  return { requests: redirects + others, redirects, others, seconds: (performance.now() - started) / 1000, latencies };
}

const BARE_SERVER = `
const http = require('node:http');
http.createServer((req, res) => { res.writeHead(302, { location: ${JSON.stringify(TARGET)} + '&ifclid=x', 'cache-control': 'no-store' }); res.end(); })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('listening\\n'));
`;

async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '15'));
  const connections = Number(arg('connections', '32'));
  const database = `influenceflow_bench_redirect_${Date.now()}`;
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  const cleanups: (() => Promise<void>)[] = [];
  try {
    await admin.query(`CREATE DATABASE ${database}`);
    cleanups.push(async () => void (await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)));
    const { brokers, topicPrefix, remove } = await benchKafka('benchredirect');
    cleanups.unshift(remove);

    const port = await freePort();
    const service = launch('campaign', join(ROOT, 'services/campaign/dist/main.js'), {
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      CAMPAIGN_PORT: String(port),
      CAMPAIGN_DATABASE_URL: `${SERVER}/${database}`,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      GATEWAY_SIGNING_SECRET: 'bench-signing-secret-that-is-long-enough-0123456789',
    });
    cleanups.unshift(() => stopChild(service));
    await waitUntilAnswering(`http://127.0.0.1:${port}/readyz`);

    // One accepted partnership with its link, written straight into the migrated database.
    const db = new Client({ connectionString: `${SERVER}/${database}` });
    await db.connect();
    cleanups.unshift(() => db.end());
    const [{ id: brandId }] = (
      await db.query(`INSERT INTO brands (name, website_url) VALUES ('Bench', 'https://shop.example') RETURNING id`)
    ).rows;
    const [{ id: campaignId }] = (
      await db.query(
        `INSERT INTO campaigns (brand_id, name, goal_type, goal_target, budget_minor, currency, starts_on, ends_on)
         VALUES ($1, 'Bench', 'traffic', 1000, 0, 'USD', '2027-01-01', '2027-02-01') RETURNING id`,
        [brandId],
      )
    ).rows;
    const creatorId = '00000000-0000-4000-8000-00000000b0b0';
    await db.query(`INSERT INTO creators (id, handle, display_name) VALUES ($1, 'bench.creator', 'Bench')`, [creatorId]);
    await db.query(
      `INSERT INTO partnerships (campaign_id, brand_id, creator_id, status, deliverables, fee_minor, currency, invited_by, discount_code, link_slug, link_target)
       VALUES ($1, $2, $3, 'accepted', '[]', 0, 'USD', 'bench', 'BENCH', $4, $5)`,
      [campaignId, brandId, creatorId, SLUG, TARGET],
    );

    const barePort = await freePort();
    const bare: ChildProcess = spawn(process.execPath, ['-e', BARE_SERVER], {
      env: { ...process.env, PORT: String(barePort) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanups.unshift(() => stopChild(bare));
    await new Promise<void>((resolve) => bare.stderr!.once('data', () => resolve()));

    const link = `http://127.0.0.1:${port}/r/${SLUG}`;
    const warmup = 200; // warm-up (cache, JIT); its clicks are recorded too, and counted before the runs
    for (let i = 0; i < warmup; i++) await fetch(link, { redirect: 'manual' });
    for (let n = 0; n < warmup; await new Promise((resolve) => setTimeout(resolve, 100))) {
      [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'click.recorded'`)).rows;
    }

    console.error(`• baseline: bare Node server, ${connections} connections, ${seconds} s`);
    const baseline = await load(`http://127.0.0.1:${barePort}/r/${SLUG}`, seconds, connections);
    console.error(`• campaign service redirect, ${connections} connections, ${seconds} s`);
    const redirect = await load(link, seconds, connections);

    // Every answered redirect is a click in the outbox, and the relay publishes them all.
    const expected = warmup + redirect.redirects;
    const deadline = Date.now() + 120_000;
    let recorded = 0;
    let published = 0;
    while (Date.now() < deadline) {
      [{ recorded, published }] = (
        await db.query(`SELECT count(*)::int AS recorded, count(sent_at)::int AS published FROM outbox WHERE type = 'click.recorded'`)
      ).rows;
      if (recorded >= expected && published >= expected) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const rate = (r: LoadResult) => r.requests / r.seconds;
    const ratio = rate(redirect) / rate(baseline);
    console.log(
      `\nTracking-link redirect: ${connections} keep-alive connections, ${seconds} s each, ${new Date().toISOString().slice(0, 10)}\n`,
    );
    console.log(
      markdownTable(
        ['server', 'requests', 'requests/s', 'p50', 'p99', 'not 302', 'vs baseline'],
        [baseline, redirect].map((r, i) => [
          i === 0 ? 'baseline: bare Node http server answering 302' : 'campaign service: GET /r/<slug> (lookup, click id, click recorded)',
          r.requests.toLocaleString('en-US'),
          Math.round(rate(r)).toLocaleString('en-US'),
          ms(percentile(r.latencies, 50)),
          ms(percentile(r.latencies, 99)),
          r.others,
          i === 0 ? '100 %' : `${(ratio * 100).toFixed(0)} %`,
        ]),
      ),
    );
    console.log('');
    console.log(
      markdownTable(
        ['goal', 'measured', ''],
        [
          ['throughput ≥ 30 % of the bare server', `${(ratio * 100).toFixed(0)} %`, ratio >= GOAL ? '✔' : '✘'],
          [
            'every click accounted for (click.recorded in the outbox, published to Kafka)',
            `${(recorded - warmup).toLocaleString('en-US')} recorded, ${(published - warmup).toLocaleString('en-US')} published of ${redirect.redirects.toLocaleString('en-US')} redirects`,
            recorded === expected && published === expected ? '✔' : '✘',
          ],
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
