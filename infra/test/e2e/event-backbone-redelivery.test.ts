import { TEST_KAFKA_BROKERS, TEST_POSTGRES_URL, testRunId, testTopicPrefix } from '@influenceflow/kit/testing';
import { exactDelivery } from './support';
import { consumerKilledAndRebalanced } from '../../../bench/src/event-backbone/scenarios';
import { killAllChildren, saveResult, Scope } from '../../../bench/src/event-backbone/world';

/**
 * Issue 10, R2: a consuming service (a child process with the kit's InboxConsumer) is SIGKILLed with events
 * applied in its database whose offsets it never committed, and a second consumer joins its group and
 * leaves mid-stream; its database must end identical to a fault-free consumer's of the same stream.
 * Larger: `node bench/dist/event-backbone.js --only redelivery --events 20000`.
 */
const EVENTS = Number(process.env.EVB_REDELIVERY_EVENTS ?? 2000);
const scope = new Scope();

afterAll(async () => {
  await killAllChildren();
  await scope.close();
});

it(`ends identical to a fault-free run after a consumer killed before committing and a rebalance (${EVENTS} events)`, async () => {
  const killAfter = 150;
  const r = await consumerKilledAndRebalanced(
    {
      brokers: TEST_KAFKA_BROKERS,
      topicPrefix: testTopicPrefix(),
      postgresUrl: TEST_POSTGRES_URL,
      runId: testRunId(),
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
    { events: EVENTS, accounts: 30, ratePerSec: 160, joinAfter: 150, joinFor: 100, killAfter },
    scope,
  );
  saveResult('redelivery', r);

  expect(r.killed.signal).toBe('SIGKILL');
  // When it died, the events it applied after it stopped acknowledging were not committed to Kafka (plus, at
  // most, a message whose commit a rebalance refused): they came back to its successor, which skipped them.
  expect(r.killed.appliedPastCommitted).toBeGreaterThanOrEqual(killAfter);
  expect(r.killed.appliedPastCommitted).toBeLessThanOrEqual(killAfter + 3);
  expect(r.redelivered).toBeGreaterThanOrEqual(r.killed.appliedPastCommitted);
  expect(r.joiner.handled).toBeGreaterThanOrEqual(100);
  expect(r.differences).toEqual([]);
  const exact = exactDelivery(EVENTS);
  expect(r.clean).toEqual(exact);
  expect(r.faulty).toEqual(exact);
}, 240_000);
