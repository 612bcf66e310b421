/**
 * Discovery bulk import at scale: agencies import creators in bulk (CSV/NDJSON), and the synthetic
 * generator makes the creators benchmarks need (docs/import.md).
 *
 *   pnpm build && node bench/dist/discovery-import.js [--count 1000000] [--seed 42] [--baseline 20000]
 *                                                      [--batch-size 5000] [--workers auto|N] [--writers 1]
 *                                                      [--keep <database>]
 *   (or: pnpm --filter @influenceflow/bench discovery:import -- --count 200000)
 *
 * 1. Creates a fresh, migrated database for the run (dropped at the end; `--keep <name>` names it and keeps it).
 * 2. Baselines, measured in the same run on the first `--baseline` creators:
 *      row by row   what a straightforward importer does: validate, derive, then one transaction per
 *                   creator of parameterized INSERTs (creator, accounts, reports, audience countries, outbox),
 *                   into a second fresh database;
 *      derive only  validate + derive (metrics, search columns, rows) in one thread, no database: the CPU
 *                   floor of a single thread.
 * 3. The bulk importer (importGenerated: the lite generator, worker threads, COPY into staging tables and
 *    INSERT … SELECT per batch) on all `count` creators; checks every one arrived.
 * 4. PostgreSQL's floor: the rows the import wrote for the first `--baseline` creators, COPYed again into
 *    UNLOGGED copies of the tables without indexes, constraints or triggers: no importer stores them faster.
 * Prints creators/s and a markdown table; goal ≥ 50,000 creators/s.
 */
import { availableParallelism, cpus } from 'node:os';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import { discoverySubgraph, generateCreators, importGenerated, parseAndDerive, workerCount } from '@influenceflow/discovery';
import { marketsOf } from '@influenceflow/discovery/dist/creators/creator-stats';
import { accountMetrics } from '@influenceflow/discovery/dist/accounts/account-metrics';
import { creatorRecordSchema, parseRecord } from '@influenceflow/discovery/dist/creators/creator-record';
import { PROFILE_COLUMNS } from '@influenceflow/discovery/dist/ingest/import-rows';
import { searchProfile } from '@influenceflow/discovery/dist/creators/search-profile';
import {
  CREATOR_SEARCH_COLUMNS,
  SEARCH_COLUMNS,
  SEARCH_TEXT_UPSERT,
  searchColumnValues,
} from '@influenceflow/discovery/dist/creators/search-profile.store';
import { createDataSource, createEvent, initializeDataSource, uuidv7 } from '@influenceflow/kit';
import { CreatorCreatedData, TOPICS } from '@influenceflow/vocabulary';
import { arg, markdownTable, timed } from './lib';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const GOAL = 50_000;

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function createMigrated(admin: Client, database: string): Promise<string> {
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = `${SERVER}/${database}`;
  const ds = createDataSource({ url, entities: discoverySubgraph.entities, migrations: discoverySubgraph.migrations, poolSize: 1 });
  await initializeDataSource(ds);
  await ds.destroy();
  return url;
}

