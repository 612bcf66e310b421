import type { EntityManager } from 'typeorm';
import { createEvent, CloudEvent, NewEvent } from './envelope';

/**
 * Records events in the outbox inside the caller's transaction: they are published only if the
 * transaction commits, and are not lost if Kafka is down (the relay sends them later).
 */
export class Outbox {
  constructor(private readonly source: string) {}

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
}
