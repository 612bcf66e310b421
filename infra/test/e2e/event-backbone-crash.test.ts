import { TEST_KAFKA_BROKERS, TEST_POSTGRES_URL, testRunId, testTopicPrefix } from '@influenceflow/kit/testing';
import { crashBetweenCommitAndPublish } from '../../../bench/src/event-backbone/scenarios';
import { killAllChildren, saveResult, Scope } from '../../../bench/src/event-backbone/world';

/**
 * Issue 10, R1: the producing service (a child process running the kit's Outbox and OutboxRelay) is
 * SIGKILLed three times during 1,000 mutations, each time with committed events it had not published yet,
 * and restarted. Larger: `node bench/dist/event-backbone.js --only crash --mutations 20000`.
 */
const MUTATIONS = Number(process.env.EVB_MUTATIONS ?? 1000);
const scope = new Scope();

afterAll(async () => {
  await killAllChildren();
  await scope.close();
});

it(`delivers each event of ${MUTATIONS} mutations once and in order per account, across three SIGKILLs of the producer`, async () => {
  const r = await crashBetweenCommitAndPublish(
    {
      brokers: TEST_KAFKA_BROKERS,
      topicPrefix: testTopicPrefix(),
      postgresUrl: TEST_POSTGRES_URL,
      runId: testRunId(),
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
    { mutations: MUTATIONS, accounts: 20, workers: 4 },
    scope,
  );
  saveResult('crash', r);

  expect(r.kills.map((k) => [k.kind, k.signal])).toEqual([
    ['before-publish', 'SIGKILL'],
    ['after-publish', 'SIGKILL'],
    ['outside', 'SIGKILL'],
  ]);
  const [before, after] = r.kills;
  // Killed with the batch selected but not sent: those committed events were still unsent.
  expect(before.batch).toBeGreaterThan(0);
  expect(before.unsentAtDeath).toBeGreaterThanOrEqual(before.batch!);
  // Killed after Kafka acknowledged the batch, before it was marked sent: the successor sent it again…
  expect(after.batch).toBeGreaterThan(0);
  expect(after.unsentAtDeath).toBeGreaterThanOrEqual(after.batch!);
  expect(r.wireDuplicates).toBeGreaterThanOrEqual(after.batch!);
  // How fast it recovered is the bench's figure (bench/README.md), not an assertion: every kill recovered.
  for (const k of r.kills) expect(k.recoveredMs).toBeGreaterThanOrEqual(0);
  // …and the inbox applied each event once: every committed event, nothing else, in order per account.
  expect(r.delivery).toEqual({
    produced: MUTATIONS,
    unsent: 0,
    applications: MUTATIONS,
    applied: MUTATIONS,
    appliedTwice: 0,
    missing: 0,
    unexpected: 0,
    outOfOrder: 0,
    accountsDiffering: 0,
    inbox: MUTATIONS,
  });
  expect(r.finalExit).toEqual({ code: 0, signal: null });
}, 240_000);
