import { Kafka, logLevel } from 'kafkajs';
import { CloudEvent } from '../events/envelope';
import { delay } from '../events/sleep';

/** Publishes an envelope straight to Kafka, bypassing any outbox (to test consumers, e.g. duplicates). */
export async function publishRawEvent(brokers: string[], topic: string, event: CloudEvent, times = 1): Promise<void> {
  const kafka = new Kafka({ clientId: 'test-publisher', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < times; i++) {
      await producer.send({ topic, acks: -1, messages: [{ key: event.subject, value: JSON.stringify(event) }] });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await delay(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}
