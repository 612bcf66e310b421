/**
 * Creating and removing topics: the start command, the `kafka` CLI, test runs and benchmarks all make
 * the platform's topics (with a prefix) the same way.
 */
import { Admin, Kafka, logLevel } from 'kafkajs';
import { delay } from './sleep';
import { withDeadLetters } from './topics';

function adminClient(brokers: string[], timeoutMs: number, retries: number): Admin {
  return new Kafka({
    clientId: 'influenceflow-admin',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: Math.max(timeoutMs, 5000),
    retry: { retries, initialRetryTime: 200, maxRetryTime: 2000 },
  }).admin();
}

async function connectAdmin(admin: Admin, brokers: string[]): Promise<void> {
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `Kafka is not reachable at ${brokers.join(',')} (${(err as Error).message}). Start it with \`pnpm kafka:start\`, or point KAFKA_BROKERS / KAFKA_PORT at a running broker.`,
    );
  }
}

/**
 * Creates the topics that do not exist yet (existing ones are left as they are, so it is safe to call at
 * every start and from several processes at once) and resolves when metadata shows all of them with a
 * leader for every partition. Returns the names it created.
 */
export async function ensureTopics(
  brokers: string[],
  topics: string[],
  { partitions = 3, timeoutMs = 30_000 }: { partitions?: number; timeoutMs?: number } = {},
): Promise<string[]> {
  const wanted = [...new Set(topics)];
  if (wanted.length === 0) return [];
  const admin = adminClient(brokers, 3000, 5);
  const deadline = Date.now() + timeoutMs;
  await connectAdmin(admin, brokers);
  try {
    let created: string[] = [];
    for (;;) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = wanted.filter((t) => !existing.has(t));
        if (missing.length > 0) {
          // Resolves false when another process created them first: that is fine.
          await admin.createTopics({
            waitForLeaders: true,
            timeout: 10_000,
            topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
          });
          created = missing;
        }
        break;
      } catch (err) {
        if (!isTransient(err) || Date.now() > deadline) {
          throw new Error(`Could not create Kafka topics on ${brokers.join(',')}: ${describeKafkaError(err)}`);
        }
        await delay(500);
      }
    }
    // Creation is acknowledged by the controller; wait until the broker's metadata serves every topic.
    let lastProblem = '';
    while (Date.now() <= deadline) {
      try {
        const { topics: found } = await admin.fetchTopicMetadata({ topics: wanted });
        const ready = new Set(found.filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)).map((t) => t.name));
        const waiting = wanted.filter((t) => !ready.has(t));
        if (waiting.length === 0) return created;
        lastProblem = `no leader yet for ${waiting.slice(0, 5).join(', ')}`;
      } catch (err) {
        lastProblem = (err as Error).message;
      }
      await delay(200);
    }
    throw new Error(`Kafka topics were created but did not become available within ${timeoutMs / 1000} s: ${lastProblem}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

type KafkaJsError = Error & { type?: string; retriable?: boolean; errors?: KafkaJsError[]; topic?: string };

/**
 * Worth another try: the connection or a request failed, or the node has not registered itself yet right
 * after a start (then it has no broker to place a replica on: INVALID_REPLICATION_FACTOR). A bad topic
 * name or configuration is not.
 */
function isTransient(err: unknown): boolean {
  const e = err as KafkaJsError;
  if (Array.isArray(e.errors))
    return e.errors.every((x) => ['INVALID_REPLICATION_FACTOR', 'NOT_CONTROLLER', 'REQUEST_TIMED_OUT'].includes(x.type ?? ''));
  return (
    e.retriable === true ||
    ['KafkaJSConnectionError', 'KafkaJSRequestTimeoutError', 'KafkaJSNumberOfRetriesExceeded', 'KafkaJSBrokerNotFound'].includes(e.name)
  );
}

function describeKafkaError(err: unknown): string {
  const e = err as KafkaJsError;
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.map((x) => `${x.topic ?? '?'}: ${x.type ?? x.message}`).join('; ');
  return e.message;
}

/**
 * Deletes every topic whose name starts with `prefix` (a test run's topics) and returns their names.
 * Internal topics (`__consumer_offsets`, …) are never touched, and an empty prefix is refused.
 */
export async function deleteTopicsWithPrefix(brokers: string[], prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('Refusing to delete Kafka topics without a prefix: that would be every topic.');
  const admin = adminClient(brokers, 3000, 3);
  await connectAdmin(admin, brokers);
  try {
    const doomed = (await admin.listTopics()).filter((t) => t.startsWith(prefix) && !t.startsWith('__'));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 30_000 });
    return doomed;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Event topics and their dead-letter twins, each named `<prefix><topic>` (3 partitions). */
export function ensureEventTopics(brokers: string[], prefix: string, topics: readonly string[]): Promise<string[]> {
  return ensureTopics(
    brokers,
    withDeadLetters(topics).map((t) => `${prefix}${t}`),
    { partitions: 3 },
  );
}
