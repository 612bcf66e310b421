import type { Kafka } from 'kafkajs';
import type { Logger } from '../logging/logger';
import { DLQ_HEADERS } from './inbox-consumer';
import { deadLetterTopic, physicalTopic } from './topics';

export interface ReplayOptions {
  kafka: Kafka;
  topicPrefix: string;
  /** The logical topic whose dead letters to replay, e.g. "campaign.events". */
  topic: string;
  logger?: Logger;
  timeoutMs?: number;
}

/**
 * Re-publishes the dead letters of a topic to the topic they came from, once the cause is fixed.
 * Consumers that had applied an event skip it (inbox); the one that failed applies it now. Progress is
 * kept as the offsets of a dedicated consumer group, so running it again replays only newer letters.
 */
export async function replayDeadLetters(opts: ReplayOptions): Promise<number> {
  const source = deadLetterTopic(physicalTopic(opts.topicPrefix, opts.topic));
  const fallbackTarget = physicalTopic(opts.topicPrefix, opts.topic);
  const groupId = `${opts.topicPrefix}dlq-replay.${opts.topic}`;
  const admin = opts.kafka.admin();
  await admin.connect();
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(source),
    admin.fetchOffsets({ groupId, topics: [source] }).then((r) => r[0]?.partitions ?? []),
  ]).finally(() => admin.disconnect());
  // Partitions with letters this group has not replayed yet, and where they end now.
  const pending = new Map<number, bigint>();
  for (const p of ends) {
    const done = committed.find((c) => c.partition === p.partition);
    const start = done && done.offset !== '-1' ? BigInt(done.offset) : BigInt(p.low);
    if (BigInt(p.high) > start) pending.set(p.partition, BigInt(p.high));
  }
  if (pending.size === 0) return 0;

  const producer = opts.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const consumer = opts.kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  await producer.connect();
  await consumer.connect();
  let replayed = 0;
  try {
    await consumer.subscribe({ topics: [source], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replay of ${source} did not finish in time`)), opts.timeoutMs ?? 60_000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = pending.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            const target = message.headers?.[DLQ_HEADERS.originalTopic]?.toString() || fallbackTarget;
            await producer.send({ topic: target, acks: -1, messages: [{ key: message.key, value: message.value }] });
            replayed++;
            await consumer.commitOffsets([{ topic: source, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
            if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  opts.logger?.info({ topic: opts.topic, replayed }, 'dead letters replayed');
  return replayed;
}
