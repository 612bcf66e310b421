/**
 * A campaign report from the roll-ups against the same report from raw events (docs/analytics-bench.md):
 *
 *   pnpm build && node bench/dist/analytics-report.js [--events 10000000] [--campaigns 1000] [--sample 200] [--keep]
 *
 * 1. A fresh database migrated like analytics (dropped at the end unless --keep).
 * 2. `--campaigns` campaigns of 5 partnerships (one deliverable each) and `--events` raw events, set-based
 *    (generate_series) into the RAW tables: 60 % clicks (10 % bots or previews), 20 % orders, 2 % refunds
 *    (a tenth of the orders; half of them full), 10 % post snapshots, 8 % spend entries, over 90 days.
 * 3. The roll-ups built by the project's own code path: each campaign's raw facts through
 *    `rollups/contributions.ts`, summed, and written with `addToDays` / `keepLatestOfDay`.
 * 4. For `--sample` random campaigns: the report's queries as `ReportService.campaignReport` runs them
 *    (`totalsBy` all/creator/platform/tier + `seriesOf` by day, in parallel) against the raw path (the
 *    campaign's raw rows read, summed through the same contributions in memory, `metricsOf` applied), and
 *    the figures of both compared (mismatch count).
 * Prints the figures and a markdown table; goal: roll-up report p95 ≤ 50 ms.
 */
import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, initializeDataSource } from '@influenceflow/kit';
import { analyticsSubgraph } from '@influenceflow/analytics';
import {
  clickContribution,
  Contribution,
  COUNTERS,
  DayCounters,
  orderContribution,
  spendContribution,
  sumContributions,
} from '@influenceflow/analytics/dist/rollups/contributions';
import { addToDays, keepLatestOfDay, PostDayRow } from '@influenceflow/analytics/dist/rollups/rollup-store';
import { latestKnown } from '@influenceflow/analytics/dist/rollups/post-figures';
import { metricsOf, Totals, ZERO_TOTALS } from '@influenceflow/analytics/dist/metrics/formulas';
import { seriesOf, totalsBy } from '@influenceflow/analytics/dist/metrics/measurements';
import { APPROVED_DELIVERABLE } from '@influenceflow/analytics/dist/copies/copies.service';
import { arg, flag, markdownTable, ms, percentile, timed } from './lib';

