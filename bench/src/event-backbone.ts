/**
 * The event backbone under faults (issue 10): the scenarios of infra/test/e2e/event-backbone-*.test.ts
 * with larger counts, on a Kafka node of the benchmark's own (3 partitions per topic) and fresh databases.
 *
 *   pnpm build && node bench/dist/event-backbone.js [--only crash,outage,redelivery,late,dlq]
 *     [--mutations 1000] [--drain 10000] [--outage-seconds 45] [--consumers 1]
 *     [--events 3000] [--transactions 200] [--connections 60] [--hold-ms 2000] [--relays 2] [--backlog 2000]
 *
 * - crash: the producing service (a child process: outbox + OutboxRelay) is SIGKILLed three times during
 *   `--mutations` mutations (before a publish, after Kafka acknowledged one but before it was marked sent,
 *   and from outside at a random moment) and restarted each time;
 * - outage: Kafka is stopped for `--outage-seconds` while `--drain` events go through the outbox;
 * - redelivery: a consumer is killed before committing its offsets, a second one joins and leaves, over
 *   `--events` events; the database ends identical to a fault-free consumer's;
 * - late: `--transactions` concurrent transactions (some held open `--hold-ms`) with `--relays` relays;
 * - dlq: a poison event goes to the dead-letter topic, the rest flow on, `pnpm dlq:replay` brings it back.
 *
 * Prints the figures and a markdown table; exits with 1 if an event was lost, applied twice or out of order.
 */
import { rmSync } from 'node:fs';
import { startKafka, stopKafka } from '@influenceflow/infra/dist/kafka/broker';
import { freePort, testBrokerOptions } from '@influenceflow/infra/dist/testing/test-kafka';
import { newTestRunId } from '@influenceflow/kit/testing';
import {
  consumerKilledAndRebalanced,
  crashBetweenCommitAndPublish,
  kafkaOutageWhileDraining,
  lateCommits,
  poisonEvent,
} from './event-backbone/scenarios';
import { Delivery, killAllChildren, World } from './event-backbone/world';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const num = (name: string, fallback: number) => Number(arg(name, String(fallback)));
/** Each wait of a scenario (larger counts take longer). */
const TIMEOUT = 900_000;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Row {
  scenario: string;
  counts: string;
  figures: string;
  duplicates: number;
  ok: boolean;
}

/** Lost, applied twice, out of order, or differing from the producer: each must be 0. */
function clean(d: Delivery, expected: number): boolean {
  return (
    d.produced === expected &&
    d.unsent === 0 &&
    d.applied === expected &&
    d.appliedTwice === 0 &&
    d.missing === 0 &&
    d.unexpected === 0 &&
    d.outOfOrder === 0 &&
    d.accountsDiffering === 0
  );
}

