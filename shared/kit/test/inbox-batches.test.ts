import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { Kafka, logLevel } from 'kafkajs';
import { createDataSource, initializeDataSource, ensureDatabase } from '../src/database/data-source';
import { createLogger } from '../src/logging/logger';
import { createEvent, CloudEvent } from '../src/events/envelope';
import { InboxConsumer, ConsumerDefinition, DLQ_HEADERS, EventBatchHandler } from '../src/events/inbox-consumer';
import { eventually } from '../src/testing/events';
import { testDatabaseName, testRunId, testTopicPrefix } from '../src/testing/run';
import { TEST_POSTGRES_URL } from '../src/testing/databases';
import { ensureTestTopics, TEST_KAFKA_BROKERS } from '../src/testing/subgraph';

/**
 * Batched consumption (`ConsumerDefinition.batch`): each test has a topic of its own, its events produced
 * before its consumer starts (so Kafka hands them over in one fetch), and a table row per applied event.
 */
const TOPICS = {
  once: 'kit-test.batch-once',
  poison: 'kit-test.batch-poison',
  fallback: 'kit-test.batch-fallback',
  stopped: 'kit-test.batch-stopped',
} as const;

class BatchAppliedTable1764000000002 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query(
      `CREATE TABLE batch_applied (event_id uuid NOT NULL, key text NOT NULL, seq integer NOT NULL, consumer text NOT NULL,
         at timestamptz NOT NULL DEFAULT clock_timestamp(), n bigserial PRIMARY KEY)`,
    );
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE batch_applied`);
  }
}

const logger = createLogger('kit-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const kafka = new Kafka({ clientId: 'kit-batch-test', brokers: TEST_KAFKA_BROKERS, logLevel: logLevel.NOTHING });
let ds: DataSource;
const running: InboxConsumer[] = [];

const topic = (t: string) => `${testTopicPrefix()}${t}`;
const event = (type: string, key: string, seq: number): CloudEvent => createEvent('kit-test', { type, subject: key, data: { seq } });

/** Sends these envelopes (in this order, one partition per key) straight to Kafka. */
async function produce(t: string, events: CloudEvent[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: topic(t), acks: -1, messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })) });
  } finally {
    await producer.disconnect();
  }
}

async function insertApplied(tx: { query: (sql: string, params: unknown[]) => Promise<unknown> }, consumer: string, events: CloudEvent[]) {
  await tx.query(
    `INSERT INTO batch_applied (event_id, key, seq, consumer) SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[])`,
    [events.map((e) => e.id), events.map((e) => e.subject), events.map((e) => (e.data as { seq: number }).seq), events.map(() => consumer)],
  );
}

async function appliedOf(consumer: string): Promise<{ event_id: string; times: number }[]> {
  return ds.query(`SELECT event_id, count(*)::int AS times FROM batch_applied WHERE consumer = $1 GROUP BY event_id`, [consumer]);
}

async function start(definition: ConsumerDefinition, retry = { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 }): Promise<InboxConsumer> {
  const consumer = new InboxConsumer({
    service: 'kit-test',
    definition,
    dataSource: ds,
    kafka,
    topicPrefix: testTopicPrefix(),
    logger,
    retry,
  });
  running.push(consumer);
  await consumer.start();
  return consumer;
}

async function stop(consumer: InboxConsumer): Promise<void> {
  await consumer.stop();
  running.splice(running.indexOf(consumer), 1);
}

/** The group's committed offsets of a topic, summed over partitions (−1 counted as 0). */
async function committed(group: string, t: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic(t)] });
    return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  await ensureTestTopics(Object.values(TOPICS));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${testDatabaseName(testRunId(), 'kitbatch', String(process.pid))}`;
  await ensureDatabase(url.toString());
  ds = createDataSource({ url: url.toString(), entities: [], migrations: [BatchAppliedTable1764000000002] });
  await initializeDataSource(ds);
});

afterAll(async () => {
  for (const c of [...running]) await c.stop();
  await ds.destroy();
});