/** The baseline: one transaction of plain INSERTs per creator, after the same validation and derivation. */
async function rowByRow(url: string, count: number, seed: string, now: number): Promise<number> {
  const db = new Client({ connectionString: url });
  await db.connect();
  const creatorColumns = ['id', 'handle', ...PROFILE_COLUMNS];
  const insertCreator = `INSERT INTO creators (${[...creatorColumns, ...CREATOR_SEARCH_COLUMNS].join(', ')}) VALUES (${[
    ...creatorColumns,
    ...CREATOR_SEARCH_COLUMNS,
  ]
    .map((_, i) => `$${i + 1}`)
    .join(', ')})`;
  try {
    for (const raw of generateCreators(count, seed, { lite: true, now })) {
      const parsed = parseRecord(creatorRecordSchema, raw);
      if (!parsed.ok) throw new Error(`invalid synthetic record: ${JSON.stringify(parsed.problems)}`);
      const r = parsed.value;
      const markets = marketsOf(r);
      const accounts = r.accounts.map((a) => ({ a, m: accountMetrics(a, markets, 'imported'), id: uuidv7() }));
      const profile = searchProfile(
        r,
        accounts.map(({ a, m }) => ({
          platform: a.platform,
          handle: a.handle,
          followers: a.followers,
          engagementRate: m.engagementRate,
          authenticityScore: m.authenticityScore,
          sponsoredRatio: m.sponsoredPerformance.ratio,
          audience: a.audience,
          postTexts: a.posts.flatMap((p) => [p.caption, ...p.hashtags]),
        })),
        [],
      );
      const id = uuidv7();
      await db.query('BEGIN');
      await db.query(insertCreator, [
        id,
        r.handle,
        r.displayName,
        r.bio,
        r.niches,
        r.contentStyles,
        r.languages,
        r.country,
        r.region,
        r.city,
        r.markets,
        ...searchColumnValues(profile).filter((_, i) => SEARCH_COLUMNS[i] !== 'search_text'),
      ]);
      await db.query(SEARCH_TEXT_UPSERT.replace('%SOURCE%', 'VALUES ($1::uuid, $2::text)'), [id, profile.searchText]);
      for (const { a, m, id: accountId } of accounts) {
        await db.query(
          `INSERT INTO platform_accounts (id, creator_id, platform, handle, followers, following, post_count, engagement_rate, reach_rate,
             posts_counted, authenticity_score, audience, follower_history, recent_posts, sponsored_performance)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [
            accountId,
            id,
            a.platform,
            a.handle,
            a.followers,
            a.following,
            a.postCount,
            m.engagementRate,
            m.reachRate,
            m.postsCounted,
            m.authenticity.score,
            JSON.stringify(a.audience),
            JSON.stringify(a.followerHistory.map((p) => ({ date: p.date.toISOString().slice(0, 10), followers: p.followers }))),
            JSON.stringify(a.posts),
            JSON.stringify(m.sponsoredPerformance),
          ],
        );
        await db.query(
          `INSERT INTO authenticity_reports
             (id, account_id, creator_id, score, model_version, measured_weight, signals, decided_by, verdict, evidence_score, confidence)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            uuidv7(),
            accountId,
            id,
            m.authenticity.score,
            m.authenticity.modelVersion,
            m.authenticity.measuredWeight,
            JSON.stringify(m.authenticity.signals),
            m.authenticity.decidedBy,
            m.authenticity.verdict,
            m.authenticity.evidenceScore,
            JSON.stringify(m.authenticity.confidence),
          ],
        );
      }
      for (const [country, share] of Object.entries(profile.audienceCountries)) {
        if (share > 0)
          await db.query(`INSERT INTO creator_audience_countries (creator_id, country, share) VALUES ($1, $2, $3)`, [id, country, share]);
      }
      const data: CreatorCreatedData = {
        creatorId: id,
        handle: r.handle,
        displayName: r.displayName,
        country: r.country,
        niches: r.niches,
      };
      const event = createEvent('discovery', { type: 'creator.created', subject: id, data });
      await db.query(`INSERT INTO outbox (id, topic, key, type, envelope) VALUES ($1, $2, $3, $4, $5)`, [
        event.id,
        TOPICS.creator,
        id,
        event.type,
        JSON.stringify(event),
      ]);
      await db.query('COMMIT');
    }
  } finally {
    await db.end();
  }
  return count;
}

/** The tables an import writes, with how to find the rows of a set of creators (`floor_ids`). */
const IMPORTED_TABLES: [table: string, rowsOfFloorCreators: string][] = [
  ['creators', 'SELECT t.* FROM creators t JOIN floor_ids f ON f.id = t.id'],
  ['platform_accounts', 'SELECT t.* FROM platform_accounts t JOIN floor_ids f ON f.id = t.creator_id'],
  ['authenticity_reports', 'SELECT t.* FROM authenticity_reports t JOIN floor_ids f ON f.id = t.creator_id'],
  ['creator_search_text', 'SELECT t.* FROM creator_search_text t JOIN floor_ids f ON f.id = t.creator_id'],
  ['creator_audience_countries', 'SELECT t.* FROM creator_audience_countries t JOIN floor_ids f ON f.id = t.creator_id'],
  ['outbox', 'SELECT t.* FROM outbox t JOIN floor_ids f ON f.id::text = t.key'],
];

/**
 * PostgreSQL's floor for these rows on this machine: the rows the import wrote for `count` creators,
 * already derived, COPYed from memory into UNLOGGED copies of the tables with no index, constraint or
 * trigger. No importer can store the same rows faster than this. Returns the COPYs' total time.
 */
