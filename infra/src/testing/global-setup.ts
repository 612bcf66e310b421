import { isKafkaReachable, SERVICE_NAMES, topicsWithDeadLetters } from '@influenceflow/kit';
import { createTemplateDatabase, newTestRunId, testTopicPrefix, TEST_POSTGRES_URL } from '@influenceflow/kit/testing';
import { Client } from 'pg';
import { defaultBrokerOptions, ensureKafkaDistribution, ensureTopics, startKafka } from '../kafka/broker';
import { SUBGRAPHS } from '../subgraphs';

/**
 * Once per jest run: a run id (so databases and topics never clash with earlier runs or a running dev
 * stack), Kafka started when it is not running, this run's topics, and a migrated template database per
 * service that test files copy.
 */
export default async function globalSetup(): Promise<void> {
  const runId = newTestRunId();
  process.env.TEST_RUN_ID = runId;

  const pg = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await pg.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(err as Error).message}). Start it, or set TEST_POSTGRES_URL.`);
  } finally {
    await pg.end().catch(() => undefined);
  }

  const broker = defaultBrokerOptions();
  const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${broker.port}`).split(',');
  process.env.KAFKA_BROKERS = brokers.join(',');
  if (!(await isKafkaReachable(brokers))) {
    await ensureKafkaDistribution(broker);
    const started = await startKafka(broker);
    if (started.startedByUs) process.env.TEST_STARTED_KAFKA = '1';
  }
  const prefix = testTopicPrefix(runId);
  await ensureTopics(brokers, topicsWithDeadLetters().map((t) => `${prefix}${t}`), { partitions: 3 });
  await Promise.all(SERVICE_NAMES.map((name) => createTemplateDatabase(name, SUBGRAPHS[name], runId)));
}
