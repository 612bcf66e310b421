import { DEFAULT_RETRY, DLQ_HEADERS } from '@influenceflow/kit';
import { exactDelivery } from './support';
import { TEST_KAFKA_BROKERS, TEST_POSTGRES_URL, testRunId, testTopicPrefix } from '@influenceflow/kit/testing';
import { poisonEvent } from '../../../bench/src/event-backbone/scenarios';
import { LEDGER_TOPIC, saveResult, Scope } from '../../../bench/src/event-backbone/world';

/**
 * Issue 10, dead letters: one event the consumer cannot apply (its account is not open there) in a stream
 * of 300. It goes to the `.dlq` twin after the default retries, with the error; the rest keep flowing; once
 * the account is opened, `pnpm dlq:replay` (infra/dist/dlq.js, run as a command) brings it back and it is
 * applied once. Larger: `node bench/dist/event-backbone.js --only dlq --dlq-events 10000`.
 */
const EVENTS = Number(process.env.EVB_DLQ_EVENTS ?? 300);
const scope = new Scope();

afterAll(() => scope.close());

it('dead-letters a poison event after its retries, keeps the others flowing, and applies it once after dlq:replay', async () => {
  const topicPrefix = testTopicPrefix();
  const r = await poisonEvent(
    {
      brokers: TEST_KAFKA_BROKERS,
      topicPrefix,
      postgresUrl: TEST_POSTGRES_URL,
      runId: testRunId(),
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
    { events: EVENTS, accounts: 10, poisonAt: Math.round(EVENTS / 3), ratePerSec: 150 },
    scope,
  );
  saveResult('dead-letters', r);

  expect(r.attempts).toBe(DEFAULT_RETRY.attempts);
  expect(r.deadLetters).toHaveLength(1);
  const [letter] = r.deadLetters;
  expect(JSON.parse(letter.value)).toMatchObject({ id: r.poisonId, subject: 'acct-closed' });
  expect(letter.headers).toMatchObject({
    [DLQ_HEADERS.error]: 'account acct-closed is not open',
    [DLQ_HEADERS.consumer]: 'evb.ledger',
    [DLQ_HEADERS.originalTopic]: `${topicPrefix}dlq.${LEDGER_TOPIC}`,
    ce_id: r.poisonId,
  });
  expect(Number(letter.headers[DLQ_HEADERS.originalPartition])).toBeGreaterThanOrEqual(0);
  // The rest flowed on once it was dead-lettered, its own partition included (while it is retried the
  // consumer's other partitions wait too: kafkajs fetches them together; see docs/events.md).
  expect(r.appliedAfterDeadLetter).toBeGreaterThan(0);
  expect(r.afterPoisonOnItsPartition).toBeGreaterThan(0);
  expect(r.appliedBeforeReplay).toBe(EVENTS - 1);
  expect(r.inboxHasPoisonBeforeReplay).toBe(false);
  // Fixed, replayed by the command, applied once; a second replay finds nothing new.
  expect(r.replay).toEqual([
    { code: 0, stdout: `replayed 1 dead letter(s) of ${LEDGER_TOPIC}` },
    { code: 0, stdout: `replayed 0 dead letter(s) of ${LEDGER_TOPIC}` },
  ]);
  expect(r.attemptsAfterReplay).toBe(1);
  expect(r.poisonApplications).toBe(1);
  expect(r.delivery).toEqual(exactDelivery(EVENTS));
}, 120_000);