async function postgresFloor(url: string, count: number): Promise<{ ms: number; bytes: number }> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(`CREATE TEMP TABLE floor_ids AS SELECT id FROM creators ORDER BY id LIMIT ${Math.floor(count)}`);
    let ms = 0;
    let bytes = 0;
    for (const [table, rows] of IMPORTED_TABLES) {
      const chunks: Buffer[] = [];
      const out = db.query(copyTo(`COPY (${rows}) TO STDOUT`));
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      await finished(out);
      bytes += chunks.reduce((sum, c) => sum + c.length, 0);
      await db.query(`CREATE UNLOGGED TABLE floor_${table} (LIKE ${table})`);
      const [took] = await timed(async () => {
        const into = db.query(copyFrom(`COPY floor_${table} FROM STDIN`));
        for (const chunk of chunks) if (!into.write(chunk)) await new Promise((resolve) => into.once('drain', resolve));
        into.end();
        await finished(into);
      });
      ms += took;
      await db.query(`DROP TABLE floor_${table}`);
    }
    return { ms, bytes };
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const count = Number(arg('count', '1000000').replace(/_/g, ''));
  const seed = arg('seed', '42');
  const baselineCount = Math.min(count, Number(arg('baseline', '20000')));
  const batchSize = Number(arg('batch-size', '5000'));
  const workersArg = arg('workers', 'auto');
  const workers = workerCount(workersArg === 'auto' ? 'auto' : Number(workersArg));
  const writers = Number(arg('writers', '1'));
  const keep = arg('keep');
  const now = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const stamp = Date.now();
  const database = keep ?? `influenceflow_bench_import_${stamp}`;
  const baselineDatabase = `influenceflow_bench_import_baseline_${stamp}`;
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  const drops: string[] = [baselineDatabase, ...(keep ? [] : [database])];
  try {
    console.error(
      `• ${availableParallelism()} CPUs (${cpus()[0]?.model ?? '?'}), ${workers} worker thread(s), ${writers} writer(s), batches of ${n(batchSize)}`,
    );

    console.error(`• baseline: row-by-row INSERTs of the first ${n(baselineCount)} creators`);
    const baselineUrl = await createMigrated(admin, baselineDatabase);
    const [rowMs] = await timed(() => rowByRow(baselineUrl, baselineCount, seed, now));
    await admin.query(`DROP DATABASE IF EXISTS "${baselineDatabase}" WITH (FORCE)`);
    drops.shift();

    console.error(`• baseline: validate + derive only (no database, one thread), first ${n(baselineCount)} creators`);
    const [deriveMs] = await timed(async () => {
      let line = 0;
      for (const raw of generateCreators(baselineCount, seed, { lite: true, now })) {
        if (!parseAndDerive(raw, ++line).ok) throw new Error('invalid synthetic record');
      }
    });

    console.error(`• bulk import of ${n(count)} lite creators into ${database}`);
    const url = await createMigrated(admin, database);
    let lastPrinted = 0;
    const summary = await importGenerated(
      { count, seed, lite: true, now },
      {
        databaseUrl: url,
        batchSize,
        workers,
        writers,
        onProgress: (p) => {
          if (Date.now() - lastPrinted < 5_000 && p.imported < count) return;
          lastPrinted = Date.now();
          console.error(`  ${n(p.imported)} imported · ${seconds(p.elapsedMs)} · ${n(p.rate)} creators/s`);
        },
      },
    );
    console.error(`• PostgreSQL's floor: the first ${n(baselineCount)} creators' rows COPYed into bare UNLOGGED tables`);
    const floor = await postgresFloor(url, baselineCount);
    const db = new Client({ connectionString: url });
    await db.connect();
    const [{ creators, accounts, size }] = (
      await db.query(
        `SELECT (SELECT count(*)::int FROM creators) AS creators, (SELECT count(*)::int FROM platform_accounts) AS accounts,
                pg_size_pretty(pg_database_size(current_database())) AS size`,
      )
    ).rows;
    await db.end();
    if (summary.rejected > 0 || creators !== count) {
      throw new Error(
        `expected ${count} creators, found ${creators} (${summary.rejected} refused: ${JSON.stringify(summary.errors.slice(0, 3))})`,
      );
    }

    const rate = summary.creatorsPerSecond;
    const rowRate = (baselineCount * 1000) / rowMs;
    const deriveRate = (baselineCount * 1000) / deriveMs;
    const floorRate = (baselineCount * 1000) / floor.ms;
    console.log(
      `\nDiscovery bulk import: ${n(count)} lite creators (${n(accounts)} accounts, database ${size}), ${availableParallelism()} CPUs, ${new Date().toISOString().slice(0, 10)}\n`,
    );
    console.log(
      markdownTable(
        ['method', 'creators', 'time', 'creators/s', 'vs baseline'],
        [
          ['baseline: row-by-row INSERTs, one transaction per creator', n(baselineCount), seconds(rowMs), n(rowRate), '1×'],
          [
            'validate + derive only, one thread, no database',
            n(baselineCount),
            seconds(deriveMs),
            n(deriveRate),
            `${(deriveRate / rowRate).toFixed(1)}×`,
          ],
          [
            `PostgreSQL's floor: the same rows (${n(floor.bytes / baselineCount)} bytes a creator) COPYed into UNLOGGED tables without indexes`,
            n(baselineCount),
            seconds(floor.ms),
            n(floorRate),
            `${(floorRate / rowRate).toFixed(1)}×`,
          ],
          [
            `bulk import: ${workers} worker(s), ${writers} writer(s), COPY → staging → INSERT … SELECT, batches of ${n(batchSize)}`,
            n(count),
            seconds(summary.elapsedMs),
            n(rate),
            `${(rate / rowRate).toFixed(1)}×`,
          ],
        ],
      ),
    );
    console.log('');
    console.log(markdownTable(['goal', 'measured', ''], [[`≥ ${n(GOAL)} creators/s`, `${n(rate)} creators/s`, rate >= GOAL ? '✔' : '✘']]));
    if (keep) console.error(`\nkept database ${database}`);
  } finally {
    for (const name of drops) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