type EntityManager = ReturnType<typeof createDataSource>['manager'];

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const GOAL_P95_MS = 50;
const PER_CAMPAIGN = 5;
const DAYS = 90;
const START = '2026-08-01T00:00:00Z';
const POST_METRICS = ['reach', 'impressions', 'likes', 'comments', 'shares', 'saves', 'views'] as const;

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
/** A deterministic UUID of a kind and a number (also written in SQL below as `uuidSql`). */
const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${String(n).padStart(12, '0')}`;
const uuidSql = (kind: number, expr: string) =>
  `('00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-' || lpad((${expr})::text, 12, '0'))::uuid`;
const BRAND = 1;
const CAMPAIGN = 2;
const PARTNERSHIP = 3;
const CREATOR = 4;
const DELIVERABLE = 5;

async function seed(db: EntityManager, campaigns: number, events: number): Promise<void> {
  const partnerships = campaigns * PER_CAMPAIGN;
  const at = (expr: string) => `timestamptz '${START}' + (${expr}) * interval '1 second'`;
  const spread = `(hashint4(g) & 2147483647) % ${DAYS * 86_400}`;
  // partnership of row g: a campaign's partnerships are numbered c*5 … c*5+4, so p / 5 is its campaign
  const p = `(g % ${partnerships})`;
  await db.query(
    `INSERT INTO campaign_facts (campaign_id, brand_id, name, status, goal_type, goal_target, currency, last_event_at, starts_on, ends_on)
     SELECT ${uuidSql(CAMPAIGN, 'c')}, ${uuidSql(BRAND, 'c % 100')}, 'Campaign ' || c, 'ACTIVE', 'sales', 500, 'USD', now(), '${START.slice(0, 10)}', date '${START.slice(0, 10)}' + ${DAYS}
       FROM generate_series(0, $1 - 1) c`,
    [campaigns],
  );
  await db.query(
    `INSERT INTO creator_facts (creator_id, handle, display_name, followers, tier)
     SELECT ${uuidSql(CREATOR, 'g')}, 'creator' || g, 'Creator ' || g, 5000 + g, (ARRAY['nano', 'micro', 'mid'])[1 + g % 3]
       FROM generate_series(0, $1 - 1) g`,
    [partnerships],
  );
  await db.query(
    `INSERT INTO partnership_facts (partnership_id, campaign_id, brand_id, creator_id, status, platform, discount_code, link_slug, last_event_at)
     SELECT ${uuidSql(PARTNERSHIP, 'g')}, ${uuidSql(CAMPAIGN, `g / ${PER_CAMPAIGN}`)}, ${uuidSql(BRAND, `(g / ${PER_CAMPAIGN}) % 100`)},
            ${uuidSql(CREATOR, 'g')}, 'ACTIVE', (ARRAY['instagram', 'tiktok', 'youtube'])[1 + g % 3], 'CODE' || g, 'slug' || g, now()
       FROM generate_series(0, $1 - 1) g`,
    [partnerships],
  );
  await db.query(
    `INSERT INTO deliverable_facts (deliverable_id, partnership_id, campaign_id, brand_id, creator_id, platform, format, status, last_event_at)
     SELECT ${uuidSql(DELIVERABLE, 'g')}, ${uuidSql(PARTNERSHIP, 'g')}, ${uuidSql(CAMPAIGN, `g / ${PER_CAMPAIGN}`)}, ${uuidSql(BRAND, `(g / ${PER_CAMPAIGN}) % 100`)},
            ${uuidSql(CREATOR, 'g')}, 'instagram', 'post', (ARRAY['posted', 'approved', 'submitted'])[1 + g % 3], now()
       FROM generate_series(0, $1 - 1) g`,
    [partnerships],
  );
  const clicks = Math.round(events * 0.6);
  const orders = Math.round(events * 0.2);
  const refunds = Math.round(events * 0.02);
  const snapshots = Math.round(events * 0.1);
  const spend = events - clicks - orders - refunds - snapshots;
  const step = async (name: string, sql: string, count: number) => {
    const [t] = await timed(() => db.query(sql, [count]));
    console.error(`  ${name.padEnd(16)} ${n0(count).padStart(11)} rows in ${(t / 1000).toFixed(1)} s`);
  };
  await step(
    'clicks',
    `INSERT INTO clicks (click_id, partnership_id, campaign_id, brand_id, link, at, traffic)
     SELECT gen_random_uuid(), ${uuidSql(PARTNERSHIP, p)}, ${uuidSql(CAMPAIGN, `${p} / ${PER_CAMPAIGN}`)}, ${uuidSql(BRAND, `(${p} / ${PER_CAMPAIGN}) % 100`)},
            'slug' || ${p}, ${at(spread)}, CASE WHEN g % 10 = 0 THEN 'bot' WHEN g % 33 = 1 THEN 'preview' ELSE 'human' END
       FROM generate_series(0, $1 - 1) g`,
    clicks,
  );
  await step(
    'orders',
    `INSERT INTO orders (id, brand_id, source, external_id, ordered_at, amount_minor, currency, discount_codes, reason, partnership_id, campaign_id, attributed_at)
     SELECT ${uuidSql(6, 'g')}, ${uuidSql(BRAND, `(${p} / ${PER_CAMPAIGN}) % 100`)}, 'api', 'o' || g, ${at(spread)}, 1000 + (hashint4(g + 7) & 65535),
            'USD', ARRAY['CODE' || ${p}], 'DISCOUNT_CODE', ${uuidSql(PARTNERSHIP, p)}, ${uuidSql(CAMPAIGN, `${p} / ${PER_CAMPAIGN}`)}, now()
       FROM generate_series(0, $1 - 1) g`,
    orders,
  );
  // every tenth order refunded once, after it; half in full (then it no longer counts as an order)
  await step(
    'refunds',
    `INSERT INTO refunds (id, order_id, external_id, amount_minor, currency, refunded_at)
     SELECT ${uuidSql(7, 'g')}, o.id, 'r' || g, CASE WHEN g % 2 = 0 THEN o.amount_minor ELSE o.amount_minor / 3 + 1 END, 'USD',
            o.ordered_at + ((hashint4(g) & 65535) * interval '10 second')
       FROM generate_series(0, $1 - 1) g JOIN orders o ON o.id = ${uuidSql(6, 'g * 10')}`,
    refunds,
  );
  // snapshot g of a post: its deliverable is g % partnerships, taken in order (one a day-ish per post)
  await step(
    'post snapshots',
    `INSERT INTO post_snapshots (id, deliverable_id, taken_at, ${POST_METRICS.join(', ')}, source)
     SELECT gen_random_uuid(), ${uuidSql(DELIVERABLE, p)}, ${at(`(g / ${partnerships}) * ${Math.max(1, Math.floor((DAYS * 86_400) / Math.max(1, Math.ceil(snapshots / partnerships))))}`)},
            100 * (g / ${partnerships}) + g % 97, 150 * (g / ${partnerships}), 10 * (g / ${partnerships}), g / ${partnerships}, (g / ${partnerships}) / 2, 1, 300 * (g / ${partnerships}), 'connector'
       FROM generate_series(0, $1 - 1) g`,
    snapshots,
  );
  await step(
    'spend entries',
    `INSERT INTO spend_entries (entry_key, campaign_id, partnership_id, kind, amount_minor, currency, at)
     SELECT 't' || g, ${uuidSql(CAMPAIGN, `${p} / ${PER_CAMPAIGN}`)}, ${uuidSql(PARTNERSHIP, p)},
            CASE WHEN g % 20 = 0 THEN 'COMMISSION_REFUND' ELSE 'COMMISSION' END,
            CASE WHEN g % 20 = 0 THEN -1 ELSE 1 END * (100 + (hashint4(g + 3) & 4095)), 'USD', ${at(spread)}
       FROM generate_series(0, $1 - 1) g`,
    spend,
  );
  // Indexes only the raw path needs (a campaign's raw rows by partnership), so the baseline is not a scan of everything.
  const [t] = await timed(async () => {
    await db.query(`CREATE INDEX bench_clicks_partnership ON clicks (partnership_id)`);
    await db.query(`CREATE INDEX bench_refunds_order ON refunds (order_id)`);
    await db.query(`CREATE INDEX bench_snapshots_deliverable ON post_snapshots (deliverable_id, taken_at)`);
    await db.query(`CREATE INDEX bench_spend_partnership ON spend_entries (partnership_id)`);
    await db.query(`VACUUM ANALYZE`);
  });
  console.error(`  indexes for the raw path + VACUUM ANALYZE in ${(t / 1000).toFixed(1)} s`);
}

interface RawFacts {
  contributions: Contribution[];
  posts: PostDayRow[];
  approved: number;
}

/** A campaign's raw facts, each as `contributions.ts` sees it. */
async function rawFactsOf(db: EntityManager, campaignId: string): Promise<RawFacts> {
  const ids = (
    (await db.query(`SELECT partnership_id FROM partnership_facts WHERE campaign_id = $1`, [campaignId])) as {
      partnership_id: string;
    }[]
  ).map((r) => r.partnership_id);
  const [clicks, orders, refunds, spend, snapshots, deliverables] = await Promise.all([
    db.query(`SELECT partnership_id, at, traffic FROM clicks WHERE partnership_id = ANY($1::uuid[])`, [ids]),
    db.query(
      `SELECT id, partnership_id, excluded, ordered_at, amount_minor, customer_new FROM orders WHERE partnership_id = ANY($1::uuid[])`,
      [ids],
    ),
    db.query(
      `SELECT r.order_id, r.amount_minor, r.refunded_at FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.partnership_id = ANY($1::uuid[])`,
      [ids],
    ),
    db.query(`SELECT partnership_id, amount_minor, at FROM spend_entries WHERE partnership_id = ANY($1::uuid[])`, [ids]),
    db.query(
      `SELECT s.deliverable_id, d.partnership_id, s.taken_at, ${POST_METRICS.map((m) => `s.${m}`).join(', ')}
         FROM post_snapshots s JOIN deliverable_facts d ON d.deliverable_id = s.deliverable_id WHERE d.partnership_id = ANY($1::uuid[])`,
      [ids],
    ),
    db.query(`SELECT status FROM deliverable_facts WHERE partnership_id = ANY($1::uuid[])`, [ids]),
  ]);
  const refundsOf = new Map<string, { amountMinor: number; refundedAt: Date }[]>();
  for (const r of refunds as { order_id: string; amount_minor: string; refunded_at: Date }[]) {
    const list = refundsOf.get(r.order_id) ?? [];
    list.push({ amountMinor: Number(r.amount_minor), refundedAt: r.refunded_at });
    refundsOf.set(r.order_id, list);
  }
  const contributions: Contribution[] = [];
  for (const c of clicks as { partnership_id: string; at: Date; traffic: 'human' | 'bot' | 'preview' }[])
    contributions.push(...clickContribution({ partnershipId: c.partnership_id, at: c.at, traffic: c.traffic }));
  for (const o of orders as {
    id: string;
    partnership_id: string;
    excluded: string | null;
    ordered_at: Date;
    amount_minor: string;
    customer_new: boolean | null;
  }[])
    contributions.push(
      ...orderContribution({
        partnershipId: o.partnership_id,
        excluded: o.excluded,
        orderedAt: o.ordered_at,
        amountMinor: Number(o.amount_minor),
        customerNew: o.customer_new,
        refunds: refundsOf.get(o.id) ?? [],
      }),
    );
  for (const s of spend as { partnership_id: string; amount_minor: string; at: Date }[])
    contributions.push(...spendContribution({ partnershipId: s.partnership_id, amountMinor: Number(s.amount_minor), at: s.at, excluded: null }));
  const num = (v: string | null) => (v === null ? null : Number(v));
  const posts = (
    snapshots as (Record<(typeof POST_METRICS)[number], string | null> & {
      deliverable_id: string;
      partnership_id: string;
      taken_at: Date;
    })[]
  ).map((s) => ({
    deliverableId: s.deliverable_id,
    partnershipId: s.partnership_id,
    takenAt: s.taken_at,
    reach: num(s.reach),
    impressions: num(s.impressions),
    likes: num(s.likes),
    comments: num(s.comments),
    shares: num(s.shares),
    saves: num(s.saves),
    views: num(s.views),
  }));
  const approved = (deliverables as { status: string }[]).filter((d) =>
    (APPROVED_DELIVERABLE as readonly string[]).includes(d.status),
  ).length;
  return { contributions, posts, approved };
}

/** The roll-ups, by the project's code path: a campaign's facts summed and added, posts' latest of a day kept. */
async function buildRollups(db: EntityManager, campaigns: number, workers: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let c = next++; c < campaigns; c = next++) {
        const facts = await rawFactsOf(db, uuid(CAMPAIGN, c));
        await db.transaction(async (tx) => {
          await addToDays(tx, [...sumContributions(facts.contributions).values()]);
          await keepLatestOfDay(tx, facts.posts);
        });
      }
    }),
  );
}

interface Report {
  totals: Totals;
  metrics: ReturnType<typeof metricsOf>;
  series: { period: string; clicks: number; orders: number; grossMinor: number; refundsMinor: number; spendMinor: number }[];
}

const seriesRow = (period: string, t: Partial<Totals>) => ({
  period,
  clicks: t.clicks ?? 0,
  orders: t.orders ?? 0,
  grossMinor: t.grossMinor ?? 0,
  refundsMinor: t.refundsMinor ?? 0,
  spendMinor: t.spendMinor ?? 0,
});

/** The report's figures from the roll-ups, with the queries `ReportService.campaignReport` runs. */
async function fromRollups(db: EntityManager, campaignId: string): Promise<Report> {
  const scope = { campaignId };
  const [all, , , , series] = await Promise.all([
    totalsBy(db, scope, 'all'),
    totalsBy(db, scope, 'creator'),
    totalsBy(db, scope, 'platform'),
    totalsBy(db, scope, 'tier'),
    seriesOf(db, scope, 'day', { from: null, to: null }),
  ]);
  const totals = all.get('all') ?? { ...ZERO_TOTALS };
  return { totals, metrics: metricsOf(totals), series: series.map((s) => seriesRow(s.period, s.totals)) };
}

/** The same figures from the raw rows: the contributions summed in memory, each post's latest known counters. */
async function fromRaw(db: EntityManager, campaignId: string): Promise<Report> {
  const facts = await rawFactsOf(db, campaignId);
  const totals: Totals = { ...ZERO_TOTALS, approvedDeliverables: facts.approved };
  const byDay = new Map<string, Partial<DayCounters>>();
  for (const c of sumContributions(facts.contributions).values()) {
    const day = byDay.get(c.day) ?? {};
    for (const k of COUNTERS) {
      const v = c.add[k] ?? 0;
      day[k] = (day[k] ?? 0) + v;
      if (k in totals) (totals as unknown as Record<string, number>)[k] += v;
    }
    byDay.set(c.day, day);
  }
  // each post's figures by the roll-up's own rule: each counter's latest known value (the bench's snapshots are a connector's)
  for (const { values: s } of latestKnown(facts.posts, (p) => p.deliverableId).values()) {
    totals.measuredPosts += 1;
    totals.reach += s.reach ?? 0;
    totals.impressions += s.impressions ?? 0;
    totals.likes += s.likes ?? 0;
    totals.comments += s.comments ?? 0;
    totals.shares += s.shares ?? 0;
    if (s.reach !== null) totals.engagementsWithReach += (s.likes ?? 0) + (s.comments ?? 0) + (s.shares ?? 0);
  }
  const series = [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, t]) => seriesRow(day, t as Partial<Totals>));
  return { totals, metrics: metricsOf(totals), series };
}

async function main(): Promise<void> {
  const events = Number(arg('events', '10000000'));
  const campaigns = Number(arg('campaigns', '1000'));
  const sample = Number(arg('sample', '200'));
  const database = `bench_analytics_report_${Date.now()}`;
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  let ds: ReturnType<typeof createDataSource> | null = null;
  try {
    ds = createDataSource({
      url: `${SERVER}/${database}`,
      entities: analyticsSubgraph.entities,
      migrations: analyticsSubgraph.migrations,
      poolSize: 8,
    });
    await initializeDataSource(ds);
    const db = ds.manager;
    console.error(`analytics report bench: ${n0(events)} raw events over ${n0(campaigns)} campaigns (${PER_CAMPAIGN} partnerships each)`);
    const [seedMs] = await timed(() => seed(db, campaigns, events));
    const [buildMs] = await timed(() => buildRollups(db, campaigns, 2));
    await db.query(`VACUUM ANALYZE partnership_days`);
    await db.query(`VACUUM ANALYZE post_days`);
    const [{ days, size }] = (await db.query(
      `SELECT (SELECT count(*) FROM partnership_days)::int AS days, pg_size_pretty(pg_database_size(current_database())) AS size`,
    )) as { days: number; size: string }[];
    console.error(`  roll-ups built in ${(buildMs / 1000).toFixed(1)} s (${n0(days)} partnership days); database ${size}`);

    const picks = Array.from({ length: sample }, () => uuid(CAMPAIGN, randomInt(0, campaigns)));
    for (const c of picks.slice(0, 5)) await fromRollups(db, c); // warm the plans and the pool
    const rollupMs: number[] = [];
    const rawMs: number[] = [];
    let mismatches = 0;
    // alternated campaign by campaign, so the machine's ups and downs fall on both paths
    for (const c of picks) {
      const [r, fromDays] = await timed(() => fromRollups(db, c));
      const [w, fromRows] = await timed(() => fromRaw(db, c));
      rollupMs.push(r);
      rawMs.push(w);
      if (JSON.stringify(fromDays) !== JSON.stringify(fromRows)) {
        if (mismatches === 0)
          console.error(
            `  first mismatch, campaign ${c}:\n    roll-ups ${JSON.stringify(fromDays.totals)}\n    raw      ${JSON.stringify(fromRows.totals)}`,
          );
        mismatches++;
      }
    }
    const p = (s: number[], q: number) => percentile(s, q);
    const p95 = p(rollupMs, 95);
    console.log(
      `\nAnalytics campaign report: ${n0(events)} raw events, ${n0(campaigns)} campaigns, ${sample} random campaigns, database ${size}, ${new Date().toISOString().slice(0, 10)}\n`,
    );
    console.log(
      markdownTable(
        ['path', 'p50', 'p95', 'p99'],
        [
          [
            'baseline: raw events of the campaign read, summed through contributions.ts in memory, formulas applied',
            ms(p(rawMs, 50)),
            ms(p(rawMs, 95)),
            ms(p(rawMs, 99)),
          ],
          [
            'roll-ups: totalsBy all/creator/platform/tier + seriesOf by day (as campaignReport, in parallel)',
            ms(p(rollupMs, 50)),
            ms(p95),
            ms(p(rollupMs, 99)),
          ],
        ],
      ),
    );
    console.log(
      `\nSeeding ${(seedMs / 1000).toFixed(0)} s; roll-ups built through contributions.ts + addToDays in ${(buildMs / 1000).toFixed(0)} s (${n0(days)} partnership days). Speed-up at p50: ${(p(rawMs, 50) / p(rollupMs, 50)).toFixed(0)}×.`,
    );
    console.log(
      `\n| goal | measured | |\n| --- | --- | --- |\n| roll-up report p95 ≤ ${GOAL_P95_MS} ms | ${ms(p95)} | ${p95 <= GOAL_P95_MS ? '✔' : '✘'} |\n| same figures from both paths (${sample} campaigns) | ${mismatches} mismatches | ${mismatches === 0 ? '✔' : '✘'} |`,
    );
    if (mismatches > 0) process.exitCode = 1;
  } finally {
    await ds?.destroy();
    if (!flag('keep')) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    else console.error(`kept database ${database}`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
