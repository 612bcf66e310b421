import type { EntityManager } from 'typeorm';
import { createEvent, CloudEvent, NewEvent } from './envelope';
import type { TopicName } from './topics';

/**
 * Records events in the outbox inside the caller's transaction: they are published only if the
 * transaction commits, and are not lost if Kafka is down (the relay sends them later).
 */
export class Outbox {
  constructor(private readonly source: string) {}

  async enqueue<T>(tx: EntityManager, topic: TopicName, event: NewEvent<T>): Promise<CloudEvent<T>> {
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
}
