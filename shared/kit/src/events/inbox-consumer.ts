import type { DataSource, EntityManager } from 'typeorm';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer, IHeaders } from 'kafkajs';
import type { Logger } from '../logging/logger';
import { CloudEvent, parseEvent } from './envelope';
import { deadLetterTopic, physicalTopic } from './topics';
import { backoffMs, delay } from './sleep';
import { Outbox } from './outbox';
import { childSpan, parseTraceparent, runInTrace, TraceContext, traceLogFields } from '../tracing/trace-context';

/** The span a handler of `event` runs in: a child of the envelope's traceparent (none without a valid one). */
function traceOf(event: CloudEvent): TraceContext | null {
  const parent = parseTraceparent(event.traceparent);
  return parent && childSpan(parent);
}

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
 * Applies several events of one type inside `tx`, as if each had been applied by itself in this order
 * (the events are new to the inbox, each once); throwing rolls the whole batch back.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventBatchHandler<T = any> = (events: CloudEvent<T>[], tx: EntityManager, ctx: EventHandlerContext) => Promise<void>;

/** Batched consumption (opt-in): see `InboxConsumer`. */
export interface BatchOptions {
  /** At most this many events in one transaction (a fetched batch larger than that is cut in chunks). */
  maxEvents: number;
  /**
   * Partitions whose batches are applied at the same time, each in its own transaction (default 1). The
   * handlers must then bear concurrent writers: a deadlock or a conflict rolls a batch back and it is
   * applied event by event, retried, like any failed batch.
   */
  partitionsConcurrently?: number;
}

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
  /**
   * Consume in batches: the events Kafka delivers together are applied in one transaction with their
   * inbox rows, and one offset commit. Without it (the default), one transaction and one commit an event.
   */
  batch?: BatchOptions;
  /**
   * For batched consumers: event types whose handler applies many events at once (one call for each run
   * of consecutive events of the type in a batch). A type with a batch handler needs no `handlers` entry:
   * alone (the per-event fallback, a retry) it gets a batch of one.
   */
  batchHandlers?: { [K in keyof M]?: EventBatchHandler<M[K]> };
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
 *
 * With `definition.batch` (opt-in), the messages of a fetched batch (per partition, at most `maxEvents` at a
 * time) are applied in ONE transaction: one multi-row `INSERT INTO inbox … ON CONFLICT DO NOTHING
 * RETURNING event_id`, then only the events that are new (an event twice in a batch counts once), in
 * offset order: a handler per event, or a batch handler per run of consecutive events of its type. The
 * transaction commits, and only then the offset after the chunk's last message. If the transaction fails,
 * the chunk is applied again event by event (the path above: retries, dead letters), so a poison event
 * goes to the dead-letter topic alone and the others are applied once each. A consumer stopped (or
 * rebalanced) between chunks leaves the rest uncommitted: redelivered to whoever takes the partition,
 * whose inbox finds the chunks already applied. docs/events.md, "Batched consumers".
 */
