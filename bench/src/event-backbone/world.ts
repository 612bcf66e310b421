/**
 * The event backbone under faults (issue 10): what the scenarios share. A scenario runs a producing
 * "service" (outbox + relay, the kit's classes, on a database of its own) and consuming ones (the kit's
 * InboxConsumer on other databases), injects a fault, and compares the databases afterwards.
 *
 * The consumers keep a ledger whose effects would show any mistake of the plumbing:
 * - `applied` gets one row per application of an event and has no unique key, so an event applied
 *   twice is two rows (only the inbox prevents that);
 * - each row records the account's version before it, so an event applied out of order is a row whose
 *   `previous` is not `version - 1`;
 * - `balances.chain` folds the event ids of an account in the order they were applied (md5 chain), so
 *   two databases that applied the same events in the same order per account have the same chains.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConsumerDefinition,
  createDataSource,
  createKafka,
  createLogger,
  dropDatabase,
  ensureDatabase,
  ensureTopics,
  EventHandler,
  InboxConsumer,
  initializeDataSource,
  Logger,
  Outbox,
  physicalTopic,
  RetryPolicy,
  deadLetterTopic,
} from '@influenceflow/kit';
import { testDatabaseName } from '@influenceflow/kit/testing';

export type DataSource = ReturnType<typeof createDataSource>;
export type Kafka = ReturnType<typeof createKafka>;
type Admin = ReturnType<Kafka['admin']>;

/** The repository root (bench/src/event-backbone or bench/dist/event-backbone → ../../..). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Where a scenario runs: a Kafka node, a prefix for its topics and groups, a PostgreSQL server. */
export interface World {
  brokers: string[];
  /** Every topic and consumer group of the scenario starts with it. */
  topicPrefix: string;
  /** Any database URL of the server; scenarios make databases of their own beside it. */
  postgresUrl: string;
  /** Databases are named `ift_<runId>_evb_…`, so a test run's teardown (or a later one's) removes leftovers. */
  runId: string;
  logLevel: string;
}

/**
 * The logical topic the ledger events travel on: a platform topic's name (so `pnpm dlq:replay` accepts it),
 * under the scenario's own prefix, so no service's events mix with them.
 */
export const LEDGER_TOPIC = 'payment.events';
export const LEDGER_EVENT = 'ledger.posted';
export const CONSUMER_SERVICE = 'evb';
export const CONSUMER_NAME = 'ledger';

export interface LedgerEvent {
  version: number;
  work?: number;
}

