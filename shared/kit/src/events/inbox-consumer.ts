import type { DataSource, EntityManager } from 'typeorm';
import type { Consumer, Kafka, KafkaMessage, Producer, IHeaders } from 'kafkajs';
import type { Logger } from '../logging/logger';
import { CloudEvent, parseEvent } from './envelope';
import { deadLetterTopic, physicalTopic } from './topics';
import { backoffMs, delay } from './sleep';
import { Outbox } from './outbox';

export interface EventHandlerContext {
  logger: Logger;
  /** To publish follow-up events in the same transaction as the handler's changes. */
  outbox: Outbox;
  topic: string;
}

/** Applies one event inside `tx`; throwing rolls it back and the event is retried. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventHandler<T = any> = (event: CloudEvent<T>, tx: EntityManager, ctx: EventHandlerContext) => Promise<void>;

/**
 * What a service consumes: a named consumer group over topics, with a handler per event type. `M` maps
 * each event type to its data (the vocabulary's `EventDataMap`), so each handler gets its event's data
 * type without a cast.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ConsumerDefinition<M extends object = Record<string, any>> {
  name: string;
  topics: readonly string[];
  handlers: { [K in keyof M]?: EventHandler<M[K]> };
}

export interface RetryPolicy {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 5000 };

export interface InboxConsumerOptions {
  service: string;
  definition: ConsumerDefinition;
  dataSource: DataSource;
  kafka: Kafka;
  topicPrefix: string;
  /** Prefix of the consumer group (default: topicPrefix). */
  groupPrefix?: string;
  logger: Logger;
  retry?: RetryPolicy;
  joinTimeoutMs?: number;
}

export const DLQ_HEADERS = {
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  consumer: 'x-failed-consumer',
  error: 'x-error',
  failedAt: 'x-failed-at',
} as const;

/**
 * Consumes events through the inbox: each event is applied and its id recorded in one transaction, and
 * the offset is committed only afterwards. A redelivered event finds its id and is skipped; an event that
 * fails every retry goes to `<topic>.dlq` with the error, and the stream moves on.
 */
export class InboxConsumer {
  private consumer: Consumer | null = null;
  private dlqProducer: Producer | null = null;
  private stopping = false;
  private readonly consumerName: string;
  private readonly groupId: string;
  private readonly retry: RetryPolicy;
  private readonly outbox: Outbox;
  private readonly logicalTopicOf = new Map<string, string>();

  constructor(private readonly opts: InboxConsumerOptions) {
    this.consumerName = `${opts.service}.${opts.definition.name}`;
    this.groupId = `${opts.groupPrefix ?? opts.topicPrefix}${this.consumerName}`;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.outbox = new Outbox(opts.service);
    for (const t of opts.definition.topics) this.logicalTopicOf.set(physicalTopic(opts.topicPrefix, t), t);
  }

  /** Starts consuming; resolves once the consumer has joined its group (so later events are seen). */
  async start(): Promise<void> {
    this.stopping = false;
    const consumer = this.opts.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      // Shorter long-polls: disconnect() waits for the fetch in flight, so this bounds shutdown time.
      maxWaitTimeInMs: 1000,
      allowAutoTopicCreation: false,
      // kafkajs restarts a crashed consumer by itself, also after disconnect() when the crash came first
      // (a stopped service kept reconnecting forever): never once this consumer is stopping.
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => !this.stopping },
    });
    this.consumer = consumer;
    let joinTimer: NodeJS.Timeout | undefined;
    const joined = new Promise<void>((resolve, reject) => {
      joinTimer = setTimeout(
        () => reject(new Error(`consumer ${this.groupId} did not join its group in time`)),
        this.opts.joinTimeoutMs ?? 60_000,
      );
      consumer.on(consumer.events.GROUP_JOIN, () => {
        clearTimeout(joinTimer);
        resolve();
      });
    });
    // Awaited only after connect, subscribe and run: until then (and if one of them fails) a timeout must
    // not be an unhandled rejection, which ends the whole process.
    joined.catch(() => undefined);
    consumer.on(consumer.events.CRASH, (e) => {
      const { error, restart } = e.payload as { error: Error; restart: boolean };
      this.opts.logger.warn({ err: error, restart }, 'consumer crashed');
      // kafkajs restarts by itself after retriable errors; after the others we start over ourselves.
      if (!restart && !this.stopping) void this.restartLater();
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: this.opts.definition.topics.map((t) => physicalTopic(this.opts.topicPrefix, t)),
        fromBeginning: true,
      });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          await this.handleMessage(topic, partition, message, heartbeat);
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        },
      });
      await joined;
    } catch (err) {
      // Kafka unreachable (a restart during an outage, a start as it goes away): nobody waits for the join
      // any more. Its timeout, unhandled, ended the whole process a minute after the failed start.
      clearTimeout(joinTimer);
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // disconnect() waits for the message being handled, so nothing is cut off mid-transaction.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.dlqProducer?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.dlqProducer = null;
  }

  private async restartLater(): Promise<void> {
    await delay(5000);
    if (this.stopping) return;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.start().catch((err) => {
      this.opts.logger.error({ err }, 'consumer restart failed; trying again');
      void this.restartLater();
    });
  }

  private async handleMessage(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>) {
    const logicalTopic = this.logicalTopicOf.get(topic) ?? topic;
    let event: CloudEvent;
    try {
      event = parseEvent(message.value);
    } catch (err) {
      await this.deadLetter(topic, partition, message, err as Error);
      return;
    }
    const handler = (this.opts.definition.handlers as Record<string, EventHandler | undefined>)[event.type];
    if (!handler) return; // an event type this consumer does not care about
    const logger = this.opts.logger.child({ eventId: event.id, eventType: event.type });

    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.dataSource.transaction(async (tx) => {
          const recorded = (await tx.query(
            `INSERT INTO inbox (consumer, event_id, type, topic) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING RETURNING event_id`,
            [this.consumerName, event.id, event.type, logicalTopic],
          )) as unknown[];
          if (recorded.length === 0) {
            logger.debug('duplicate event skipped');
            return;
          }
          await handler(event, tx, { logger, outbox: this.outbox, topic: logicalTopic });
        });
        return;
      } catch (err) {
        if (attempt >= this.retry.attempts) {
          logger.error({ err, attempts: attempt }, 'event failed every retry; sending it to the dead-letter topic');
          await this.deadLetter(topic, partition, message, err as Error);
          return;
        }
        logger.warn({ err, attempt }, 'event handler failed; retrying');
        await delay(backoffMs(attempt, this.retry.initialDelayMs, this.retry.maxDelayMs));
        await heartbeat();
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, error: Error): Promise<void> {
    if (!this.dlqProducer) {
      const producer = this.opts.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      this.dlqProducer = producer;
    }
    const headers: IHeaders = {
      ...message.headers,
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalPartition]: String(partition),
      [DLQ_HEADERS.originalOffset]: message.offset,
      [DLQ_HEADERS.consumer]: this.consumerName,
      [DLQ_HEADERS.error]: String(error.message).slice(0, 2000),
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    };
    // If this throws (Kafka down), the offset is not committed and the event comes back later.
    await this.dlqProducer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }
}
