import { DataSource, Entity, PrimaryColumn, Column, MigrationInterface, QueryRunner } from 'typeorm';
import { Kafka, logLevel } from 'kafkajs';
import { createDataSource, initializeDataSource, ensureDatabase } from '../src/database/data-source';
import { createLogger } from '../src/logging/logger';
import { Outbox } from '../src/events/outbox';
import { OutboxRelay } from '../src/events/outbox-relay';
import { InboxConsumer, ConsumerDefinition, DLQ_HEADERS } from '../src/events/inbox-consumer';
import { replayDeadLetters } from '../src/events/dead-letters';
import { eventually } from '../src/testing/events';
import { testDatabaseName, testRunId, testTopicPrefix } from '../src/testing/run';
import { TEST_POSTGRES_URL } from '../src/testing/databases';
import { ensureTestTopics, TEST_KAFKA_BROKERS } from '../src/testing/subgraph';

/** The plumbing knows no domain: its tests use a topic of their own. */
const TOPIC = 'kit-test.events';

/** A table the test handlers write to: one row per applied event, with the order per key. */
@Entity({ name: 'applied' })
class Applied {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Column({ type: 'text' }) key: string;
  @Column({ type: 'integer' }) seq: number;
  @Column({ type: 'text' }) consumer: string;
}

class AppliedTable1764000000001 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query(
      `CREATE TABLE applied (event_id uuid PRIMARY KEY, key text NOT NULL, seq integer NOT NULL, consumer text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE applied`);
  }
}

