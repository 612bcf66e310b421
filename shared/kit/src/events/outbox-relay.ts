import type { DataSource } from 'typeorm';
import type { Kafka, Producer, Message } from 'kafkajs';
import type { Logger } from '../logging/logger';
import { physicalTopic } from './topics';
import { backoffMs, Waiter } from './sleep';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: Kafka;
  topicPrefix: string;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  maxBackoffMs?: number;
}

interface OutboxRow {
  seq: string;
  id: string;
  topic: string;
  key: string;
  type: string;
  /** JSON text */
  envelope: string;
}

/**
 * Held (for one transaction) by the relay that is publishing from a database's outbox. Advisory locks are
 * per database, so each service's outbox has its own.
 */
const PUBLISHING_LOCK = 7_362_105_091;

/**
 * Publishes outbox rows to Kafka, then marks them sent. It selects *unsent* rows (not "after the last
 * position": a transaction that commits late would be skipped forever) in `seq` order, with an idempotent
 * producer and acks=all. A failed publish leaves the rows unsent and retries with backoff: Kafka being down
 * delays events, never loses them.
 *
 * One relay publishes from an outbox at a time: every replica of a service runs one, and each batch is
 * published under a transaction-scoped advisory lock that the others try and, when it is taken, skip their
 * turn. With `FOR UPDATE SKIP LOCKED` alone, a second replica took the rows after the first one's batch and
 * could get them to Kafka first, so an aggregate's later events overtook its earlier ones. The lock goes
 * with the transaction: at commit, at rollback, and when a killed relay's connection closes.
 */
export class OutboxRelay {
  private producer: Producer | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly waiter = new Waiter();
  private failures = 0;
  private readonly batchSize: number;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.batchSize = opts.batchSize ?? 500;
  }

  /** True while the last publish attempt succeeded (for /readyz and tests). */
  get healthy(): boolean {
    return this.failures === 0;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Publish now instead of at the next poll (e.g. right after a commit). */
  wake(): void {
    this.waiter.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.waiter.wake();
    await this.loop;
    await this.disconnect();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishBatch();
        if (this.failures > 0) this.opts.logger.info({ afterFailures: this.failures }, 'outbox relay recovered');
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        // One warning per outage, then debug: a long outage should not flood the logs.
        const log = this.failures === 1 ? this.opts.logger.warn : this.opts.logger.debug;
        log.call(this.opts.logger, { err, failures: this.failures }, 'outbox publish failed; will retry');
        await this.disconnect();
      }
      if (!this.running) break;
      if (this.failures > 0) await this.waiter.sleep(backoffMs(this.failures, 200, this.opts.maxBackoffMs ?? 5000));
      else if (published < this.batchSize) await this.waiter.sleep(this.opts.pollMs);
    }
  }

  /** Publishes up to one batch of unsent events; returns how many were sent. */
  async publishBatch(): Promise<number> {
    const runner = this.opts.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const [{ turn }] = (await runner.query(`SELECT pg_try_advisory_xact_lock($1) AS turn`, [PUBLISHING_LOCK])) as { turn: boolean }[];
      if (!turn) {
        // Another replica is publishing; it (or this relay, at its next poll) takes the rows after its batch.
        await runner.commitTransaction();
        return 0;
      }
      const rows = (await runner.query(
        // The envelope as text: sent as it is, not parsed into objects and serialised again. No SKIP LOCKED:
        // a row locked by another relay's failure bookkeeping is waited for, not overtaken.
        `SELECT seq, id, topic, key, type, envelope::text AS envelope FROM outbox
          WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE`,
        [this.batchSize],
      )) as OutboxRow[];
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      const producer = await this.connectedProducer();
      const byTopic = new Map<string, Message[]>();
      for (const row of rows) {
        const topic = physicalTopic(this.opts.topicPrefix, row.topic);
        const messages = byTopic.get(topic) ?? [];
        messages.push({
          key: row.key,
          value: row.envelope,
          headers: { ce_id: row.id, ce_type: row.type, 'content-type': 'application/cloudevents+json' },
        });
        byTopic.set(topic, messages);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      await runner.query(`UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`, [
        rows.map((r) => r.seq),
      ]);
      await runner.commitTransaction();
      return rows.length;
    } catch (err) {
      await runner.rollbackTransaction().catch(() => undefined);
      await this.opts.dataSource
        .query(
          `UPDATE outbox SET attempts = attempts + 1, last_error = $1
            WHERE seq IN (SELECT seq FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $2)`,
          [String((err as Error).message).slice(0, 1000), this.batchSize],
        )
        .catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.opts.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async disconnect(): Promise<void> {
    const p = this.producer;
    this.producer = null;
    // A fresh producer after a failure gets a fresh producer id and connections after a broker restart.
    await p?.disconnect().catch(() => undefined);
  }
}
