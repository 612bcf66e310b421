import { Kafka, logLevel } from 'kafkajs';
import { CloudEvent, createEvent, Identity } from '@influenceflow/kit';
import { TEST_KAFKA_BROKERS, TestSubgraph, testTopicPrefix } from '@influenceflow/kit/testing';
import { EVENT_TOPIC, EventDataMap } from '@influenceflow/vocabulary';

/** An event as its producer would send it, at a given time. */
export function eventOf<K extends keyof EventDataMap>(
  type: K,
  subject: string,
  brandId: string | null,
  data: EventDataMap[K],
  at: string,
): CloudEvent<EventDataMap[K]> {
  return createEvent('test', { type, subject, ...(brandId ? { brandid: brandId } : {}), data }, new Date(at));
}

/** Publishes events to their topics (under this test file's prefix unless told) over one connection, in the order given. */
export async function publishAll(events: CloudEvent[], topicPrefix = testTopicPrefix()): Promise<void> {
  const kafka = new Kafka({ clientId: 'analytics-test', brokers: TEST_KAFKA_BROKERS, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const e of events) {
      await producer.send({
        topic: `${topicPrefix}${EVENT_TOPIC[e.type as keyof typeof EVENT_TOPIC]}`,
        acks: -1,
        messages: [{ key: e.subject, value: JSON.stringify(e) }],
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The data of a successful GraphQL answer, or a failure showing its errors. */
export function ok<T>(res: { data?: T | null; errors?: unknown[] }): T {
  if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** The first error's code and field. */
export function refusal(res: { errors?: { extensions?: Record<string, unknown>; message: string }[] }) {
  const e = res.errors?.[0];
  return e ? { code: e.extensions?.code, field: e.extensions?.field, message: e.message } : null;
}

export async function count(sub: TestSubgraph, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = (await sub.runtime.dataSource.query(sql, params)) as { n: number | string }[];
  return Number(row.n);
}

export type Caller = Identity | null;