describe('batched inbox consumer', () => {
  it('applies a batch of events once each, in one call, and nothing when the batch comes again', async () => {
    const calls: number[] = [];
    const batchHandler: EventBatchHandler = async (events, tx) => {
      calls.push(events.length);
      await insertApplied(tx, 'once', events);
    };
    const definition: ConsumerDefinition = {
      name: 'batch-once',
      topics: [TOPICS.once],
      handlers: {},
      batch: { maxEvents: 500 },
      batchHandlers: { 'test.counted': batchHandler },
    };
    const events = Array.from({ length: 50 }, (_, i) => event('test.counted', 'one-key', i + 1));
    // the same 50 twice in the same batch (a relay that published them twice), then a last one
    const last = event('test.counted', 'one-key', 51);
    await produce(TOPICS.once, [...events, ...events, last]);
    const consumer = await start(definition);
    await eventually(async () => (await appliedOf('once')).some((r) => r.event_id === last.id), 30_000, 'the last event');
    let applied = await appliedOf('once');
    expect(applied).toHaveLength(51);
    expect(applied.every((r) => r.times === 1)).toBe(true);
    expect(calls).toEqual([51]); // one batch, each event in it once, in one call
    const rows: { seq: number }[] = await ds.query(`SELECT seq FROM batch_applied WHERE consumer = 'once' ORDER BY n`);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1)); // offset order
    expect((await ds.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'kit-test.batch-once'`))[0].n).toBe(51);
    const group = `${testTopicPrefix()}kit-test.batch-once`;
    await eventually(async () => (await committed(group, TOPICS.once)) === 101, 30_000, 'the offsets committed');

    // The whole batch redelivered (the group's offsets back to the start): nothing is applied again.
    await stop(consumer);
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: group, topic: topic(TOPICS.once), earliest: true });
    await admin.disconnect();
    const after = event('test.counted', 'one-key', 52);
    await produce(TOPICS.once, [after]);
    calls.length = 0;
    const again = await start(definition);
    await eventually(async () => (await appliedOf('once')).some((r) => r.event_id === after.id), 30_000, 'the event after the redelivery');
    applied = await appliedOf('once');
    expect(applied).toHaveLength(52);
    expect(applied.every((r) => r.times === 1)).toBe(true);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(1); // only the new event reached the handler
    await eventually(async () => (await committed(group, TOPICS.once)) === 102, 30_000, 'the offsets committed again');
    await stop(again);
  });

  it('sends a poison event in the middle of a batch to the dead-letter topic and applies the others once', async () => {
    let batchCalls = 0;
    const definition: ConsumerDefinition = {
      name: 'batch-poison',
      topics: [TOPICS.poison],
      handlers: {
        'test.poison': async () => {
          throw new Error('cannot apply this');
        },
      },
      batch: { maxEvents: 500 },
      batchHandlers: {
        'test.fine': async (events, tx) => {
          batchCalls++;
          await insertApplied(tx, 'poison', events);
        },
      },
    };
    const before = Array.from({ length: 5 }, (_, i) => event('test.fine', 'k', i + 1));
    const poison = event('test.poison', 'k', 6);
    const afterIt = Array.from({ length: 5 }, (_, i) => event('test.fine', 'k', i + 7));
    await produce(TOPICS.poison, [...before, poison, ...afterIt]);
    const dead: { value: string; headers: Record<string, string> }[] = [];
    const dlq = kafka.consumer({ groupId: `${testTopicPrefix()}batch-dlq-reader` });
    await dlq.connect();
    await dlq.subscribe({ topics: [`${topic(TOPICS.poison)}.dlq`], fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        dead.push({
          value: String(message.value),
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    try {
      const consumer = await start(definition);
      const letter = await eventually(async () => dead.find((d) => d.value.includes(poison.id)), 30_000, 'the dead letter');
      expect(letter.headers[DLQ_HEADERS.error]).toBe('cannot apply this');
      expect(letter.headers[DLQ_HEADERS.consumer]).toBe('kit-test.batch-poison');
      await eventually(async () => (await appliedOf('poison')).length === 10, 30_000, 'the ten fine events');
      const group = `${testTopicPrefix()}kit-test.batch-poison`;
      await eventually(async () => (await committed(group, TOPICS.poison)) === 11, 30_000, 'the offsets committed');
      const applied = await appliedOf('poison');
      expect(applied.map((r) => r.event_id).sort()).toEqual([...before, ...afterIt].map((e) => e.id).sort());
      expect(applied.every((r) => r.times === 1)).toBe(true);
      // the batch was tried once (the five before the poison in one call, rolled back with it), then each
      // fine event alone (a batch of one)
      expect(batchCalls).toBe(1 + 10);
      const rows: { seq: number }[] = await ds.query(`SELECT seq FROM batch_applied WHERE consumer = 'poison' ORDER BY n`);
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11]);
      expect(dead.filter((d) => d.value.includes('test.fine'))).toEqual([]);
      // the poison event left no inbox row: a replay after a fix applies it
      const inbox: { type: string }[] = await ds.query(`SELECT type FROM inbox WHERE consumer = 'kit-test.batch-poison'`);
      expect(inbox).toHaveLength(10);
      expect(inbox.every((r) => r.type === 'test.fine')).toBe(true);
      await stop(consumer);
    } finally {
      await dlq.disconnect();
    }
  });

  it('falls back to one transaction an event when the batch fails, and applies each once', async () => {
    const calls: number[] = [];
    const definition: ConsumerDefinition = {
      name: 'batch-fallback',
      topics: [TOPICS.fallback],
      handlers: {},
      batch: { maxEvents: 500 },
      batchHandlers: {
        // fails for any batch of more than one event (a statement too large, say): alone each one works
        'test.flaky': async (events, tx) => {
          calls.push(events.length);
          await insertApplied(tx, 'fallback', events);
          if (events.length > 1) throw new Error('too many at once');
        },
      },
    };
    const events = Array.from({ length: 8 }, (_, i) => event('test.flaky', 'f', i + 1));
    const ignored = event('test.not-mine', 'f', 99); // no handler: skipped, no inbox row
    await produce(TOPICS.fallback, [...events.slice(0, 4), ignored, ...events.slice(4)]);
    const consumer = await start(definition);
    await eventually(async () => (await appliedOf('fallback')).length === 8, 30_000, 'the eight events');
    const group = `${testTopicPrefix()}kit-test.batch-fallback`;
    await eventually(async () => (await committed(group, TOPICS.fallback)) === 9, 30_000, 'the offsets committed');
    const applied = await appliedOf('fallback');
    expect(applied.every((r) => r.times === 1)).toBe(true);
    expect(calls).toEqual([8, 1, 1, 1, 1, 1, 1, 1, 1]);
    const rows: { seq: number }[] = await ds.query(`SELECT seq FROM batch_applied WHERE consumer = 'fallback' ORDER BY n`);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'kit-test.batch-fallback'`))[0].n).toBe(8);
    await stop(consumer);
  });

  it('loses and repeats nothing across a consumer stopped mid-stream, in order per key', async () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const definition: ConsumerDefinition = {
      name: 'batch-stopped',
      topics: [TOPICS.stopped],
      // per-event handlers only, in chunks of 7: each chunk one transaction, the 3 partitions side by side
      handlers: { 'test.happened': (e, tx) => insertApplied(tx, 'stopped', [e]) },
      batch: { maxEvents: 7, partitionsConcurrently: 3 },
    };
    const first = await start(definition);
    const count = async () => (await ds.query(`SELECT count(*)::int AS n FROM batch_applied WHERE consumer = 'stopped'`))[0].n as number;
    const produceSeqs = async (from: number, to: number) => {
      for (let seq = from; seq <= to; seq++)
        await produce(
          TOPICS.stopped,
          keys.map((k) => event('test.happened', k, seq)),
        );
    };
    await produceSeqs(1, 20);
    await eventually(async () => (await count()) >= 30, 30_000, 'the first events');
    await stop(first);
    // the stream goes on while no consumer runs: the second takes up where the first stopped
    const atStop = await count();
    expect(atStop).toBeLessThanOrEqual(120);
    await produceSeqs(21, 40);
    expect(await count()).toBe(atStop);
    const second = await start(definition);
    await eventually(async () => (await count()) === 240, 60_000, 'all 240 events');
    const group = `${testTopicPrefix()}kit-test.batch-stopped`;
    await eventually(async () => (await committed(group, TOPICS.stopped)) === 240, 30_000, 'the offsets committed');
    expect(await count()).toBe(240);
    const applied = await appliedOf('stopped');
    expect(applied).toHaveLength(240);
    expect(applied.every((r) => r.times === 1)).toBe(true);
    const rows: { key: string; seqs: number[] }[] = await ds.query(
      `SELECT key, array_agg(seq ORDER BY n) AS seqs FROM batch_applied WHERE consumer = 'stopped' GROUP BY key ORDER BY key`,
    );
    expect(rows.map((r) => r.key)).toEqual(keys);
    for (const r of rows) expect(r.seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await stop(second);
  });
});
