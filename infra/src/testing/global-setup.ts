import { isKafkaReachable, SERVICE_NAMES } from '@influenceflow/kit';
import { createTemplateDatabase, newTestRunId, TEST_POSTGRES_URL } from '@influenceflow/kit/testing';
import { Client } from 'pg';
import { ensureKafkaDistribution, startKafka } from '../kafka/broker';
import { SUBGRAPHS } from '../subgraphs';
import { freePort, removeDeadTestBrokers, testBrokerOptions } from './test-kafka';

/**
 * Once per jest run: a run id (so databases and topics never clash with earlier runs or a running dev
 * stack), a Kafka node of the run's own unless KAFKA_BROKERS names one, and a migrated template
 * database per service that test files copy. Each test file makes its own topics (`ensureTestTopics`).
 */
export default async function globalSetup(): Promise<void> {
  const runId = process.env.TEST_RUN_ID ?? newTestRunId();
  process.env.TEST_RUN_ID = runId;

  const pg = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await pg.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(err as Error).message}). Start it, or set TEST_POSTGRES_URL.`);
  } finally {
    await pg.end().catch(() => undefined);
  }

  if (process.env.KAFKA_BROKERS) {
    if (!(await isKafkaReachable(process.env.KAFKA_BROKERS.split(','), 5000, 3)))
      throw new Error(`KAFKA_BROKERS=${process.env.KAFKA_BROKERS} is set but no broker answers there.`);
  } else {
    await removeDeadTestBrokers();
    const broker = testBrokerOptions(runId, await freePort(), await freePort());
    await ensureKafkaDistribution(broker);
    const { brokers } = await startKafka(broker);
    process.env.TEST_STARTED_KAFKA = '1';
    process.env.KAFKA_BROKERS = brokers.join(',');
  }
  await Promise.all(SERVICE_NAMES.map((name) => createTemplateDatabase(name, SUBGRAPHS[name], runId)));
}
