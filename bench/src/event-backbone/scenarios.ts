/**
 * The event backbone under faults (issue 10), as scenarios that return what they measured. The tests in
 * infra/test/e2e/event-backbone-*.test.ts run them with small counts and assert on the results; the bench
 * (bench/src/event-backbone.ts) runs them with larger ones and prints the figures.
 *
 * Every scenario makes its own databases and topics (under `world.topicPrefix` + its label), stops what it
 * started and drops what it made, on failure too; `scope` lets a test close it all from afterAll as well
 * (a timed-out test does not unwind its scenario).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createDataSource, createKafka, DEFAULT_RETRY, DLQ_HEADERS, Outbox, OutboxRelay, RetryPolicy } from '@influenceflow/kit';
import {
  Child,
  compareLedger,
  count,
  createDatabase,
  DataSource,
  Db,
  Delivery,
  ensureLedgerTopics,
  KafkaProbe,
  LEDGER_EVENT,
  LEDGER_TOPIC,
  LedgerEvent,
  ledgerContents,
  ledgerGroup,
  logger,
  performWork,
  reportFields,
  REPO_ROOT,
  Scope,
  seedWork,
  sleep,
  startChild,
  startLedgerConsumer,
  Tx,
  waitFor,
  withTimeout,
  World,
} from './world';

const sub = (world: World, label: string): World => ({ ...world, topicPrefix: `${world.topicPrefix}${label}.` });
const since = (t: number) => Date.now() - t;

function producerEnv(world: World, db: Db, workers: number): Record<string, string> {
  return {
    EVB_DATABASE_URL: db.url,
    KAFKA_BROKERS: world.brokers.join(','),
    EVB_TOPIC_PREFIX: world.topicPrefix,
    EVB_WORKERS: String(workers),
    LOG_LEVEL: world.logLevel,
  };
}

function consumerEnv(world: World, db: Db, groupPrefix: string, instance: string): Record<string, string> {
  return {
    EVB_DATABASE_URL: db.url,
    KAFKA_BROKERS: world.brokers.join(','),
    EVB_TOPIC_PREFIX: world.topicPrefix,
    EVB_GROUP_PREFIX: groupPrefix,
    EVB_INSTANCE: instance,
    LOG_LEVEL: world.logLevel,
  };
}

/** Waits until each consumer process has joined its group; fails at once with the output of one that died. */
async function waitForReady(children: Child[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = children.find((c) => c.proc.exitCode !== null || c.proc.signalCode !== null);
    if (dead) throw new Error(`${dead.name} ended before it joined its group:\n${dead.stderr()}`);
    if (children.every((c) => c.reports().some((l) => l.startsWith('EVB-READY')))) return;
    if (Date.now() > deadline) {
      throw new Error(`the consumers did not join within ${timeoutMs} ms:\n${children.map((c) => c.stderr()).join('\n')}`);
    }
    await sleep(50);
  }
}