const logger = createLogger('kit-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const kafka = new Kafka({ clientId: 'kit-test', brokers: TEST_KAFKA_BROKERS, logLevel: logLevel.NOTHING });
let ds: DataSource;
let relay: OutboxRelay;
const outbox = new Outbox('kit-test');

async function emit(key: string, seq: number, type = 'test.happened'): Promise<void> {
  await ds.transaction((tx) => outbox.enqueue(tx, TOPIC, { type, subject: key, data: { seq } }));
}

beforeAll(async () => {
  await ensureTestTopics([TOPIC]);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${testDatabaseName(testRunId(), 'kit', String(process.pid))}`;
  await ensureDatabase(url.toString());
  ds = createDataSource({ url: url.toString(), entities: [Applied], migrations: [AppliedTable1764000000001] });
  await initializeDataSource(ds);
  relay = new OutboxRelay({ dataSource: ds, kafka, topicPrefix: testTopicPrefix(), logger, pollMs: 50 });
});

afterAll(async () => {
  await relay.stop();
  await ds.destroy();
});

describe('transactional outbox', () => {
  it('records events only when the transaction commits', async () => {
    await expect(
      ds.transaction(async (tx) => {
        await outbox.enqueue(tx, TOPIC, { type: 'test.rolled-back', subject: 'k', data: {} });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await ds.query(`SELECT 1 FROM outbox WHERE type = 'test.rolled-back'`)).toHaveLength(0);
    await expect(outbox.enqueue(ds.manager, TOPIC, { type: 't', subject: 'k', data: {} })).rejects.toThrow(/inside a transaction/);
  });

  it('publishes an event whose transaction committed after later ones (no high-water mark)', async () => {
    const slow = ds.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await outbox.enqueue(slow.manager, TOPIC, { type: 'test.late', subject: 'late', data: {} });
    await emit('early', 1, 'test.early');
    expect(await relay.publishBatch()).toBeGreaterThanOrEqual(1);
    await slow.commitTransaction();
    await slow.release();
    await relay.publishBatch();
    const unsent = await ds.query(`SELECT type FROM outbox WHERE sent_at IS NULL`);
    expect(unsent).toEqual([]);
  });
});

describe('inbox consumer over 3 partitions', () => {
  const applyTo = (consumerName: string): ConsumerDefinition => ({
    name: consumerName,
    topics: [TOPIC],
    handlers: {
      'test.happened': async (event, tx) => {
        const seq = (event.data as { seq: number }).seq;
        await tx.query(`INSERT INTO applied (event_id, key, seq, consumer) VALUES ($1, $2, $3, $4)`, [
          event.id,
          event.subject,
          seq,
          consumerName,
        ]);
      },
    },
  });

  it('applies every event exactly once and in order per key, across a consumer stopped mid-stream', async () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const first = new InboxConsumer({
      service: 'kit-test',
      definition: applyTo('ordered'),
      dataSource: ds,
      kafka,
      topicPrefix: testTopicPrefix(),
      logger,
    });
    await first.start();
    relay.start();
    for (let seq = 1; seq <= 20; seq++) for (const key of keys) await emit(key, seq);
    // Stop the consumer part-way: uncommitted offsets are redelivered to its successor.
    await eventually(
      async () => (await ds.query(`SELECT count(*)::int AS n FROM applied WHERE consumer = 'ordered'`))[0].n >= 30,
      30_000,
      'the first events',
    );
    await first.stop();
    const second = new InboxConsumer({
      service: 'kit-test',
      definition: applyTo('ordered'),
      dataSource: ds,
      kafka,
      topicPrefix: testTopicPrefix(),
      logger,
    });
    await second.start();
    try {
      await eventually(
        async () => (await ds.query(`SELECT count(*)::int AS n FROM applied WHERE consumer = 'ordered'`))[0].n === 120,
        60_000,
        'all 120 events',
      );
      const rows: { key: string; seqs: number[] }[] = await ds.query(
        `SELECT key, array_agg(seq ORDER BY at) AS seqs FROM applied WHERE consumer = 'ordered' GROUP BY key ORDER BY key`,
      );
      expect(rows.map((r) => r.key)).toEqual(keys);
      for (const r of rows) expect(r.seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const inbox = await ds.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'kit-test.ordered'`);
      expect(inbox[0].n).toBe(120);
    } finally {
      await second.stop();
    }
  });

  it('sends an event that fails every retry to the dead-letter topic and moves on', async () => {
    const definition: ConsumerDefinition = {
      name: 'failing',
      topics: [TOPIC],
      handlers: {
        'test.poison': async () => {
          throw new Error('cannot apply this');
        },
        'test.fine': async (event, tx) => {
          await tx.query(`INSERT INTO applied (event_id, key, seq, consumer) VALUES ($1, $2, 0, 'failing')`, [event.id, event.subject]);
        },
      },
    };
    const consumer = new InboxConsumer({
      service: 'kit-test',
      definition,
      dataSource: ds,
      kafka,
      topicPrefix: testTopicPrefix(),
      logger,
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 },
    });
    const dlq = kafka.consumer({ groupId: `${testTopicPrefix()}dlq-reader` });
    const dead: { value: string; headers: Record<string, string> }[] = [];
    await dlq.connect();
    await dlq.subscribe({ topics: [`${testTopicPrefix()}${TOPIC}.dlq`], fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        dead.push({ value: String(message.value), headers });
      },
    });
    await consumer.start();
    try {
      await emit('p', 1, 'test.poison');
      await emit('p', 2, 'test.fine');
      await eventually(
        async () => (await ds.query(`SELECT 1 FROM applied WHERE consumer = 'failing'`)).length === 1,
        30_000,
        'the event after the poison one',
      );
      const poison = await eventually(async () => dead.find((d) => d.value.includes('test.poison')), 30_000, 'the dead letter');
      expect(poison.headers[DLQ_HEADERS.error]).toBe('cannot apply this');
      expect(poison.headers[DLQ_HEADERS.consumer]).toBe('kit-test.failing');
      expect(poison.headers[DLQ_HEADERS.originalTopic]).toBe(`${testTopicPrefix()}${TOPIC}`);
      // The failed event left no trace in the inbox: a replay after a fix will apply it.
      const recorded = await ds.query(`SELECT 1 FROM inbox WHERE consumer = 'kit-test.failing' AND type = 'test.poison'`);
      expect(recorded).toHaveLength(0);
    } finally {
      await consumer.stop();
      await dlq.disconnect();
    }

    // The cause is fixed: the same consumer now applies the replayed letter, exactly once.
    const fixed = new InboxConsumer({
      service: 'kit-test',
      definition: { ...definition, handlers: { ...definition.handlers, 'test.poison': definition.handlers['test.fine'] } },
      dataSource: ds,
      kafka,
      topicPrefix: testTopicPrefix(),
      logger,
    });
    await fixed.start();
    try {
      expect(await replayDeadLetters({ kafka, topicPrefix: testTopicPrefix(), topic: TOPIC })).toBe(1);
      await eventually(
        async () => (await ds.query(`SELECT 1 FROM applied WHERE consumer = 'failing'`)).length === 2,
        30_000,
        'the replayed event',
      );
      expect(await replayDeadLetters({ kafka, topicPrefix: testTopicPrefix(), topic: TOPIC })).toBe(0);
    } finally {
      await fixed.stop();
    }
  });
});