/** Tables of the producing and the consuming side (each database gets all of them; each side uses its own). */
class LedgerTables1767100000000 {
  name = 'LedgerTables1767100000000';
  async up(q: { query(sql: string): Promise<unknown> }): Promise<void> {
    // Producer: the aggregates (their version is the order of their events) and the mutations to perform.
    await q.query(`CREATE TABLE accounts (id text PRIMARY KEY, version integer NOT NULL DEFAULT 0)`);
    await q.query(
      `CREATE TABLE work (n integer PRIMARY KEY, account text NOT NULL REFERENCES accounts (id), done_at timestamptz, done_by integer)`,
    );
    await q.query(`CREATE INDEX work_pending ON work (n) WHERE done_at IS NULL`);
    // Consumer: the ledger (see the top of this file) and the accounts it accepts postings for.
    await q.query(
      `CREATE TABLE balances (account text PRIMARY KEY, version integer NOT NULL, events integer NOT NULL, chain text NOT NULL)`,
    );
    await q.query(
      `CREATE TABLE applied (n bigserial PRIMARY KEY, event_id uuid NOT NULL, account text NOT NULL, version integer NOT NULL,
                             previous integer NOT NULL, instance text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    await q.query(`CREATE TABLE open_accounts (account text PRIMARY KEY)`);
  }
  async down(q: { query(sql: string): Promise<unknown> }): Promise<void> {
    await q.query(`DROP TABLE open_accounts, applied, balances, work, accounts`);
  }
}

export interface Db {
  name: string;
  url: string;
  ds: DataSource;
  /** Closes the pool and drops the database (idempotent). */
  drop(): Promise<void>;
}

/** A fresh database with the kit's tables (outbox, inbox) and the ledger's. */
export async function createDatabase(world: World, label: string, poolSize = 5): Promise<Db> {
  const name = testDatabaseName(world.runId, 'evb', `${label}_${process.pid}_${Date.now().toString(36)}`);
  const u = new URL(world.postgresUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await ensureDatabase(url);
  const ds = createDataSource({ url, entities: [], migrations: [LedgerTables1767100000000], poolSize });
  await initializeDataSource(ds);
  let dropped: Promise<void> | null = null;
  return {
    name,
    url,
    ds,
    drop: () =>
      (dropped ??= (async () => {
        if (ds.isInitialized) await ds.destroy().catch(() => undefined);
        await dropDatabase(url);
      })()),
  };
}

/** The scenario's topics: the ledger topic and its dead-letter twin. */
export async function ensureLedgerTopics(world: World, partitions = 3): Promise<{ topic: string; dlq: string }> {
  const topic = physicalTopic(world.topicPrefix, LEDGER_TOPIC);
  await ensureTopics(world.brokers, [topic, deadLetterTopic(topic)], { partitions });
  return { topic, dlq: deadLetterTopic(topic) };
}

/** The accounts `acct-000`…, and `mutations` pieces of work spread over them round-robin. */
export async function seedWork(producer: DataSource, accounts: number, mutations: number): Promise<string[]> {
  const ids = Array.from({ length: accounts }, (_, i) => `acct-${String(i).padStart(3, '0')}`);
  await producer.query(`INSERT INTO accounts (id) SELECT unnest($1::text[])`, [ids]);
  await producer.query(`INSERT INTO work (n, account) SELECT n, ($1::text[])[1 + (n - 1) % $2] FROM generate_series(1, $3) AS n`, [
    ids,
    accounts,
    mutations,
  ]);
  return ids;
}

/**
 * One mutation of the producing service: takes the next piece of work, changes its account and records the
 * event in the outbox, in one transaction (what `ctx.transaction` + `ctx.emit` do in a subgraph). The change
 * locks the account's row before the event is recorded, so an account's events get outbox positions in
 * commit order. Returns null when no work is left.
 */
export async function performWork(
  ds: DataSource,
  outbox: Outbox,
  by = process.pid,
): Promise<{ n: number; account: string; id: string } | null> {
  return ds.transaction(async (tx) => {
    const [work] = (await tx.query(`SELECT n, account FROM work WHERE done_at IS NULL ORDER BY n LIMIT 1 FOR UPDATE SKIP LOCKED`)) as {
      n: number;
      account: string;
    }[];
    if (!work) return null;
    const [{ version }] = (await tx.query(
      `WITH u AS (UPDATE accounts SET version = version + 1 WHERE id = $1 RETURNING version) SELECT version FROM u`,
      [work.account],
    )) as { version: number }[];
    const event = await outbox.enqueue<LedgerEvent>(tx, LEDGER_TOPIC, {
      type: LEDGER_EVENT,
      subject: work.account,
      data: { version, work: work.n },
    });
    await tx.query(`UPDATE work SET done_at = clock_timestamp(), done_by = $2 WHERE n = $1`, [work.n, by]);
    return { n: work.n, account: work.account, id: event.id };
  });
}

/**
 * Applies a ledger event: a row in `applied` (no unique key: the inbox alone keeps it single) and the
 * account's balance. `instance` names the process that applied it (kept out of comparisons).
 */
export function ledgerHandler(instance: string, accepts?: (account: string, tx: Tx) => Promise<void>): EventHandler<LedgerEvent> {
  return async (event, tx) => {
    if (accepts) await accepts(event.subject, tx);
    const rows = (await tx.query(`SELECT version FROM balances WHERE account = $1 FOR UPDATE`, [event.subject])) as { version: number }[];
    await tx.query(
      `WITH b AS (
         INSERT INTO balances (account, version, events, chain) VALUES ($2, $3, 1, md5($1::text))
         ON CONFLICT (account) DO UPDATE SET version = $3, events = balances.events + 1, chain = md5(balances.chain || $1::text)
         RETURNING 1)
       INSERT INTO applied (event_id, account, version, previous, instance) SELECT $1::uuid, $2, $3, $4, $5 FROM b`,
      [event.id, event.subject, event.data.version, rows[0]?.version ?? 0, instance],
    );
  };
}

/** A transaction's EntityManager (what handlers and `ds.transaction` callbacks get). */
export type Tx = Parameters<EventHandler>[1];

export function ledgerConsumer(instance: string, accepts?: (account: string, tx: Tx) => Promise<void>): ConsumerDefinition {
  return { name: CONSUMER_NAME, topics: [LEDGER_TOPIC], handlers: { [LEDGER_EVENT]: ledgerHandler(instance, accepts) } };
}

/** The consumer group an InboxConsumer of the ledger uses under `groupPrefix`. */
export const ledgerGroup = (groupPrefix: string) => `${groupPrefix}${CONSUMER_SERVICE}.${CONSUMER_NAME}`;

export interface StartedConsumer {
  consumer: InboxConsumer;
  /** Messages handled (offsets the consumer asked to commit): first applications and skipped duplicates. */
  handled(): number;
  stop(): Promise<void>;
}

/** When a consumer stops acknowledging (see instrumentConsumerCommits); both may move while it runs. */
export interface CommitFault {
  /** Offset commits after this many messages handled are not sent. */
  holdFrom: number;
  /** On this many messages handled, `onKill` runs instead of the commit (it kills the process). */
  killAt: number;
  onKill: (handled: number) => void;
}

/**
 * Counts the messages a consumer handled (InboxConsumer commits the offset after each one, applied or
 * skipped as a duplicate), and with `fault` makes it stop acknowledging them, then die before a commit.
 * `onJoin` runs each time the consumer has joined its group (first start, every rebalance).
 */
export function instrumentConsumerCommits(kafka: Kafka, counter: { handled: number }, fault?: CommitFault, onJoin?: () => void): void {
  const make = kafka.consumer.bind(kafka);
  kafka.consumer = ((config: Parameters<Kafka['consumer']>[0]) => {
    const consumer = make(config);
    if (onJoin) consumer.on(consumer.events.GROUP_JOIN, onJoin);
    const commit = consumer.commitOffsets.bind(consumer);
    consumer.commitOffsets = async (offsets) => {
      counter.handled++;
      if (fault && counter.handled >= fault.killAt) fault.onKill(counter.handled);
      if (fault && counter.handled > fault.holdFrom) return;
      return commit(offsets);
    };
    return consumer;
  }) as Kafka['consumer'];
}

/** An InboxConsumer of the ledger in this process. */
export async function startLedgerConsumer(
  world: World,
  db: Db,
  opts: {
    groupPrefix: string;
    instance: string;
    retry?: RetryPolicy;
    logger?: Logger;
    accepts?: (account: string, tx: Tx) => Promise<void>;
  },
): Promise<StartedConsumer> {
  const logger = opts.logger ?? createLogger(`evb-${opts.instance}`, world.logLevel);
  const kafka = createKafka(`evb-${opts.instance}`, world.brokers, logger);
  const counter = { handled: 0 };
  instrumentConsumerCommits(kafka, counter);
  const consumer = new InboxConsumer({
    service: CONSUMER_SERVICE,
    definition: ledgerConsumer(opts.instance, opts.accepts),
    dataSource: db.ds,
    kafka,
    topicPrefix: world.topicPrefix,
    groupPrefix: opts.groupPrefix,
    logger,
    retry: opts.retry,
  });
  await consumer.start();
  let stopped: Promise<void> | null = null;
  return { consumer, handled: () => counter.handled, stop: () => (stopped ??= consumer.stop()) };
}

// ---------------------------------------------------------------------------------------------------
// Looking at Kafka
// ---------------------------------------------------------------------------------------------------

/** One admin connection for a scenario's questions to Kafka. */
export class KafkaProbe {
  private admin: Admin | null = null;
  constructor(private readonly kafka: Kafka) {}

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /** Messages on a topic (all partitions). */
  async messages(topic: string): Promise<number> {
    try {
      const offsets = await (await this.connected()).fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Offsets a group has committed on a topic (sum over partitions; a partition without a commit counts 0). */
  async committed(groupId: string, topic: string): Promise<number> {
    try {
      const [found] = await (await this.connected()).fetchOffsets({ groupId, topics: [topic] });
      return (found?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Messages of the topic the group has not committed yet. */
  async lag(groupId: string, topic: string): Promise<number> {
    const admin = await this.connected();
    try {
      const [ends, [found]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
      return ends.reduce((sum, p) => {
        const c = found?.partitions.find((x) => x.partition === p.partition);
        const from = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(p.low);
        return sum + Math.max(0, Number(p.high) - from);
      }, 0);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------
// Comparing databases
// ---------------------------------------------------------------------------------------------------

export interface Delivery {
  /** Events the producer committed (outbox rows). */
  produced: number;
  /** Of those, not marked sent. */
  unsent: number;
  /** Applications at the consumer (rows of `applied`). */
  applications: number;
  /** Distinct events applied. */
  applied: number;
  /** Applications beyond the first of an event: the inbox failed if this is not 0. */
  appliedTwice: number;
  /** Produced events never applied. */
  missing: number;
  /** Applied events the producer never committed (e.g. from a rolled-back transaction). */
  unexpected: number;
  /** Applications whose account was not at the previous version: out of order per key. */
  outOfOrder: number;
  /** Accounts whose version at the consumer differs from the producer's. */
  accountsDiffering: number;
  /** Inbox entries of the ledger consumer. */
  inbox: number;
}

/** Compares what the producer committed with what a consumer applied. */
export async function compareLedger(producer: DataSource, consumer: DataSource): Promise<Delivery> {
  const outbox = (await producer.query(`SELECT id, sent_at IS NULL AS unsent FROM outbox WHERE type = $1`, [LEDGER_EVENT])) as {
    id: string;
    unsent: boolean;
  }[];
  const applied = (await consumer.query(`SELECT event_id, version, previous FROM applied`)) as {
    event_id: string;
    version: number;
    previous: number;
  }[];
  const producedIds = new Set(outbox.map((r) => r.id));
  const appliedIds = new Set(applied.map((r) => r.event_id));
  const accountsP = (await producer.query(`SELECT id, version FROM accounts WHERE version > 0`)) as { id: string; version: number }[];
  const accountsC = new Map(
    ((await consumer.query(`SELECT account, version FROM balances`)) as { account: string; version: number }[]).map((r) => [
      r.account,
      r.version,
    ]),
  );
  const [{ n: inbox }] = (await consumer.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [
    `${CONSUMER_SERVICE}.${CONSUMER_NAME}`,
  ])) as { n: number }[];
  return {
    produced: outbox.length,
    unsent: outbox.filter((r) => r.unsent).length,
    applications: applied.length,
    applied: appliedIds.size,
    appliedTwice: applied.length - appliedIds.size,
    missing: [...producedIds].filter((id) => !appliedIds.has(id)).length,
    unexpected: [...appliedIds].filter((id) => !producedIds.has(id)).length,
    outOfOrder: applied.filter((r) => r.previous !== r.version - 1).length,
    accountsDiffering:
      accountsP.filter((a) => accountsC.get(a.id) !== a.version).length +
      [...accountsC.keys()].filter((k) => !accountsP.some((a) => a.id === k)).length,
    inbox,
  };
}

/** A consuming database's contents without what legitimately differs between runs (serials, times, process names). */
export async function ledgerContents(consumer: DataSource): Promise<{ balances: unknown[]; applied: unknown[]; inbox: unknown[] }> {
  return {
    balances: await consumer.query(`SELECT account, version, events, chain FROM balances ORDER BY account`),
    applied: await consumer.query(`SELECT event_id, account, version, previous FROM applied ORDER BY account, version, event_id`),
    inbox: await consumer.query(`SELECT consumer, event_id, type, topic FROM inbox ORDER BY consumer, event_id`),
  };
}

// ---------------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------------

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Its stderr so far (the last 64 KB). */
  stderr(): string;
  /** Lines it wrote that start with `EVB-` (faults it injected, statistics). */
  reports(): string[];
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Child>();

/** Every child still running (tests kill them in afterAll, whatever happened). */
export function killAllChildren(): Promise<void> {
  const all = [...running];
  for (const c of all) c.kill('SIGKILL');
  return Promise.all(all.map((c) => c.exited)).then(() => undefined);
}

/** Starts `bench/dist/event-backbone/<script>.js` (built by `pnpm build`) with `env`. */
export function startChild(name: string, script: 'producer-main' | 'consumer-main', env: Record<string, string>): Child {
  const file = join(REPO_ROOT, 'bench', 'dist', 'event-backbone', `${script}.js`);
  // EVB_ECHO_CHILDREN=1 shows their output (logs go to stdout, at LOG_LEVEL) prefixed with their name.
  const echo = process.env.EVB_ECHO_CHILDREN === '1';
  const proc = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', echo ? 'pipe' : 'ignore', 'pipe'],
  });
  let err = '';
  proc.stdout?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
  proc.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-65536);
    if (echo) process.stderr.write(`[${name}] ${chunk}`);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
    proc.once('error', () => resolve({ code: -1, signal: null }));
  });
  const child: Child = {
    name,
    proc,
    exited,
    stderr: () => err,
    reports: () =>
      err
        .split('\n')
        .filter((l) => l.startsWith('EVB-'))
        .map((l) => l.trim()),
    kill: (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
    stop: async (graceMs = 15_000) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

/** The `key=value` fields of a child's report line starting with `EVB-<kind>`. */
export function reportFields(child: Child, kind: string): Record<string, string> | null {
  const line = child.reports().find((l) => l.startsWith(`EVB-${kind}`));
  if (!line) return null;
  return Object.fromEntries(
    line
      .split(/\s+/)
      .slice(1)
      .map((f) => f.split('='))
      .filter((kv) => kv.length === 2),
  );
}

// ---------------------------------------------------------------------------------------------------
// Small things
// ---------------------------------------------------------------------------------------------------

/**
 * What a scenario started, stopped once each, last started first: processes and connections (`defer`) before
 * databases (`deferLast`), so results can be read from the databases after everything that writes to them
 * stopped. Scenarios close their scope in `finally`; tests close it again in afterAll (a timed-out test does
 * not unwind its scenario).
 */
export class Scope {
  private readonly steps: (() => Promise<unknown>)[] = [];
  private readonly last: (() => Promise<unknown>)[] = [];
  defer(step: () => Promise<unknown>): void {
    this.steps.unshift(step);
  }
  deferLast(step: () => Promise<unknown>): void {
    this.last.unshift(step);
  }
  /** Stops processes and connections, keeps the databases. */
  async stopProcesses(): Promise<void> {
    await Scope.run(this.steps);
  }
  async close(): Promise<void> {
    await Scope.run(this.steps);
    await Scope.run(this.last);
  }
  private static async run(steps: (() => Promise<unknown>)[]): Promise<void> {
    while (steps.length > 0) {
      const step = steps.shift()!;
      await step().catch((err: Error) => process.stderr.write(`cleanup failed: ${err.message}\n`));
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection with `what` after `ms` (the timer does not outlive the promise). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(what())), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every `everyMs` until it returns something other than false/undefined; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | false | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    }
    await sleep(everyMs);
  }
}

export async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows = (await ds.query(sql, params)) as { n: number | string }[];
  return Number(rows[0]?.n ?? 0);
}

export function logger(world: World, name: string): Logger {
  return createLogger(name, world.logLevel);
}

/** Writes a scenario's result to `.test-results/event-backbone/<name>.json` (the figures of docs/events.md). */
export function saveResult(name: string, result: unknown): void {
  const dir = join(REPO_ROOT, '.test-results', 'event-backbone');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
