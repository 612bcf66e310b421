/**
 * Ingest throughput of click.recorded events through the analytics subgraph (docs/analytics-bench.md):
 *
 *   pnpm build && node bench/dist/analytics-ingest.js [--events 50000] [--partnerships 5000] [--orders 5000] [--connections 8]
 *
 * 1. A Kafka node of the benchmark's own and a fresh database, a running analytics subgraph on it (its
 *    migrations, its consumers), as the tests start it.
 * 2. Baseline: a bare kafkajs producer and consumer on a topic of the same partitions, the same events.
 * 3. Measured: the same events produced to `conversion.events` as the click service sends them; the
 *    analytics consumer (batched: a fetched batch of up to 500 clicks in one inbox transaction) stores the
 *    clicks and adds them to `partnership_days`. Lag of an event: when the transaction that wrote its click
 *    was first seen committed (a poller looks every 100 ms for new transactions of click inbox rows, by
 *    xmin) minus its produce time (the click's `at`). Throughput: events ÷ (last seen applied − first produced).
 * 4. Orders: `--orders` orders through `OrderIntakeService.recordOrder` (`--connections` at a time, each its own
 *    transaction, as recordOrders runs them), each with a partnership's discount code: stored, attributed,
 *    rolled up, `order.attributed` in the outbox.
 * 5. The roll-ups as the consumer and the orders left them, against `rebuildRollups` from the raw facts.
 * Prints the figures and a markdown table; goals: ≥ 20,000 events/s, lag p99 ≤ 2 s.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { createDataSource, createEvent, ensureEventTopics, initializeDataSource, Outbox } from '@influenceflow/kit';
import { analyticsSubgraph } from '@influenceflow/analytics';
import { OrderIntakeService } from '@influenceflow/analytics/dist/orders/order-intake.service';
import { rebuildRollups } from '@influenceflow/analytics/dist/rollups/rebuild';
import { ClickRecordedData, EVENT_TYPES, TOPICS } from '@influenceflow/vocabulary';
import { freePort } from '@influenceflow/infra/dist/testing/test-kafka';
import { arg, benchKafka, launch, markdownTable, ms, percentile, ROOT, stopChild, timed, waitUntilAnswering } from './lib';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const GOAL_PER_SECOND = 20_000;
const GOAL_LAG_P99_MS = 2_000;
const BATCH = 1_000;
/** How often the lag poller looks for newly committed consumer transactions. */
const POLL_MS = 100;
const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${String(n).padStart(12, '0')}`;

function clickEvent(i: number, partnerships: number) {
  const p = i % partnerships;
  const clickId = randomUUID();
  const data: ClickRecordedData = {
    clickId,
    link: `slug${p}`,
    partnershipId: uuid(3, p),
    campaignId: uuid(2, Math.floor(p / 5)),
    brandId: uuid(1, 1),
    creatorId: uuid(4, p),
    at: new Date().toISOString(),
    referrer: null,
    ipHash: null,
    userAgentHash: null,
    traffic: 'human',
  } as ClickRecordedData;
  return createEvent('campaign', { type: EVENT_TYPES.clickRecorded, subject: data.partnershipId, brandid: data.brandId, data });
}

/** Produces `count` events in batches of BATCH, each stamped when its batch is built. */
async function produceAll(kafka: Kafka, topic: string, count: number, partnerships: number): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  for (let i = 0; i < count; i += BATCH) {
    const messages = Array.from({ length: Math.min(BATCH, count - i) }, (_, k) => {
      const e = clickEvent(i + k, partnerships);
      return { key: e.subject, value: JSON.stringify(e) };
    });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  return started;
}

async function main(): Promise<void> {
  const events = Number(arg('events', '50000'));
  const partnerships = Number(arg('partnerships', '5000'));
  const database = `bench_analytics_ingest_${Date.now()}`;
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  const cleanups: (() => Promise<void>)[] = [];
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
    cleanups.push(async () => void (await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)));
    const { brokers, topicPrefix, remove } = await benchKafka('benchingest');
    cleanups.unshift(remove);
    const kafka = new Kafka({ clientId: 'bench-ingest', brokers, logLevel: logLevel.NOTHING });

    // Baseline: bare kafkajs, a topic of the same partitions as conversion.events.
    const bareTopic = `${topicPrefix}bench.bare`;
    await ensureEventTopics(brokers, topicPrefix, ['bench.bare']);
    const kadmin = kafka.admin();
    await kadmin.connect();
    const [meta] = (await kadmin.fetchTopicMetadata({ topics: [`${topicPrefix}${TOPICS.conversion}`] })).topics;
    await kadmin.disconnect();
    const bareLags: number[] = [];
    let bareLast = 0;
    const consumer = kafka.consumer({ groupId: 'bench-bare' });
    await consumer.connect();
    await consumer.subscribe({ topic: bareTopic, fromBeginning: true });
    const allIn = new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          const now = Date.now();
          for (const m of batch.messages) {
            const e = JSON.parse(String(m.value)) as { data: ClickRecordedData };
            bareLags.push(now - Date.parse(e.data.at));
          }
          bareLast = now;
          if (bareLags.length >= events) resolve();
        },
      });
    });
    await new Promise((r) => setTimeout(r, 3000)); // the group joined before the first event
    const bareStart = await produceAll(kafka, bareTopic, events, partnerships);
    await allIn;
    await consumer.disconnect();
    const barePerSecond = events / ((bareLast - bareStart) / 1000);
    console.error(
      `  bare kafkajs: ${n0(barePerSecond)} events/s, lag p50 ${ms(percentile(bareLags, 50))} p99 ${ms(percentile(bareLags, 99))}`,
    );

    // The analytics subgraph, as it runs.
    const port = await freePort();
    const service = launch('analytics', join(ROOT, 'services/analytics/dist/main.js'), {
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      ANALYTICS_PORT: String(port),
      ANALYTICS_DATABASE_URL: `${SERVER}/${database}`,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      GATEWAY_SIGNING_SECRET: 'bench-signing-secret-that-is-long-enough-0123456789',
      // production refuses the development key
      ANALYTICS_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    cleanups.unshift(() => stopChild(service));
    const exited = new Promise<never>((_, reject) =>
      service.once('exit', (code) => reject(new Error(`the analytics service exited (${code}) before answering`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitUntilAnswering(`http://127.0.0.1:${port}/readyz`), exited]);
    const db = new Client({ connectionString: `${SERVER}/${database}` });
    await db.connect();
    cleanups.unshift(() => db.end());
    await new Promise((r) => setTimeout(r, 3000));
    // Lag: when each consumer transaction became visible. The poller looks every POLL_MS for transactions
    // (xmin) of click.recorded inbox rows it has not seen; a transaction's inbox rows and clicks share its xmin.
    const visibleAt = new Map<string, number>();
    let polling = true;
    let latestStart = 0;
    const poller = (async () => {
      while (polling) {
        const seen = (
          await db.query(
            `SELECT xmin::text AS x, (extract(epoch FROM min(received_at)) * 1000)::float8 AS started FROM inbox
              WHERE type = 'click.recorded' AND received_at > to_timestamp($1 / 1000.0) GROUP BY 1`,
            [latestStart - 10_000], // received_at is the transaction's start: one still open started before those seen
          )
        ).rows as { x: string; started: number }[];
        const now = Date.now();
        for (const r of seen) {
          if (!visibleAt.has(r.x)) visibleAt.set(r.x, now);
          latestStart = Math.max(latestStart, r.started);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();
    const [produceMs, started] = await timed(() => produceAll(kafka, `${topicPrefix}${TOPICS.conversion}`, events, partnerships));
    console.error(`  produced ${n0(events)} click.recorded in ${(produceMs / 1000).toFixed(1)} s; waiting for the consumer`);
    const deadline = Date.now() + 30 * 60_000;
    let applied = 0;
    for (;;) {
      applied = Number((await db.query(`SELECT count(*) AS n FROM inbox WHERE type = 'click.recorded'`)).rows[0].n);
      if (applied >= events || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2 * POLL_MS)); // the poller's last look
    polling = false;
    await poller;
    const txRows = (
      await db.query(
        `SELECT k.xmin::text AS x, count(*)::int AS n, array_agg((extract(epoch FROM k.at) * 1000)::float8) AS produced
           FROM clicks k GROUP BY 1`,
      )
    ).rows as { x: string; n: number; produced: number[] }[];
    const lags: number[] = [];
    let lastApplied = 0;
    for (const t of txRows) {
      const seenAt = visibleAt.get(t.x) ?? Date.now();
      lastApplied = Math.max(lastApplied, seenAt);
      for (const at of t.produced) lags.push(seenAt - at);
    }
    const transactions = txRows.length;
    const perSecond = applied / ((lastApplied - started) / 1000);
    const [{ days, clicks }] = (
      await db.query(
        `SELECT (SELECT sum(clicks) FROM partnership_days)::int AS clicks, (SELECT count(*) FROM partnership_days)::int AS days`,
      )
    ).rows as { days: number; clicks: number }[];

    // Orders, in-process against the same database: the partnerships they name by code, then recordOrder.
    const orderCount = Number(arg('orders', '5000'));
    const connections = Number(arg('connections', '8'));
    await db.query(
      `INSERT INTO campaign_facts (campaign_id, brand_id, name, status, goal_type, goal_target, currency, last_event_at)
       SELECT ('00000000-0000-4000-8002-' || lpad(c::text, 12, '0'))::uuid, '${uuid(1, 1)}', 'C' || c, 'ACTIVE', 'sales', 100, 'USD', now()
         FROM generate_series(0, $1 - 1) c`,
      [Math.ceil(partnerships / 5)],
    );
    await db.query(
      `INSERT INTO partnership_facts (partnership_id, campaign_id, brand_id, creator_id, status, platform, discount_code, link_slug, last_event_at)
       SELECT ('00000000-0000-4000-8003-' || lpad(g::text, 12, '0'))::uuid, ('00000000-0000-4000-8002-' || lpad((g / 5)::text, 12, '0'))::uuid,
              '${uuid(1, 1)}', ('00000000-0000-4000-8004-' || lpad(g::text, 12, '0'))::uuid, 'ACTIVE', 'instagram', 'CODE' || g, 'slug' || g, now()
         FROM generate_series(0, $1 - 1) g`,
      [partnerships],
    );
    const ds = createDataSource({
      url: `${SERVER}/${database}`,
      entities: analyticsSubgraph.entities,
      migrations: analyticsSubgraph.migrations,
      poolSize: connections,
    });
    await initializeDataSource(ds);
    cleanups.unshift(() => ds.destroy());
    const intake = new OrderIntakeService({ dataSource: ds, outbox: new Outbox('analytics') });
    const orderMs: number[] = [];
    let nextOrder = 0;
    const [ordersElapsed] = await timed(() =>
      Promise.all(
        Array.from({ length: connections }, async () => {
          for (let i = nextOrder++; i < orderCount; i = nextOrder++) {
            const [t] = await timed(() =>
              intake.recordOrder({
                brandId: uuid(1, 1),
                source: 'api',
                shopId: null,
                externalId: `bench-${i}`,
                orderedAt: new Date(),
                amountMinor: 1000 + (i % 5000),
                currency: 'USD',
                pricesIncludeTax: false,
                customerKey: `customer-${i % 2000}`,
                discountCodes: [`code${i % partnerships}`],
                landingUrl: null,
                clickId: null,
                lineItems: [],
              }),
            );
            orderMs.push(t);
          }
        }),
      ),
    );
    const ordersPerSecond = orderCount / (ordersElapsed / 1000);
    const [{ attributed, announced }] = (
      await db.query(
        `SELECT (SELECT count(*) FROM orders WHERE partnership_id IS NOT NULL)::int AS attributed,
                (SELECT count(*) FROM outbox WHERE type = 'order.attributed')::int AS announced`,
      )
    ).rows as { attributed: number; announced: number }[];
    console.error(`  orders: ${n0(ordersPerSecond)}/s, ${attributed} attributed, ${announced} order.attributed in the outbox`);
    // What the batched consumer and the orders wrote to the roll-ups, against a rebuild from the raw facts.
    const rollups = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n, COALESCE(md5(string_agg(d::text, '|' ORDER BY d.partnership_id, d.day)), '') AS digest FROM partnership_days d`,
        )
      ).rows[0] as { n: number; digest: string };
    const incremental = await rollups();
    const [rebuildMs] = await timed(() => rebuildRollups(ds));
    const rebuilt = await rollups();
    const sameAsRebuild = incremental.n === rebuilt.n && incremental.digest === rebuilt.digest;
    console.error(
      `  rebuild from the raw facts in ${(rebuildMs / 1000).toFixed(1)} s: ${sameAsRebuild ? 'identical' : 'DIFFERENT'} roll-ups`,
    );
    const p99 = percentile(lags, 99);
    console.log(
      `\nAnalytics ingest: ${n0(events)} click.recorded over ${n0(partnerships)} partnerships, ${meta.partitions.length} partitions, ${new Date().toISOString().slice(0, 10)}\n`,
    );
    console.log(
      markdownTable(
        ['path', 'events/s', 'lag p50', 'lag p99'],
        [
          [
            'baseline: bare kafkajs produce → consume (eachBatch), same events',
            n0(barePerSecond),
            ms(percentile(bareLags, 50)),
            ms(percentile(bareLags, 99)),
          ],
          [
            `click.recorded → analytics consumer (batched: ${n0(transactions)} transactions, ${(applied / Math.max(1, transactions)).toFixed(0)} clicks each) → inbox + clicks + partnership_days`,
            n0(perSecond),
            ms(percentile(lags, 50)),
            ms(p99),
          ],
          [
            `orders: OrderIntakeService.recordOrder, ${connections} at a time (store, attribute by code, roll up, order.attributed in the outbox); latency, not lag`,
            n0(ordersPerSecond),
            ms(percentile(orderMs, 50)),
            ms(percentile(orderMs, 99)),
          ],
        ],
      ),
    );
    console.log(
      `\n| goal | measured | |\n| --- | --- | --- |\n| ≥ ${n0(GOAL_PER_SECOND)} events/s | ${n0(perSecond)} | ${perSecond >= GOAL_PER_SECOND ? '✔' : '✘'} |\n| lag p99 ≤ 2 s | ${ms(p99)} | ${p99 <= GOAL_LAG_P99_MS ? '✔' : '✘'} |\n| every click applied once, counted in the roll-ups | ${applied} applied, ${clicks} counted (${days} partnership days) | ${applied === events && clicks === events ? '✔' : '✘'} |\n| every order attributed and announced | ${attributed} / ${announced} of ${orderCount} | ${attributed === orderCount && announced === orderCount ? '✔' : '✘'} |\n| roll-ups identical to a rebuild from the raw facts (rebuildRollups) | ${n0(incremental.n)} partnership days, ${sameAsRebuild ? 'identical' : 'different'} | ${sameAsRebuild ? '✔' : '✘'} |`,
    );
  } finally {
    for (const c of cleanups) await c().catch((err) => console.error(err));
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
