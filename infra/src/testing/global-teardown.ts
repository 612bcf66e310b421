import { dropTestDatabases, testTopicPrefix } from '@influenceflow/kit/testing';
import { defaultBrokerOptions, deleteTopicsWithPrefix, stopKafka } from '../kafka/broker';

/** Removes what the run created (and stale leftovers of crashed runs); stops Kafka if the run started it. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.TEST_RUN_ID;
  if (!runId) return;
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  await dropTestDatabases(runId).catch((err: Error) => console.warn(`could not drop test databases: ${err.message}`));
  if (process.env.TEST_STARTED_KAFKA === '1') {
    await stopKafka(defaultBrokerOptions());
  } else {
    await deleteTopicsWithPrefix(brokers, testTopicPrefix(runId)).catch((err: Error) => console.warn(`could not delete test topics: ${err.message}`));
  }
}