export class InboxConsumer {
  private consumer: Consumer | null = null;
  private dlqProducer: Promise<Producer> | null = null;
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
      const batch = this.opts.definition.batch;
      if (batch) {
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: Math.max(1, Math.floor(batch.partitionsConcurrently ?? 1)),
          eachBatch: (payload) => this.handleBatch(consumer, payload, Math.max(1, Math.floor(batch.maxEvents))),
        });
      } else {
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message, heartbeat }) => {
            await this.handleMessage(topic, partition, message, heartbeat);
            await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          },
        });
      }
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
    await this.dlqProducer?.then((p) => p.disconnect()).catch(() => undefined);
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

  private handlerOf(type: string): EventHandler | undefined {
    const handler = (this.opts.definition.handlers as Record<string, EventHandler | undefined>)[type];
    if (handler) return handler;
    const many = this.batchHandlerOf(type);
    return many && ((event, tx, ctx) => many([event], tx, ctx));
  }

  private batchHandlerOf(type: string): EventBatchHandler | undefined {
    return (this.opts.definition.batchHandlers as Record<string, EventBatchHandler | undefined> | undefined)?.[type];
  }

  private async handleMessage(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>) {
    let event: CloudEvent;
    try {
      event = parseEvent(message.value);
    } catch (err) {
      await this.deadLetter(topic, partition, message, err as Error);
      return;
    }
    await this.handleEvent(topic, partition, message, event, heartbeat);
  }

  /** One event in its own transaction, retried, then dead-lettered. */
  private async handleEvent(topic: string, partition: number, message: KafkaMessage, event: CloudEvent, heartbeat: () => Promise<void>) {
    const logicalTopic = this.logicalTopicOf.get(topic) ?? topic;
    const handler = this.handlerOf(event.type);
    if (!handler) return; // an event type this consumer does not care about
    // The handler continues the trace of whoever made the event: what it emits carries the same trace-id.
    const trace = traceOf(event);
    const logger = this.opts.logger.child({ eventId: event.id, eventType: event.type, ...traceLogFields(trace) });

    for (let attempt = 1; ; attempt++) {
      try {
        await runInTrace(trace, () => this.applyOnce(event, logicalTopic, handler, logger));
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

  /** One event and its inbox row in one transaction (nothing when the inbox has it already). */
  private applyOnce(event: CloudEvent, logicalTopic: string, handler: EventHandler, logger: Logger): Promise<void> {
    return this.opts.dataSource.transaction(async (tx) => {
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
  }

  /**
   * A fetched batch, `maxEvents` messages at a time: each chunk applied (one transaction), then its offset
   * committed and resolved. Stops between chunks when the consumer stops or the partition was taken away:
   * what is left was not committed and comes again.
   */
  private async handleBatch(consumer: Consumer, payload: EachBatchPayload, maxEvents: number): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    for (let i = 0; i < batch.messages.length; i += maxEvents) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(i, i + maxEvents);
      await this.handleChunk(batch.topic, batch.partition, chunk, heartbeat);
      const last = chunk[chunk.length - 1].offset;
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      resolveOffset(last);
      await heartbeat();
    }
  }

  private async handleChunk(topic: string, partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>) {
    const logicalTopic = this.logicalTopicOf.get(topic) ?? topic;
    const parsed: { message: KafkaMessage; event: CloudEvent }[] = [];
    for (const message of messages) {
      try {
        parsed.push({ message, event: parseEvent(message.value) });
      } catch (err) {
        // unreadable: dead-lettered now, alone (neither the batch nor its fallback sees it again)
        await this.deadLetter(topic, partition, message, err as Error);
      }
    }
    const wanted = parsed.filter((p) => this.handlerOf(p.event.type)); // the types this consumer cares about
    if (wanted.length === 0) return;
    try {
      await this.opts.dataSource.transaction(async (tx) => {
        const recorded = (await tx.query(
          `INSERT INTO inbox (consumer, event_id, type, topic)
           SELECT $1, e.id, e.type, $4 FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
           ON CONFLICT DO NOTHING RETURNING event_id`,
          [this.consumerName, wanted.map((p) => p.event.id), wanted.map((p) => p.event.type), logicalTopic],
        )) as { event_id: string }[];
        // PostgreSQL answers uuids in lower case, whatever case the producer wrote them in
        const fresh = new Set(recorded.map((r) => r.event_id.toLowerCase()));
        // the new events in offset order, each once (an event twice in the batch: its first delivery)
        const apply: CloudEvent[] = [];
        for (const { event } of wanted) if (fresh.delete(event.id.toLowerCase())) apply.push(event);
        for (let i = 0; i < apply.length;) {
          const event = apply[i];
          const many = this.batchHandlerOf(event.type);
          if (many) {
            // a run of consecutive events of this type, in one call
            let j = i + 1;
            while (j < apply.length && apply[j].type === event.type) j++;
            const run = apply.slice(i, j);
            const logger = this.opts.logger.child({ eventType: event.type, events: run.length });
            // events of many traces at once: what a batch handler emits belongs to none of them
            await runInTrace(null, () => many(run, tx, { logger, outbox: this.outbox, topic: logicalTopic }));
            i = j;
          } else {
            const trace = traceOf(event);
            const logger = this.opts.logger.child({ eventId: event.id, eventType: event.type, ...traceLogFields(trace) });
            const handler = this.handlerOf(event.type) as EventHandler;
            await runInTrace(trace, () => handler(event, tx, { logger, outbox: this.outbox, topic: logicalTopic }));
            i++;
          }
        }
      });
    } catch (err) {
      this.opts.logger.warn({ err, events: wanted.length }, 'batch failed; applying its events one by one');
      await heartbeat();
      for (const { message, event } of wanted) await this.handleEvent(topic, partition, message, event, heartbeat);
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, error: Error): Promise<void> {
    // one producer, also when partitions handled side by side dead-letter at the same moment
    this.dlqProducer ??= (async () => {
      const producer = this.opts.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })();
    let dlq: Producer;
    try {
      dlq = await this.dlqProducer;
    } catch (err) {
      this.dlqProducer = null; // Kafka away: the next dead letter tries again
      throw err;
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
    await dlq.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }
}