async function main(): Promise<void> {
  const only = new Set(arg('only', 'crash,outage,redelivery,late,dlq').split(','));
  const runId = newTestRunId();
  const broker = { ...testBrokerOptions(`${runId}-evbench`, await freePort(), await freePort()), heapMb: 512 };
  const rows: Row[] = [];
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  try {
    log(`• Kafka of the benchmark's own on 127.0.0.1:${broker.port}`);
    const { brokers } = await startKafka(broker);
    const world: World = {
      brokers,
      topicPrefix: `ift.${runId}.`,
      postgresUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      runId,
      logLevel: process.env.LOG_LEVEL ?? 'silent',
    };

    if (only.has('crash')) {
      const mutations = num('mutations', 1000);
      log(`• crash: ${int(mutations)} mutations, the producing service SIGKILLed 3 times and restarted`);
      const r = await crashBetweenCommitAndPublish(world, { mutations, accounts: 50, workers: 4, timeoutMs: TIMEOUT });
      log(JSON.stringify(r, null, 1));
      rows.push({
        scenario: 'producer SIGKILLed between commit and publish (before a publish / after an acknowledged one / from outside), restarted',
        counts: `${int(mutations)} mutations, 3 kills`,
        figures:
          r.kills.map((k) => `${k.kind}: ${k.unsentAtDeath} unsent at death, recovered in ${s(k.recoveredMs)}`).join('; ') +
          `; ${r.wireDuplicates} sent twice to Kafka; total ${r.seconds.toFixed(1)} s`,
        duplicates: r.delivery.appliedTwice,
        ok: clean(r.delivery, mutations) && r.kills.every((k) => k.signal === 'SIGKILL'),
      });
    }

    if (only.has('outage')) {
      const events = num('drain', 10_000);
      const outageMs = num('outage-seconds', 45) * 1000;
      log(`• outage: ${int(events)} events, Kafka stopped for ${s(outageMs)}`);
      const r = await kafkaOutageWhileDraining(world, {
        events,
        accounts: 100,
        workers: 4,
        outageMs,
        stopAfter: Math.round(events / 10),
        consumers: num('consumers', 1),
        broker: { stop: () => stopKafka(broker), start: () => startKafka(broker) },
        timeoutMs: TIMEOUT,
      });
      log(JSON.stringify(r, null, 1));
      rows.push({
        scenario: `Kafka stopped ${s(r.outageMs)} while the outbox drains`,
        counts: `${int(events)} events, backlog ${int(r.backlog)} at restart`,
        figures:
          `relay publishing again ${s(r.firstPublishMs)} after the restart (broker up in ${s(r.brokerStartMs)}), outbox empty after ${s(r.drainedMs)} ` +
          `(${int(r.drainRate)} events/s drained); consumers applying again after ${s(r.consumerResumedMs)}, all applied after ${s(r.appliedMs)} (${int(r.applyRate)} events/s applied); ` +
          `${int(r.committedDuringOutage)} mutations committed during the outage, ${r.sentDuringOutage} marked sent`,
        duplicates: r.delivery.appliedTwice,
        ok: clean(r.delivery, events) && r.sentDuringOutage === 0,
      });
    }

    if (only.has('redelivery')) {
      const events = num('events', 3000);
      log(`• redelivery: ${int(events)} events, a consumer killed before committing, another joining and leaving`);
      const r = await consumerKilledAndRebalanced(world, {
        events,
        accounts: 60,
        ratePerSec: num('rate', 200),
        joinAfter: Math.round(events / 10),
        joinFor: Math.round(events / 15),
        killAfter: Math.round(events / 10),
        timeoutMs: TIMEOUT,
      });
      log(JSON.stringify({ ...r, differences: r.differences.slice(0, 5) }, null, 1));
      rows.push({
        scenario: 'consumer SIGKILLed before committing its offsets; a second one joins and leaves mid-stream',
        counts: `${int(events)} events`,
        figures:
          `${r.killed.appliedPastCommitted} applied past the committed offsets at the kill, ${r.redelivered} redelivered and skipped; ` +
          `successor caught up ${s(r.successor.takeoverMs)} after its start; database ${r.identical ? 'identical to' : 'DIFFERENT from'} the fault-free run`,
        duplicates: r.faulty.appliedTwice,
        ok: r.identical && clean(r.faulty, events) && clean(r.clean, events),
      });
    }

    if (only.has('late')) {
      const transactions = num('transactions', 200);
      for (const relays of [...new Set([1, num('relays', 2)])]) {
        log(`• late commits: ${transactions} concurrent transactions, ${relays} relay(s)`);
        const r = await lateCommits(world, {
          label: `late${relays}`,
          transactions,
          accounts: 20,
          connections: num('connections', 60),
          holdMs: num('hold-ms', 2000),
          relays,
          backlog: num('backlog', 2000),
          batchSize: num('batch', 50),
          slowPublishMs: relays > 1 ? num('slow-publish-ms', 300) : undefined,
          timeoutMs: TIMEOUT,
        });
        log(JSON.stringify(r, null, 1));
        rows.push({
          scenario: `concurrent transactions, ${r.held} held open ${s(num('hold-ms', 2000))}, ${r.rolledBack} rolled back; ${relays} relay(s)`,
          counts: `${transactions} transactions (≤ ${r.maxOpen} open at once) after a backlog of ${int(r.backlog)}, ${int(r.events)} events`,
          figures: `${r.overtaken} events published after later ones (late commits), none skipped; ${r.delivery.outOfOrder} out of order; all applied in ${r.seconds.toFixed(1)} s`,
          duplicates: r.delivery.appliedTwice,
          ok: clean(r.delivery, r.events) && r.rolledBackInOutbox === 0,
        });
      }
    }

    if (only.has('dlq')) {
      const events = num('dlq-events', 1000);
      log(`• dead letters: ${int(events)} events, one poison`);
      const r = await poisonEvent(world, { events, accounts: 30, poisonAt: Math.round(events / 3), ratePerSec: 300, timeoutMs: TIMEOUT });
      log(JSON.stringify({ ...r, deadLetters: r.deadLetters.length }, null, 1));
      rows.push({
        scenario: 'a poison event: dead-lettered after its retries, the rest flowing, `pnpm dlq:replay` after the fix',
        counts: `${int(events)} events, 1 poison`,
        figures: `${r.attempts} attempts over ${s(r.retriedForMs)} (${r.appliedWhileRetrying} others applied meanwhile), ${r.deadLetters.length} dead letter; replayed and applied in ${s(r.replayToAppliedMs)}`,
        duplicates: r.delivery.appliedTwice,
        ok: clean(r.delivery, events) && r.deadLetters.length === 1 && r.poisonApplications === 1,
      });
    }
  } finally {
    await killAllChildren();
    await stopKafka(broker).catch(() => undefined);
    rmSync(broker.dataDir, { recursive: true, force: true });
  }

  console.log(`\nEvent backbone under faults, ${new Date().toISOString().slice(0, 10)} (3 partitions per topic)\n`);
  console.log('| scenario | counts | measured | applied twice | |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.scenario} | ${r.counts} | ${r.figures} | ${r.duplicates} | ${r.ok ? '✔' : '✘'} |`);
  if (!rows.every((r) => r.ok)) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