const doneCount = (ds: DataSource) => count(ds, `SELECT count(*)::int AS n FROM work WHERE done_at IS NOT NULL`);
const unsentCount = (ds: DataSource) => count(ds, `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
const sentCount = (ds: DataSource) => count(ds, `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NOT NULL`);
const appliedCount = (ds: DataSource) => count(ds, `SELECT count(DISTINCT event_id)::int AS n FROM applied`);

/** Waits until the producer's work is done and published and the consumer group has applied and acknowledged all of it. */
async function waitDrained(
  probe: KafkaProbe,
  producer: DataSource,
  consumers: { ds: DataSource; group: string }[],
  topic: string,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  await waitFor('the work to be done', async () => (await doneCount(producer)) >= expected, timeoutMs);
  await waitFor('the outbox to drain', async () => (await unsentCount(producer)) === 0, timeoutMs);
  for (const c of consumers) {
    let seen = '';
    await waitFor(
      `${c.group} to apply all ${expected} events`,
      async () => {
        const [applied, lag] = [await appliedCount(c.ds), await probe.lag(c.group, topic)];
        seen = ` (${applied} applied, lag ${lag})`;
        return applied >= expected && lag === 0;
      },
      timeoutMs,
      250,
    ).catch((err: Error) => {
      throw new Error(`${err.message}${seen}`);
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// R1a: the producing service killed between commit and publish, and restarted
// ---------------------------------------------------------------------------------------------------

export interface CrashOptions {
  label?: string;
  mutations: number;
  accounts: number;
  /** Concurrent mutations in the producing process. */
  workers: number;
  timeoutMs?: number;
}

export interface KillRecord {
  /** before-publish: rows selected, not sent; after-publish: sent, acknowledged, not marked; outside: a SIGKILL from the parent while there was unsent work. */
  kind: 'before-publish' | 'after-publish' | 'outside';
  signal: string | null;
  /** Mutations committed when the process died. */
  committedAtDeath: number;
  /** Committed events not marked sent when it died. */
  unsentAtDeath: number;
  /** Messages in the batch it died around (in-process faults). */
  batch: number | null;
  /** From starting the successor until every event left unsent at the death was published. */
  recoveredMs: number;
}

export interface CrashResult {
  mutations: number;
  kills: KillRecord[];
  delivery: Delivery;
  /** Messages on the topic, and how many more than events there are (redelivered after a kill). */
  wireMessages: number;
  wireDuplicates: number;
  finalExit: { code: number | null; signal: string | null };
  seconds: number;
}

export async function crashBetweenCommitAndPublish(world0: World, opts: CrashOptions, scope = new Scope()): Promise<CrashResult> {
  const world = sub(world0, opts.label ?? 'crash');
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const started = Date.now();
  try {
    const { topic } = await ensureLedgerTopics(world);
    const producer = await createDatabase(world, 'crash_p', 3);
    scope.deferLast(() => producer.drop());
    const consumerDb = await createDatabase(world, 'crash_c', 4);
    scope.deferLast(() => consumerDb.drop());
    await seedWork(producer.ds, opts.accounts, opts.mutations);
    const probe = new KafkaProbe(createKafka('evb-probe', world.brokers, logger(world, 'evb-probe')));
    scope.defer(() => probe.close());
    const groupPrefix = `${world.topicPrefix}g.`;
    const consumer = await startLedgerConsumer(world, consumerDb, { groupPrefix, instance: 'consumer' });
    scope.defer(() => consumer.stop());

    const env = producerEnv(world, producer, opts.workers);
    const plan: [KillRecord['kind'], number][] = [
      ['before-publish', 0.25],
      ['after-publish', 0.5],
      ['outside', 0.75],
    ];
    const kills: KillRecord[] = [];
    let pendingRecovery: { maxSeq: number; record: KillRecord } | null = null;
    const awaitRecovery = async (successorStarted: number) => {
      if (!pendingRecovery) return;
      const { maxSeq, record } = pendingRecovery;
      await waitFor(
        'the successor to publish what was left unsent',
        async () => (await count(producer.ds, `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND seq <= $1`, [maxSeq])) === 0,
        timeoutMs,
        20,
      );
      record.recoveredMs = since(successorStarted);
      pendingRecovery = null;
    };
    const afterDeath = async (child: Child, kind: KillRecord['kind']) => {
      const exit = await child.exited;
      const fault = reportFields(child, 'FAULT');
      const [{ max }] = (await producer.ds.query(`SELECT coalesce(max(seq), 0)::bigint AS max FROM outbox`)) as { max: string }[];
      const record: KillRecord = {
        kind,
        signal: exit.signal,
        committedAtDeath: await doneCount(producer.ds),
        unsentAtDeath: await unsentCount(producer.ds),
        batch: fault ? Number(fault.messages) : null,
        recoveredMs: NaN,
      };
      if (exit.signal !== 'SIGKILL')
        throw new Error(`producer (${kind}) ended with ${JSON.stringify(exit)}, not SIGKILL:\n${child.stderr()}`);
      kills.push(record);
      pendingRecovery = { maxSeq: Number(max), record };
    };

    for (const [kind, fraction] of plan) {
      const at = Math.round(opts.mutations * fraction);
      const child = startChild(`producer-${kind}`, 'producer-main', { ...env, EVB_FAULT: kind === 'outside' ? '' : `${kind}@${at}` });
      scope.defer(() => child.stop());
      await awaitRecovery(Date.now());
      if (kind === 'outside') {
        // Killed from outside while committed events wait for the relay (the usual case of a crash).
        await waitFor('mutations to reach the kill point', async () => (await doneCount(producer.ds)) >= at, timeoutMs, 20);
        await waitFor('committed events waiting for the relay', async () => (await unsentCount(producer.ds)) > 0, timeoutMs, 2);
        child.kill('SIGKILL');
      }
      await withTimeout(child.exited, timeoutMs, () => `producer (${kind}) did not die within ${timeoutMs} ms:\n${child.stderr()}`);
      await afterDeath(child, kind);
    }

    const last = startChild('producer-final', 'producer-main', env);
    scope.defer(() => last.stop());
    await awaitRecovery(Date.now());
    await waitDrained(probe, producer.ds, [{ ds: consumerDb.ds, group: ledgerGroup(groupPrefix) }], topic, opts.mutations, timeoutMs);
    await last.stop();
    const finalExit = await last.exited;
    const wireMessages = await probe.messages(topic);
    await scope.stopProcesses();
    const delivery = await compareLedger(producer.ds, consumerDb.ds);
    return {
      mutations: opts.mutations,
      kills,
      delivery,
      wireMessages,
      wireDuplicates: wireMessages - delivery.produced,
      finalExit,
      seconds: since(started) / 1000,
    };
  } finally {
    await scope.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// R1b: Kafka stopped while the outbox drains
// ---------------------------------------------------------------------------------------------------

export interface OutageOptions {
  label?: string;
  events: number;
  accounts: number;
  workers: number;
  /** How long Kafka stays down (from the moment it is down until it is started again). */
  outageMs: number;
  /** Kafka is stopped once this many events are published. */
  stopAfter: number;
  /** Ledger consumers sharing the group (at most the partition count does work), each a process of its own. */
  consumers: number;
  broker: { stop(): Promise<unknown>; start(): Promise<unknown> };
  timeoutMs?: number;
}

export interface OutageResult {
  events: number;
  publishedBeforeStop: number;
  /** Mutations committed while Kafka was down, and events marked sent meanwhile (must be 0). */
  committedDuringOutage: number;
  sentDuringOutage: number;
  outageMs: number;
  /** Unsent events when Kafka was started again. */
  backlog: number;
  brokerStartMs: number;
  /** From starting Kafka until the relay published again, until the outbox was empty, until every event was applied. */
  firstPublishMs: number;
  drainedMs: number;
  appliedMs: number;
  /** Events per second the relay published from its first publish after the outage until empty. */
  drainRate: number;
  /** From starting Kafka until the consumers applied again (they rejoin their group first). */
  consumerResumedMs: number;
  /** Events per second the consumers applied from then on. */
  applyRate: number;
  delivery: Delivery;
  wireMessages: number;
  wireDuplicates: number;
  seconds: number;
}

export async function kafkaOutageWhileDraining(world0: World, opts: OutageOptions, scope = new Scope()): Promise<OutageResult> {
  const world = sub(world0, opts.label ?? 'outage');
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const started = Date.now();
  try {
    const { topic } = await ensureLedgerTopics(world);
    const producer = await createDatabase(world, 'outage_p', 3);
    scope.deferLast(() => producer.drop());
    const consumerDb = await createDatabase(world, 'outage_c', 2);
    scope.deferLast(() => consumerDb.drop());
    await seedWork(producer.ds, opts.accounts, opts.events);
    const probe = new KafkaProbe(createKafka('evb-probe', world.brokers, logger(world, 'evb-probe')));
    scope.defer(() => probe.close());
    const groupPrefix = `${world.topicPrefix}g.`;
    const consumers = Array.from({ length: opts.consumers }, (_, i) => {
      const c = startChild(`consumer-${i}`, 'consumer-main', consumerEnv(world, consumerDb, groupPrefix, `consumer-${i}`));
      scope.defer(() => c.stop());
      return c;
    });
    await waitForReady(consumers, timeoutMs);

    const child = startChild('producer', 'producer-main', producerEnv(world, producer, opts.workers));
    scope.defer(() => child.stop());
    await waitFor(`${opts.stopAfter} events published`, async () => (await sentCount(producer.ds)) >= opts.stopAfter, timeoutMs, 20);
    await opts.broker.stop();
    const down = Date.now();
    const publishedBeforeStop = await sentCount(producer.ds);
    const committedAtStop = await doneCount(producer.ds);
    await sleep(opts.outageMs - 1000);
    // Whatever the relay was doing when Kafka went away has failed by now: nothing is marked sent meanwhile.
    const sentDuringOutage = (await sentCount(producer.ds)) - publishedBeforeStop;
    await sleep(Math.max(0, opts.outageMs - since(down)));
    const committedDuringOutage = (await doneCount(producer.ds)) - committedAtStop;
    const backlog = await unsentCount(producer.ds);
    const outageMs = since(down);

    const restart = Date.now();
    await opts.broker.start();
    const brokerStartMs = since(restart);
    const sentAtRestart = await sentCount(producer.ds);
    await waitFor('the relay to publish again', async () => (await sentCount(producer.ds)) > sentAtRestart, timeoutMs, 20);
    const firstPublishMs = since(restart);
    await waitFor(
      'the outbox to drain',
      async () => (await doneCount(producer.ds)) >= opts.events && (await unsentCount(producer.ds)) === 0,
      timeoutMs,
      20,
    );
    const drainedMs = since(restart);
    await waitFor('every event to be applied', async () => (await appliedCount(consumerDb.ds)) >= opts.events, timeoutMs, 100);
    const appliedMs = since(restart);
    await waitFor(
      'the group to acknowledge everything',
      async () => (await probe.lag(ledgerGroup(groupPrefix), topic)) === 0,
      timeoutMs,
      250,
    );
    await child.stop();
    const wireMessages = await probe.messages(topic);
    await scope.stopProcesses();
    const delivery = await compareLedger(producer.ds, consumerDb.ds);
    const [resumed] = (await consumerDb.ds.query(
      `SELECT (extract(epoch FROM min(at)) * 1000)::float8 AS first, count(*)::int AS n FROM applied WHERE at > to_timestamp($1 / 1000.0)`,
      [restart],
    )) as { first: number; n: number }[];
    const consumerResumedMs = resumed.first - restart;
    return {
      events: opts.events,
      publishedBeforeStop,
      committedDuringOutage,
      sentDuringOutage,
      outageMs,
      backlog,
      brokerStartMs,
      firstPublishMs,
      drainedMs,
      appliedMs,
      drainRate: backlog / Math.max(0.001, (drainedMs - firstPublishMs) / 1000),
      consumerResumedMs,
      applyRate: resumed.n / Math.max(0.001, (appliedMs - consumerResumedMs) / 1000),
      delivery,
      wireMessages,
      wireDuplicates: wireMessages - delivery.produced,
      seconds: since(started) / 1000,
    };
  } finally {
    await scope.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// In-process producing service (R2, R3, dead letters)
// ---------------------------------------------------------------------------------------------------

/**
 * An OutboxRelay on its own connections (as a replica of the producing service has), started. With
 * `slowPublishMs`, each of its publishes waits that long before it reaches Kafka (a GC pause, a slow request).
 */
function startRelay(
  world: World,
  db: Db,
  scope: Scope,
  name = 'relay',
  opts: { batchSize?: number; slowPublishMs?: number } = {},
): OutboxRelay {
  const ds = createDataSource({ url: db.url, entities: [], migrations: [], poolSize: 2 });
  const kafka = createKafka(`evb-${name}`, world.brokers, logger(world, `evb-${name}`));
  if (opts.slowPublishMs) {
    const make = kafka.producer.bind(kafka);
    kafka.producer = ((config: Parameters<typeof kafka.producer>[0]) => {
      const producer = make(config);
      const sendBatch = producer.sendBatch.bind(producer);
      producer.sendBatch = async (batch) => {
        await sleep(opts.slowPublishMs!);
        return sendBatch(batch);
      };
      return producer;
    }) as typeof kafka.producer;
  }
  const relay = new OutboxRelay({
    dataSource: ds,
    kafka,
    topicPrefix: world.topicPrefix,
    logger: logger(world, `evb-${name}`),
    pollMs: 50,
    batchSize: opts.batchSize,
  });
  let started: Promise<unknown> | null = null;
  const start = () => (started ??= ds.initialize().then(() => relay.start()));
  void start();
  scope.defer(async () => {
    await start().catch(() => undefined);
    await relay.stop();
    if (ds.isInitialized) await ds.destroy();
  });
  return relay;
}

/** Performs the work table's mutations in this process at `ratePerSec`, waking the relays after each commit. */
function produce(db: Db, relays: OutboxRelay[], ratePerSec: number, scope: Scope): Promise<number> {
  const outbox = new Outbox('evb-producer');
  let stop = false;
  const begun = Date.now();
  const loop = (async () => {
    let n = 0;
    while (!stop && (await performWork(db.ds, outbox))) {
      n++;
      for (const r of relays) r.wake();
      const due = begun + (n * 1000) / ratePerSec;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    return n;
  })();
  scope.defer(async () => {
    stop = true;
    await loop.catch(() => undefined);
  });
  return loop;
}

// ---------------------------------------------------------------------------------------------------
// R2: a consumer killed before committing its offsets; a second one joins and leaves mid-stream
// ---------------------------------------------------------------------------------------------------

export interface RedeliveryOptions {
  label?: string;
  events: number;
  accounts: number;
  /** The producer's pace: the stream must last until the first consumer is killed. */
  ratePerSec: number;
  /** Events applied by the faulty group before the second consumer joins. */
  joinAfter: number;
  /** Messages the second consumer handles before it leaves. */
  joinFor: number;
  /** Events the first consumer applies without acknowledging them, before it is killed. */
  killAfter: number;
  timeoutMs?: number;
}

export interface RedeliveryResult {
  events: number;
  joiner: { handled: number; joinedMs: number };
  killed: { signal: string | null; handled: number; appliedAtDeath: number; committedAtDeath: number; appliedPastCommitted: number };
  successor: { handled: number; takeoverMs: number };
  /** Messages the faulty group was given more than once (skipped by the inbox). */
  redelivered: number;
  /** The faulty run's database equals the fault-free run's (balances with their order-sensitive chains, applications, inbox). */
  identical: boolean;
  differences: string[];
  clean: Delivery;
  faulty: Delivery;
  seconds: number;
}

function diffRows(name: string, a: unknown[], b: unknown[]): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`${name}: ${a.length} rows in the fault-free run, ${b.length} in the faulty one`);
  const as = a.map((r) => JSON.stringify(r));
  const bs = new Set(b.map((r) => JSON.stringify(r)));
  for (const r of as) if (!bs.has(r) && out.length < 10) out.push(`${name}: only in the fault-free run: ${r}`);
  const aset = new Set(as);
  for (const r of bs) if (!aset.has(r) && out.length < 20) out.push(`${name}: only in the faulty run: ${r}`);
  return out;
}

export async function consumerKilledAndRebalanced(world0: World, opts: RedeliveryOptions, scope = new Scope()): Promise<RedeliveryResult> {
  const world = sub(world0, opts.label ?? 'redelivery');
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const started = Date.now();
  try {
    const { topic } = await ensureLedgerTopics(world);
    const producer = await createDatabase(world, 'redeliver_p', 3);
    scope.deferLast(() => producer.drop());
    const cleanDb = await createDatabase(world, 'redeliver_clean', 3);
    scope.deferLast(() => cleanDb.drop());
    const faultyDb = await createDatabase(world, 'redeliver_faulty', 3);
    scope.deferLast(() => faultyDb.drop());
    await seedWork(producer.ds, opts.accounts, opts.events);
    const probe = new KafkaProbe(createKafka('evb-probe', world.brokers, logger(world, 'evb-probe')));
    scope.defer(() => probe.close());

    const cleanPrefix = `${world.topicPrefix}clean.`;
    const faultyPrefix = `${world.topicPrefix}faulty.`;
    const clean = await startLedgerConsumer(world, cleanDb, { groupPrefix: cleanPrefix, instance: 'clean' });
    scope.defer(() => clean.stop());
    const first = startChild('consumer-first', 'consumer-main', {
      ...consumerEnv(world, faultyDb, faultyPrefix, 'first'),
      EVB_KILL_AFTER: String(opts.killAfter),
    });
    scope.defer(() => first.stop());
    await waitForReady([first], timeoutMs);

    const relay = startRelay(world, producer, scope);
    const produced = produce(producer, [relay], opts.ratePerSec, scope);

    // A second consumer joins the group mid-stream (partitions move to it), handles some, and leaves.
    await waitFor(`${opts.joinAfter} events applied`, async () => (await appliedCount(faultyDb.ds)) >= opts.joinAfter, timeoutMs, 20);
    const joinStart = Date.now();
    const joiner = await startLedgerConsumer(world, faultyDb, { groupPrefix: faultyPrefix, instance: 'joiner' });
    scope.defer(() => joiner.stop());
    await waitFor(`the joiner to handle ${opts.joinFor} messages`, async () => joiner.handled() >= opts.joinFor, timeoutMs, 20);
    const joinedMs = since(joinStart);
    const joinsOfFirst = () => first.reports().filter((l) => l.startsWith('EVB-JOINED')).length;
    const joinsBeforeLeave = joinsOfFirst();
    await joiner.stop();
    // The group rebalances without the joiner: the first consumer has all partitions again once it rejoined.
    await waitFor('the first consumer to rejoin after the joiner left', async () => joinsOfFirst() > joinsBeforeLeave, timeoutMs, 20);

    // The first consumer stops acknowledging, applies killAfter more events and is killed before a commit.
    first.kill('SIGUSR2');
    const death = await withTimeout(
      first.exited,
      timeoutMs,
      () => `the first consumer was not killed within ${timeoutMs} ms:\n${first.stderr()}`,
    );
    const appliedAtDeath = await appliedCount(faultyDb.ds);
    const committedAtDeath = await probe.committed(ledgerGroup(faultyPrefix), topic);
    const fault = reportFields(first, 'FAULT');

    // Its successor takes its partitions over (once the group has given up on the dead member).
    const takeover = Date.now();
    const successor = startChild('consumer-successor', 'consumer-main', consumerEnv(world, faultyDb, faultyPrefix, 'successor'));
    scope.defer(() => successor.stop());
    await produced;
    await waitDrained(
      probe,
      producer.ds,
      [
        { ds: faultyDb.ds, group: ledgerGroup(faultyPrefix) },
        { ds: cleanDb.ds, group: ledgerGroup(cleanPrefix) },
      ],
      topic,
      opts.events,
      timeoutMs,
    );
    const takeoverMs = since(takeover);
    await successor.stop();
    const successorHandled = Number(reportFields(successor, 'STATS')?.handled ?? NaN);
    await scope.stopProcesses();

    const [a, b] = [await ledgerContents(cleanDb.ds), await ledgerContents(faultyDb.ds)];
    const differences = [
      ...diffRows('balances', a.balances, b.balances),
      ...diffRows('applied', a.applied, b.applied),
      ...diffRows('inbox', a.inbox, b.inbox),
    ];
    const firstHandled = Number(fault?.handled ?? NaN);
    return {
      events: opts.events,
      joiner: { handled: joiner.handled(), joinedMs },
      killed: {
        signal: death.signal,
        handled: firstHandled,
        appliedAtDeath,
        committedAtDeath,
        appliedPastCommitted: appliedAtDeath - committedAtDeath,
      },
      successor: { handled: successorHandled, takeoverMs },
      redelivered: firstHandled + joiner.handled() + successorHandled - opts.events,
      identical: differences.length === 0,
      differences,
      clean: await compareLedger(producer.ds, cleanDb.ds),
      faulty: await compareLedger(producer.ds, faultyDb.ds),
      seconds: since(started) / 1000,
    };
  } finally {
    await scope.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// R3: concurrent transactions, some held open before they commit
// ---------------------------------------------------------------------------------------------------

export interface LateCommitOptions {
  label?: string;
  transactions: number;
  accounts: number;
  /** Transactions open at once at most (each holds a connection; PostgreSQL's max_connections bounds it). */
  connections: number;
  /** How long the held transactions stay open after recording their events. */
  holdMs: number;
  /** Replicas of the producing service, each with its own relay on the same outbox. */
  relays: number;
  /**
   * Events committed before the relays start (after an outage or a deploy every replica finds the same
   * backlog), in transactions of 50 over all accounts.
   */
  backlog?: number;
  /** The relays' batch size (the kit's default is 500): smaller batches, more turns taken by the replicas. */
  batchSize?: number;
  /** The first relay's publishes each take this long to reach Kafka (see startRelay). */
  slowPublishMs?: number;
  timeoutMs?: number;
}

export interface LateCommitResult {
  transactions: number;
  committed: number;
  rolledBack: number;
  held: number;
  /** Events committed: the backlog's and the transactions'. */
  events: number;
  backlog: number;
  maxOpen: number;
  /** Events published after an event with a later outbox position (their transaction committed late). */
  overtaken: number;
  /** Events of rolled-back transactions found in the outbox (must be 0). */
  rolledBackInOutbox: number;
  delivery: Delivery;
  /** From the first transaction until every event was applied. */
  seconds: number;
}

/**
 * What transaction i does: its account, how many events (1, or 3 for every 4th), whether it is held open
 * (the first transaction of every other account, so it takes an early outbox position and the account's
 * later ones queue behind it; and the last ones of the other accounts) and whether it rolls back.
 */
export function lateCommitPlan(i: number, o: Pick<LateCommitOptions, 'transactions' | 'accounts'>) {
  const account = i % o.accounts;
  const round = Math.floor(i / o.accounts);
  const lastRound = Math.floor((o.transactions - 1) / o.accounts);
  const held = (round === 0 && account % 2 === 0) || (round === lastRound && account % 2 === 1);
  return { account: `acct-${String(account).padStart(3, '0')}`, events: i % 4 === 3 ? 3 : 1, held, rollback: i % 17 === 5 };
}

export async function lateCommits(world0: World, opts: LateCommitOptions, scope = new Scope()): Promise<LateCommitResult> {
  const world = sub(world0, opts.label ?? 'late');
  const timeoutMs = opts.timeoutMs ?? 90_000;
  try {
    const { topic } = await ensureLedgerTopics(world);
    const producer = await createDatabase(world, 'late_p', opts.connections);
    scope.deferLast(() => producer.drop());
    const consumerDb = await createDatabase(world, 'late_c', 4);
    scope.deferLast(() => consumerDb.drop());
    await seedWork(producer.ds, opts.accounts, 0);
    const probe = new KafkaProbe(createKafka('evb-probe', world.brokers, logger(world, 'evb-probe')));
    scope.defer(() => probe.close());
    const groupPrefix = `${world.topicPrefix}g.`;
    const consumer = await startLedgerConsumer(world, consumerDb, { groupPrefix, instance: 'consumer' });
    scope.defer(() => consumer.stop());
    const outbox = new Outbox('evb-producer');
    const post = async (tx: Tx, account: string, work: number) => {
      const [{ version }] = (await tx.query(
        `WITH u AS (UPDATE accounts SET version = version + 1 WHERE id = $1 RETURNING version) SELECT version FROM u`,
        [account],
      )) as { version: number }[];
      return outbox.enqueue<LedgerEvent>(tx, LEDGER_TOPIC, { type: LEDGER_EVENT, subject: account, data: { version, work } });
    };
    const backlog = opts.backlog ?? 0;
    for (let done = 0; done < backlog; done += 50) {
      await producer.ds.transaction(async (tx) => {
        for (let e = done; e < Math.min(backlog, done + 50); e++) await post(tx, lateCommitPlan(e, opts).account, -1);
      });
    }
    const relays = Array.from({ length: opts.relays }, (_, r) =>
      startRelay(world, producer, scope, `relay-${r}`, {
        batchSize: opts.batchSize,
        slowPublishMs: r === 0 ? opts.slowPublishMs : undefined,
      }),
    );

    let open = 0;
    let maxOpen = 0;
    let slots = opts.connections;
    const waiting: (() => void)[] = [];
    const acquire = () => (slots > 0 ? (slots--, Promise.resolve()) : new Promise<void>((r) => waiting.push(r)));
    const release = () => (waiting.length > 0 ? waiting.shift()!() : slots++);
    const rolledBackIds: string[] = [];
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: opts.transactions }, async (_, i) => {
        const plan = lateCommitPlan(i, opts);
        const ids: string[] = [];
        await acquire();
        try {
          await producer.ds.transaction(async (tx) => {
            maxOpen = Math.max(maxOpen, ++open);
            try {
              for (let e = 0; e < plan.events; e++) ids.push((await post(tx, plan.account, i)).id);
              if (plan.held) await sleep(opts.holdMs);
              if (plan.rollback) throw new Error('rolled back on purpose');
            } finally {
              open--;
            }
          });
          for (const r of relays) r.wake();
          return { committed: true, events: ids.length, held: plan.held };
        } catch (err) {
          if ((err as Error).message !== 'rolled back on purpose') throw err;
          rolledBackIds.push(...ids);
          return { committed: false, events: 0, held: plan.held };
        } finally {
          release();
        }
      }),
    );
    const events = backlog + outcomes.reduce((sum, o) => sum + o.events, 0);
    await waitFor('the outbox to drain', async () => (await unsentCount(producer.ds)) === 0, timeoutMs, 20);
    await waitFor(
      `all ${events} events applied`,
      async () => (await appliedCount(consumerDb.ds)) >= events && (await probe.lag(ledgerGroup(groupPrefix), topic)) === 0,
      timeoutMs,
      100,
    );
    const seconds = since(started) / 1000;
    await scope.stopProcesses();
    const overtaken = await count(
      producer.ds,
      `SELECT count(*)::int AS n FROM outbox o WHERE EXISTS (SELECT 1 FROM outbox l WHERE l.seq > o.seq AND l.sent_at < o.sent_at)`,
    );
    const rolledBackInOutbox = await count(producer.ds, `SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::uuid[])`, [
      rolledBackIds,
    ]);
    return {
      transactions: opts.transactions,
      committed: outcomes.filter((o) => o.committed).length,
      rolledBack: outcomes.filter((o) => !o.committed).length,
      held: outcomes.filter((o) => o.held).length,
      events,
      backlog,
      maxOpen,
      overtaken,
      rolledBackInOutbox,
      delivery: await compareLedger(producer.ds, consumerDb.ds),
      seconds,
    };
  } finally {
    await scope.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Dead letters: a poison event, the stream moving on, `pnpm dlq:replay` after the fix
// ---------------------------------------------------------------------------------------------------

export interface DeadLetterOptions {
  label?: string;
  events: number;
  accounts: number;
  /** The position in the stream of the one event the consumer cannot apply (its account is not open there). */
  poisonAt: number;
  ratePerSec: number;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

export interface DeadLetter {
  partition: number;
  offset: string;
  value: string;
  headers: Record<string, string>;
}

export interface DeadLetterResult {
  events: number;
  poisonId: string;
  /** Times the handler ran for the poison event before it was dead-lettered (and after the replay), and how long its partition was held up by the retries. */
  attempts: number;
  attemptsAfterReplay: number;
  retriedForMs: number;
  /**
   * Events applied while the poison event was being retried (other partitions), and after it was
   * dead-lettered. kafkajs waits for every partition's batch of a fetch before the next fetch, so one
   * message being retried holds up the consumer's other partitions beyond the batch already fetched.
   */
  appliedWhileRetrying: number;
  appliedAfterDeadLetter: number;
  /** From the dead-lettering until the next event was applied. */
  resumedAfterMs: number;
  /** Messages after the poison one on its partition (all applied, since the group has no lag). */
  afterPoisonOnItsPartition: number;
  deadLetters: DeadLetter[];
  inboxHasPoisonBeforeReplay: boolean;
  appliedBeforeReplay: number;
  replay: { code: number | null; stdout: string }[];
  /** From the replay command's start until the event was applied. */
  replayToAppliedMs: number;
  poisonApplications: number;
  delivery: Delivery;
  seconds: number;
}

/** `pnpm dlq:replay <topic>` (infra/dist/dlq.js) against the scenario's Kafka and prefix. */
function runReplayCommand(world: World, topic: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [join(REPO_ROOT, 'infra', 'dist', 'dlq.js'), topic], {
      env: { ...process.env, KAFKA_BROKERS: world.brokers.join(','), KAFKA_TOPIC_PREFIX: world.topicPrefix, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 90_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() });
    });
  });
}

export async function poisonEvent(world0: World, opts: DeadLetterOptions, scope = new Scope()): Promise<DeadLetterResult> {
  const world = sub(world0, opts.label ?? 'dlq');
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const started = Date.now();
  const POISON_ACCOUNT = 'acct-closed';
  try {
    const { topic, dlq } = await ensureLedgerTopics(world);
    const producer = await createDatabase(world, 'dlq_p', 3);
    scope.deferLast(() => producer.drop());
    const consumerDb = await createDatabase(world, 'dlq_c', 4);
    scope.deferLast(() => consumerDb.drop());
    const accounts = await seedWork(producer.ds, opts.accounts, opts.events);
    await producer.ds.query(`INSERT INTO accounts (id) VALUES ($1)`, [POISON_ACCOUNT]);
    await producer.ds.query(`UPDATE work SET account = $1 WHERE n = $2`, [POISON_ACCOUNT, opts.poisonAt]);
    // The consumer accepts postings only for accounts it knows; the poison event's is not one (yet).
    await consumerDb.ds.query(`INSERT INTO open_accounts (account) SELECT unnest($1::text[])`, [accounts]);
    const probe = new KafkaProbe(createKafka('evb-probe', world.brokers, logger(world, 'evb-probe')));
    scope.defer(() => probe.close());

    const kafka = createKafka('evb-dlq-reader', world.brokers, logger(world, 'evb-dlq-reader'));
    const reader = kafka.consumer({ groupId: `${world.topicPrefix}dlq-reader`, maxWaitTimeInMs: 200 });
    const deadLetters: DeadLetter[] = [];
    await reader.connect();
    scope.defer(() => reader.disconnect());
    await reader.subscribe({ topics: [dlq], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        deadLetters.push({ partition, offset: message.offset, value: String(message.value), headers });
      },
    });

    const attemptsAt: number[] = [];
    const groupPrefix = `${world.topicPrefix}g.`;
    const consumer = await startLedgerConsumer(world, consumerDb, {
      groupPrefix,
      instance: 'consumer',
      retry: opts.retry ?? DEFAULT_RETRY,
      accepts: async (account, tx) => {
        if (account === POISON_ACCOUNT) attemptsAt.push(Date.now());
        const open = (await tx.query(`SELECT 1 FROM open_accounts WHERE account = $1`, [account])) as unknown[];
        if (open.length === 0) throw new Error(`account ${account} is not open`);
      },
    });
    scope.defer(() => consumer.stop());
    const relay = startRelay(world, producer, scope);
    await produce(producer, [relay], opts.ratePerSec, scope);

    const normal = opts.events - 1;
    await waitFor('the dead letter', async () => deadLetters.length >= 1, timeoutMs);
    await waitFor(
      `the ${normal} other events applied and acknowledged`,
      async () => (await appliedCount(consumerDb.ds)) >= normal && (await probe.lag(ledgerGroup(groupPrefix), topic)) === 0,
      timeoutMs,
      100,
    );
    await sleep(500); // a second dead letter, if there were one, would have arrived by now
    const [{ id: poisonId }] = (await producer.ds.query(`SELECT id FROM outbox WHERE key = $1`, [POISON_ACCOUNT])) as { id: string }[];
    const letter = deadLetters[0];
    const poisonPartition = Number(letter.headers[DLQ_HEADERS.originalPartition]);
    const ends = await (async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await admin.fetchTopicOffsets(topic);
      } finally {
        await admin.disconnect();
      }
    })();
    const high = Number(ends.find((p) => p.partition === poisonPartition)?.high ?? NaN);
    const attempts = attemptsAt.length;
    const firstAttempt = attemptsAt[0] ?? NaN;
    const lastAttempt = attemptsAt[attemptsAt.length - 1] ?? NaN;
    const appliedWhileRetrying = await count(
      consumerDb.ds,
      `SELECT count(*)::int AS n FROM applied WHERE at > to_timestamp($1 / 1000.0) AND at < to_timestamp($2 / 1000.0)`,
      [firstAttempt, lastAttempt],
    );
    const failedAt = Date.parse(letter.headers[DLQ_HEADERS.failedAt]);
    const [after] = (await consumerDb.ds.query(
      `SELECT count(*)::int AS n, (extract(epoch FROM min(at)) * 1000)::float8 AS first FROM applied WHERE at > to_timestamp($1 / 1000.0)`,
      [failedAt],
    )) as { n: number; first: number | null }[];
    const inboxHasPoisonBeforeReplay =
      (await count(consumerDb.ds, `SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [poisonId])) > 0;
    const appliedBeforeReplay = await appliedCount(consumerDb.ds);

    // The cause is fixed (the account is opened); the dead letter is replayed with the real command.
    await consumerDb.ds.query(`INSERT INTO open_accounts (account) VALUES ($1)`, [POISON_ACCOUNT]);
    const replayStart = Date.now();
    const replay = [await runReplayCommand(world, LEDGER_TOPIC)];
    await waitFor(
      'the replayed event to be applied',
      async () => (await count(consumerDb.ds, `SELECT count(*)::int AS n FROM applied WHERE event_id = $1`, [poisonId])) > 0,
      timeoutMs,
      20,
    );
    const replayToAppliedMs = since(replayStart);
    replay.push(await runReplayCommand(world, LEDGER_TOPIC)); // a second run has nothing left to replay
    await waitFor(
      'the group to acknowledge the replay',
      async () => (await probe.lag(ledgerGroup(groupPrefix), topic)) === 0,
      timeoutMs,
      100,
    );
    await sleep(500);
    await scope.stopProcesses();
    return {
      events: opts.events,
      poisonId,
      attempts,
      attemptsAfterReplay: attemptsAt.length - attempts,
      retriedForMs: lastAttempt - firstAttempt,
      appliedWhileRetrying,
      appliedAfterDeadLetter: after.n,
      resumedAfterMs: after.first === null ? NaN : after.first - failedAt,
      afterPoisonOnItsPartition: high - 1 - Number(letter.headers[DLQ_HEADERS.originalOffset]),
      deadLetters,
      inboxHasPoisonBeforeReplay,
      appliedBeforeReplay,
      replay: replay.map((r) => ({ code: r.code, stdout: r.stdout || r.stderr })),
      replayToAppliedMs,
      poisonApplications: await count(consumerDb.ds, `SELECT count(*)::int AS n FROM applied WHERE event_id = $1`, [poisonId]),
      delivery: await compareLedger(producer.ds, consumerDb.ds),
      seconds: since(started) / 1000,
    };
  } finally {
    await scope.close();
  }
}
