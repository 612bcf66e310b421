import { TEST_KAFKA_BROKERS, TEST_POSTGRES_URL, testRunId, testTopicPrefix } from '@influenceflow/kit/testing';
import { lateCommits, LateCommitOptions, lateCommitPlan } from '../../../bench/src/event-backbone/scenarios';
import { saveResult, Scope, World } from '../../../bench/src/event-backbone/world';

/**
 * Issue 10, R3: 200 transactions started at once, some held open 2 s after recording their events (so they
 * commit after later ones were published) and some rolled back. Every committed event must reach the
 * consumer, no other, and each account's events in order, with one relay and with two replicas relaying
 * the same outbox. Larger: `node bench/dist/event-backbone.js --only late --transactions 2000 --connections 80`.
 */
const TRANSACTIONS = Number(process.env.EVB_TRANSACTIONS ?? 200);
const CONNECTIONS = Number(process.env.EVB_CONNECTIONS ?? 20);
const scope = new Scope();
const world = (): World => ({
  brokers: TEST_KAFKA_BROKERS,
  topicPrefix: testTopicPrefix(),
  postgresUrl: TEST_POSTGRES_URL,
  runId: testRunId(),
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
});

afterAll(() => scope.close());

const base: LateCommitOptions = { transactions: TRANSACTIONS, accounts: 20, connections: CONNECTIONS, holdMs: 2000, relays: 1 };
const plans = Array.from({ length: TRANSACTIONS }, (_, i) => lateCommitPlan(i, base));
const committedEvents = plans.filter((p) => !p.rollback).reduce((sum, p) => sum + p.events, 0);

function expectEveryEventOnceInOrder(r: Awaited<ReturnType<typeof lateCommits>>, events: number) {
  expect(r.events).toBe(events);
  expect(r.rolledBackInOutbox).toBe(0);
  expect(r.delivery).toEqual({
    produced: events,
    unsent: 0,
    applications: events,
    applied: events,
    appliedTwice: 0,
    missing: 0,
    unexpected: 0,
    outOfOrder: 0,
    accountsDiffering: 0,
    inbox: events,
  });
}

it(`publishes every event of ${TRANSACTIONS} concurrent transactions, late commits included, in order per account`, async () => {
  const r = await lateCommits(world(), { ...base, label: 'one' }, scope);
  saveResult('late-commits', r);
  expect(r.held).toBe(plans.filter((p) => p.held).length);
  expect(r.held).toBeGreaterThanOrEqual(20);
  expect(r.rolledBack).toBe(plans.filter((p) => p.rollback).length);
  expect(r.maxOpen).toBe(CONNECTIONS);
  // Held transactions committed after events behind them in the outbox were published: not skipped.
  expect(r.overtaken).toBeGreaterThan(0);
  expectEveryEventOnceInOrder(r, committedEvents);
}, 120_000);

it('keeps each account in order when two replicas relay the same outbox, one of them slow', async () => {
  // A backlog both find when they start (after an outage, a deploy), in batches of 50; the first replica's
  // publishes each take 300 ms to reach Kafka, so the second one has its turns in the middle of them.
  const backlog = 600;
  const r = await lateCommits(world(), { ...base, label: 'two', relays: 2, backlog, batchSize: 50, slowPublishMs: 300 }, scope);
  saveResult('late-commits-two-relays', r);
  expectEveryEventOnceInOrder(r, backlog + committedEvents);
}, 120_000);
