import { deleteTopicsWithPrefix } from '@influenceflow/kit';
import { dropTestDatabases, testRunTopicPrefix } from '@influenceflow/kit/testing';
import { removeTestBroker } from './test-kafka';

/** Removes what the run created (and stale leftovers of crashed runs), its own Kafka node included. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.TEST_RUN_ID;
  if (!runId) return;
  await dropTestDatabases(runId).catch((err: Error) => console.warn(`could not drop test databases: ${err.message}`));
  if (process.env.TEST_STARTED_KAFKA === '1') {
    await removeTestBroker(runId);
  } else {
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
    await deleteTopicsWithPrefix(brokers, testRunTopicPrefix(runId)).catch((err: Error) =>
      console.warn(`could not delete test topics: ${err.message}`),
    );
  }
}
