import type { EntityManager } from 'typeorm';
import { createEvent, CloudEvent, NewEvent } from './envelope';

/** Runs SQL in the caller's transaction: a TypeORM EntityManager, or a pg client inside BEGIN … COMMIT. */
export interface SqlRunner {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Events a bulk producer staged itself (for example COPYed into a TEMP table), as SQL over `from`: the
 * expressions giving each event's id, key, type and envelope (an envelope made by `Outbox.envelope`).
 */
export interface StagedEvents {
  /** A table (or a parenthesised subquery with an alias) of the caller's. */
  from: string;
  id: string;
  key: string;
  type: string;
  envelope: string;
  where?: string;
  /** The order the events get in the outbox, hence on Kafka for one key (e.g. `line, platform`). */
  orderBy?: string;
  /** Parameters of `from` and `where` ($1, $2, …). */
  params?: unknown[];
}

/**
 * Records events in the outbox inside the caller's transaction: they are published only if the
 * transaction commits, and are not lost if Kafka is down (the relay sends them later). The outbox's
 * table is known here only: producers go through `enqueue`, `enqueueMany` or `enqueueStaged`.
 */
export class Outbox {
  constructor(private readonly source: string) {}

  /** The envelope `enqueue` would record for this event, for producers that stage their events. */
  envelope<T>(event: NewEvent<T>, now = new Date()): CloudEvent<T> {
    return createEvent(this.source, event, now);
  }

  async enqueue<T>(tx: EntityManager, topic: string, event: NewEvent<T>): Promise<CloudEvent<T>> {
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.enqueue must run inside a transaction (dataSource.transaction(...))');
    }
    const envelope = createEvent(this.source, event);
    await tx.query(`INSERT INTO outbox (id, topic, key, type, envelope) VALUES ($1, $2, $3, $4, $5)`, [
      envelope.id,
      topic,
      envelope.subject,
      envelope.type,
      JSON.stringify(envelope),
    ]);
    return envelope;
  }

  /** Records many events of one topic with a single INSERT (high-volume producers, e.g. clicks). */
  async enqueueMany<T>(tx: EntityManager, topic: string, events: NewEvent<T>[], now = new Date()): Promise<CloudEvent<T>[]> {
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.enqueueMany must run inside a transaction (dataSource.transaction(...))');
    }
    if (events.length === 0) return [];
    const envelopes = events.map((e) => createEvent(this.source, e, now));
    await tx.query(
      `INSERT INTO outbox (id, topic, key, type, envelope)
       SELECT id, $1, key, type, envelope FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[]) AS e(id, key, type, envelope)`,
      [
        topic,
        envelopes.map((e) => e.id),
        envelopes.map((e) => e.subject),
        envelopes.map((e) => e.type),
        envelopes.map((e) => JSON.stringify(e)),
      ],
    );
    return envelopes;
  }

  /**
   * Records, with one INSERT … SELECT, every event a bulk producer staged (`StagedEvents`): for imports,
   * where the events of thousands of records are COPYed with the records and moved set-based. Runs in the
   * caller's transaction (`db` must be inside one). Returns how many events it recorded (`from` may be a
   * statement of the producer's own that decides it, e.g. the ledger's posting and its spend event).
   */
  async enqueueStaged(db: SqlRunner, topic: string, staged: StagedEvents): Promise<number> {
    const params = [...(staged.params ?? []), topic];
    const text = `WITH recorded AS (INSERT INTO outbox (id, topic, key, type, envelope)
       SELECT ${staged.id}, $${params.length}, ${staged.key}, ${staged.type}, ${staged.envelope} FROM ${staged.from}${
         staged.where ? ` WHERE ${staged.where}` : ''
       }${staged.orderBy ? ` ORDER BY ${staged.orderBy}` : ''} RETURNING 1)
       SELECT count(*)::int AS n FROM recorded`;
    const result = await db.query(text, params);
    const rows = (Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows) as { n: number }[] | undefined;
    return rows?.[0]?.n ?? 0;
  }
}
