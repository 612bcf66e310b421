/**
 * Bulk import of creators (PRODUCT.md "Ingest: bulk import (CSV/NDJSON) for agencies"); docs/import.md
 * describes the formats and the rules.
 *
 *   input (stream) ─ lines/rows ─► tasks of TASK_SIZE records ─► validate + derive (this thread or worker
 *   threads, import-task.ts) ─► in input order ─► batches of `batchSize` creators ─► one transaction each:
 *   conflicts checked, COPY into TEMP staging tables, INSERT … SELECT into creators, platform_accounts,
 *   authenticity_reports, creator_audience_countries and the outbox.
 *
 * The input is read as a stream and at most a few batches are in memory. Every record is validated with
 * the shared schema (creatorRecordSchema); a bad record is reported with its line, field and reason, and
 * the good ones are kept. A batch is all or nothing, and a refused record writes nothing.
 *
 * Existing creators: a record whose handle belongs to a stored creator updates that creator (profile, the
 * accounts it lists, search columns; accounts on other platforms are kept) and publishes
 * creator.stats-updated when its stats changed — or, with `existing: 'reject'`, is refused. A new creator
 * publishes creator.created. A platform handle owned by another creator, or a handle seen earlier in the
 * same import, is refused.
 */
import { createEvent } from '@influenceflow/kit';
import { CreatorStatsUpdatedData } from '@influenceflow/vocabulary';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AccountRecord, accountSchema, AudienceRecord, parseRecord, PostRecord } from '../creators/creator-record';
import { marketsOf, sameMarkets, statsChange } from '../creators/creator-stats';
import type { SearchAccount } from '../creators/search-profile';
import { CREATOR_SEARCH_COLUMNS, SEARCH_TEXT_UPSERT } from '../creators/search-profile.store';
import { csvRecords, ImportFormatError, LineError, SourceRecord } from './csv';
import {
  ACCOUNT_COLUMNS,
  ACCOUNT_STAGING_COLUMNS,
  COUNTRY_STAGING_COLUMNS,
  CREATOR_STAGING_COLUMNS,
  creatorRow,
  DerivedCreator,
  DeriveResult,
  EVENT_SOURCE,
  EVENT_TOPIC,
  PROFILE_COLUMNS,
  STAGING_DDL,
} from './import-rows';
import { DeriveTask, rederive, runTask } from './import-task';

export { ImportFormatError } from './csv';
export type { LineError } from './csv';

export type ImportFormat = 'ndjson' | 'csv';

export interface ImportProgress {
  /** Input lines read so far. */
  lines: number;
  /** New creators written. */
  imported: number;
  /** Existing creators updated. */
  updated: number;
  /** Records refused (a CSV creator of several lines counts once). */
  rejected: number;
  elapsedMs: number;
  /** Creators written (imported + updated) per second so far. */
  rate: number;
}

export interface ImportSummary extends Omit<ImportProgress, 'rate'> {
  /** Problems, in input order: every problem of every refused record, up to `maxErrors`. */
  errors: LineError[];
  /** Problems left out of `errors` beyond `maxErrors`. */
  errorsOmitted: number;
  creatorsPerSecond: number;
}

export interface ImportOptions {
  /** PostgreSQL URL of the discovery database (migrated). */
  databaseUrl: string;
  /** Creators per transaction (default 5,000). */
  batchSize?: number;
  /** What a record with the handle of a stored creator does: update it (default) or be refused. */
  existing?: 'update' | 'reject';
  /**
   * Worker threads that validate and derive records (default 0: this thread). They pay off for large
   * imports on machines with spare cores; they need the compiled build (dist/).
   */
  workers?: number;
  /**
   * Database connections writing batches in parallel (default 1). Batches are independent transactions
   * (a handle is in one batch only; a platform handle two batches race for is settled by the unique index
   * and a retry), so more writers scale with the database's cores; on a small machine they only compete.
   */
  writers?: number;
  /** Problems listed in the summary (default 1,000); the rest are only counted. */
  maxErrors?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/** The import stopped on a database failure; batches before `summary.lines` are committed. */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly summary: ImportSummary,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** Records per derive task (the unit handed to a worker). */
const TASK_SIZE = 250;
/** The longest NDJSON line accepted, in characters. */
export const MAX_LINE_LENGTH = 32 * 1024 * 1024;
const DEFAULT_BATCH = 5_000;

/** A work item in input order: records to derive, or problems already found while reading. */
type Unit = { task: DeriveTask; accountLines?: (number[] | undefined)[] } | { errors: LineError[] };

/** Imports an NDJSON or CSV stream (a file, stdin). */
export async function importCreators(input: Readable, format: ImportFormat, options: ImportOptions): Promise<ImportSummary> {
  const counter = { lines: 0 };
  const units = format === 'csv' ? csvUnits(input, counter) : ndjsonUnits(input, counter);
  return run(units, counter, options);
}

/** Generates `count` synthetic creators (synthetic.ts) and imports them, without a file in between. */
export async function importGenerated(
  generator: { count: number; seed: number | string; lite?: boolean; now?: Date | number },
  options: ImportOptions,
): Promise<ImportSummary> {
  const now = generator.now === undefined ? Math.floor(Date.now() / 86_400_000) * 86_400_000 : new Date(generator.now).getTime();
  const counter = { lines: 0 };
  async function* units(): AsyncGenerator<Unit> {
    for (let offset = 0; offset < generator.count; offset += TASK_SIZE) {
      const count = Math.min(TASK_SIZE, generator.count - offset);
      counter.lines = offset + count;
      yield { task: { kind: 'generate', seed: generator.seed, offset, count, lite: generator.lite ?? false, now } };
    }
  }
  return run(units(), counter, options);
}

// ---------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------

async function* ndjsonUnits(input: Readable, counter: { lines: number }): AsyncGenerator<Unit> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  let skipping = false; // inside a line that is too long
  let lines: number[] = [];
  let texts: string[] = [];
  const errors: LineError[] = [];
  const take = (text: string) => {
    line++;
    if (skipping) {
      skipping = false;
      return;
    }
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return;
    lines.push(line);
    texts.push(text);
  };
  const flush = function* (): Generator<Unit> {
    if (errors.length > 0) {
      if (texts.length > 0) yield { task: { kind: 'ndjson', lines, texts } };
      yield { errors: errors.splice(0) };
      lines = [];
      texts = [];
    } else if (texts.length >= TASK_SIZE) {
      yield { task: { kind: 'ndjson', lines, texts } };
      lines = [];
      texts = [];
    }
  };
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl));
      start = nl + 1;
      if (texts.length >= TASK_SIZE) {
        counter.lines = line;
        yield* flush();
      }
    }
    rest = text.slice(start);
    if (rest.length > MAX_LINE_LENGTH && !skipping) {
      skipping = true;
      errors.push({
        line: line + 1,
        field: '(record)',
        reason: `line is longer than ${MAX_LINE_LENGTH.toLocaleString('en-US')} characters`,
      });
    }
    if (skipping) rest = '';
    counter.lines = line;
    yield* flush();
  }
  rest += decoder.end();
  if (rest.length > 0 || skipping) take(rest);
  counter.lines = line;
  if (texts.length > 0) yield { task: { kind: 'ndjson', lines, texts } };
  if (errors.length > 0) yield { errors };
}

async function* csvUnits(input: Readable, counter: { lines: number }): AsyncGenerator<Unit> {
  let records: SourceRecord[] = [];
  const pack = (): Unit => {
    const unit: Unit = { task: { kind: 'records', records }, accountLines: records.map((r) => r.accountLines) };
    records = [];
    return unit;
  };
  for await (const item of csvRecords(input)) {
    if ('errors' in item) {
      if (records.length > 0) yield pack();
      counter.lines = Math.max(counter.lines, ...item.errors.map((e) => e.line));
      yield { errors: item.errors };
      continue;
    }
    counter.lines = Math.max(counter.lines, item.record.line, ...(item.record.accountLines ?? []));
    records.push(item.record);
    if (records.length >= TASK_SIZE) yield pack();
  }
  if (records.length > 0) yield pack();
}

// ---------------------------------------------------------------------------------------------------
// Deriving (here or in worker threads), in input order
// ---------------------------------------------------------------------------------------------------

interface Deriver {
  run(task: DeriveTask): Promise<DeriveResult[]>;
  close(): Promise<void>;
}

function inThread(): Deriver {
  return {
    async run(task) {
      // Let pending I/O (the COPY of the previous batch) move between tasks.
      await new Promise((resolve) => setImmediate(resolve));
      return runTask(task);
    },
    async close() {},
  };
}

const WORKER_FILE = join(__dirname, 'import-worker.js');

function workerPool(size: number): Deriver {
  const workers = Array.from({ length: size }, () => ({ worker: new Worker(WORKER_FILE), busy: 0 }));
  const pending = new Map<number, { resolve: (r: DeriveResult[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failed: Error | null = null;
  let closing = false;
  const fail = (err: Error) => {
    failed ??= err;
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  for (const w of workers) {
    w.worker.on('message', (m: { id: number; results?: DeriveResult[]; error?: string }) => {
      w.busy--;
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`import worker failed: ${m.error}`));
      else p?.resolve(m.results!);
    });
    w.worker.on('error', (err) => fail(err));
    w.worker.on('exit', (code) => {
      if (!closing) fail(new Error(`an import worker exited (code ${code})`));
    });
  }
  return {
    run(task) {
      if (failed) return Promise.reject(failed);
      const w = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      w.busy++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.worker.postMessage({ id, task });
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/** Worker threads to use for `requested`: capped by the cores, and 0 when the build is not there (tests). */
export function workerCount(requested: number | 'auto'): number {
  if (!existsSync(WORKER_FILE)) return 0;
  const cores = availableParallelism();
  if (requested === 'auto') return Math.max(0, Math.min(8, cores - 1));
  return Math.max(0, Math.min(requested, cores * 2));
}

interface Derived {
  unit: Unit;
  results: DeriveResult[];
}

async function* inOrder(units: AsyncIterable<Unit>, deriver: Deriver, inFlight: number): AsyncGenerator<Derived> {
  const queue: Promise<Derived>[] = [];
  try {
    for await (const unit of units) {
      const p = 'task' in unit ? deriver.run(unit.task).then((results) => ({ unit, results })) : Promise.resolve({ unit, results: [] });
      p.catch(() => undefined); // awaited below, in order
      queue.push(p);
      if (queue.length >= inFlight) yield await queue.shift()!;
    }
    while (queue.length > 0) yield await queue.shift()!;
  } finally {
    await Promise.allSettled(queue);
  }
}

// ---------------------------------------------------------------------------------------------------
// The run: batches in input order, one writer
// ---------------------------------------------------------------------------------------------------

interface Entry {
  derived: DerivedCreator;
  task: DeriveTask;
  index: number;
  accountLines?: number[];
}

class Problems {
  readonly list: LineError[] = [];
  omitted = 0;
  constructor(private readonly max: number) {}
  add(errors: LineError[]): void {
    for (const e of errors) {
      if (this.list.length < this.max) this.list.push(e);
      else this.omitted++;
    }
  }
}

/** Where a problem is reported: CSV accounts on their own line. */
function lineOf(field: string, line: number, accountLines: number[] | undefined): number {
  if (!accountLines) return line;
  const m = /^accounts\.(\d+)(\.|$)/.exec(field);
  return m && accountLines[Number(m[1])] !== undefined ? accountLines[Number(m[1])] : line;
}

async function run(units: AsyncIterable<Unit>, counter: { lines: number }, options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  const problems = new Problems(options.maxErrors ?? 1_000);
  const totals = { imported: 0, updated: 0, rejected: 0 };
  const workers = workerCount(options.workers ?? 0);
  const deriver = workers > 0 ? workerPool(workers) : inThread();
  const writers = Array.from(
    { length: Math.max(1, options.writers ?? 1) },
    () => new BatchWriter(options.databaseUrl, options.existing ?? 'update'),
  );
  const idle = [...writers];

  const summary = (): ImportSummary => {
    const elapsedMs = Date.now() - started;
    return {
      lines: counter.lines,
      ...totals,
      errors: [...problems.list].sort((a, b) => a.line - b.line),
      errorsOmitted: problems.omitted,
      elapsedMs,
      creatorsPerSecond: Math.round(((totals.imported + totals.updated) * 1000) / Math.max(1, elapsedMs)),
    };
  };
  const reject = (errors: LineError[]) => {
    totals.rejected++;
    problems.add(errors);
  };

  /** Handles accepted so far in this import, with their line (a later line with the same handle is refused). */
  const seen = new Map<string, number>();
  let batch: Entry[] = [];
  let batchAccounts = new Map<string, number>();
  /** Batches being written (one per writer), each settling when its writer is idle again. */
  const writing = new Set<Promise<void>>();
  let failure: unknown = null;

  const write = async (entries: Entry[]) => {
    const writer = idle.pop()!;
    const result = await writer.write(entries).finally(() => idle.push(writer));
    totals.imported += result.imported;
    totals.updated += result.updated;
    for (const r of result.rejected) reject(r);
    if (options.onProgress) {
      const s = summary();
      options.onProgress({
        lines: s.lines,
        imported: s.imported,
        updated: s.updated,
        rejected: s.rejected,
        elapsedMs: s.elapsedMs,
        rate: s.creatorsPerSecond,
      });
    }
  };
  const dispatch = async () => {
    const entries = batch;
    batch = [];
    batchAccounts = new Map();
    // The next batch is derived while this one is written; with several writers, batches commit in parallel.
    while (writing.size >= writers.length) await Promise.race(writing);
    if (failure) throw failure;
    const done: Promise<void> = write(entries)
      .catch((err) => {
        failure ??= err;
      })
      .finally(() => writing.delete(done));
    writing.add(done);
  };
  const drain = () => Promise.all([...writing]);

  try {
    await Promise.all(writers.map((w) => w.connect()));
    for await (const { unit, results } of inOrder(units, deriver, Math.max(2, workers * 2))) {
      if (failure) throw failure;
      if ('errors' in unit) {
        reject(unit.errors);
        continue;
      }
      for (let index = 0; index < results.length; index++) {
        const result = results[index];
        const accountLines = unit.accountLines?.[index];
        if (!result.ok) {
          reject(result.problems.map((p) => ({ line: lineOf(p.field, result.line, accountLines), field: p.field, reason: p.reason })));
          continue;
        }
        const earlier = seen.get(result.handle);
        if (earlier !== undefined) {
          reject([{ line: result.line, field: 'handle', reason: `"${result.handle}" appears earlier in this import (line ${earlier})` }]);
          continue;
        }
        const clashes: LineError[] = [];
        result.accountKeys.forEach((key, i) => {
          const other = batchAccounts.get(key);
          if (other !== undefined) {
            const [platform, handle] = splitKey(key);
            clashes.push({
              line: accountLines?.[i] ?? result.line,
              field: `accounts.${i}.handle`,
              reason: `the ${platform} handle "${handle}" is also on line ${other}`,
            });
          }
        });
        if (clashes.length > 0) {
          reject(clashes);
          continue;
        }
        seen.set(result.handle, result.line);
        result.accountKeys.forEach((key, i) => batchAccounts.set(key, accountLines?.[i] ?? result.line));
        batch.push({ derived: result, task: unit.task, index, accountLines });
        if (batch.length >= batchSize) await dispatch();
      }
    }
    if (batch.length > 0) await dispatch();
    await drain();
    if (failure) throw failure;
    return summary();
  } catch (err) {
    await drain();
    if (err instanceof ImportFormatError) throw err;
    throw new ImportError(`import stopped: ${(err as Error).message}`, summary(), err);
  } finally {
    await deriver.close();
    await Promise.all(writers.map((w) => w.close()));
  }
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}

// ---------------------------------------------------------------------------------------------------
// Writing a batch
// ---------------------------------------------------------------------------------------------------

interface BatchResult {
  imported: number;
  updated: number;
  rejected: LineError[][];
}

interface StoredCreator {
  id: string;
  handle: string;
  followers: number;
  authenticity_score: number | null;
  engagement_rate: number | null;
  platforms: string[];
  country: string | null;
  markets: string[];
}

interface StoredAccount {
  id: string;
  creator_id: string;
  platform: SearchAccount['platform'];
  handle: string;
  followers: number;
  engagement_rate: number | null;
  authenticity_score: number | null;
  audience: AudienceRecord | null;
  recent_posts: Pick<PostRecord, 'caption' | 'hashtags'>[];
}

const CREATOR_COLUMNS = ['id', 'handle', ...PROFILE_COLUMNS, ...CREATOR_SEARCH_COLUMNS];
/** What each of CREATOR_COLUMNS is set to from the staging row `s`. */
const CREATOR_VALUES = CREATOR_COLUMNS.map((c) => `s.${c}`);
/**
 * How many times a batch is retried when a concurrent write got in the way: a handle taken between the
 * checks and the insert (unique violation), or a deadlock with another import locking the same creators.
 */
const RETRIES = 3;
const RETRIED_CODES = new Set(['23505', '40P01', '40001']);

class BatchWriter {
  private client: Client;

  constructor(
    url: string,
    private readonly existing: 'update' | 'reject',
  ) {
    this.client = new Client({ connectionString: url, application_name: 'influenceflow-import' });
  }

  async connect(): Promise<void> {
    await this.client.connect();
    // Staging tables of a whole batch stay in memory (temp_buffers can only be set before they are used).
    await this.client.query(`SET temp_buffers = '256MB'`);
    for (const ddl of STAGING_DDL) await this.client.query(ddl);
    // JSON columns (posts, signals) are mostly over the TOAST threshold: lz4 compresses them much faster.
    const { rows } = await this.client.query(
      `SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    if (rows[0]?.lz4) await this.client.query(`SET default_toast_compression = 'lz4'`);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  async write(entries: Entry[]): Promise<BatchResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.query('BEGIN');
        const result = await this.writeInTransaction(entries);
        await this.client.query('COMMIT');
        return result;
      } catch (err) {
        await this.client.query('ROLLBACK').catch(() => undefined);
        if (RETRIED_CODES.has((err as { code?: string }).code ?? '') && attempt <= RETRIES) continue;
        const first = entries[0]?.derived.line;
        const last = entries[entries.length - 1]?.derived.line;
        throw Object.assign(new Error(`writing the batch of lines ${first}–${last} failed: ${(err as Error).message}`), { cause: err });
      }
    }
  }

  private async writeInTransaction(entries: Entry[]): Promise<BatchResult> {
    const c = this.client;
    const rejected = new Map<Entry, LineError[]>();

    // 1. Stored creators with these handles, locked until commit.
    const stored = await c.query<StoredCreator>(
      `SELECT c.id, c.handle, c.followers, c.authenticity_score, c.engagement_rate, c.platforms, c.country, c.markets
         FROM unnest($1::text[]) AS u(handle) JOIN creators c ON c.handle = u.handle
        ORDER BY c.handle
          FOR UPDATE OF c`,
      [entries.map((e) => e.derived.handle)],
    );
    const storedByHandle = new Map(stored.rows.map((r) => [r.handle, r]));
    const ownerId = (e: Entry) => storedByHandle.get(e.derived.handle)?.id ?? e.derived.id;

    // 2. Platform handles owned by another creator.
    const keys = entries.flatMap((e) => e.derived.accountKeys.map(splitKey));
    const taken = await c.query<{ platform: string; handle: string; creator_id: string; owner: string }>(
      `SELECT u.platform, u.handle, p.creator_id, c.handle AS owner
         FROM unnest($1::text[], $2::text[]) AS u(platform, handle)
         JOIN platform_accounts p ON p.platform = u.platform AND p.handle = u.handle
         JOIN creators c ON c.id = p.creator_id`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
    const owners = new Map(taken.rows.map((r) => [`${r.platform}:${r.handle}`, r]));
    for (const e of entries) {
      const problems: LineError[] = [];
      const creator = storedByHandle.get(e.derived.handle);
      if (creator && this.existing === 'reject') {
        problems.push({ line: e.derived.line, field: 'handle', reason: `the handle "${e.derived.handle}" belongs to an existing creator` });
      }
      e.derived.accountKeys.forEach((key, i) => {
        const owner = owners.get(key);
        if (owner && owner.creator_id !== ownerId(e)) {
          problems.push({
            line: e.accountLines?.[i] ?? e.derived.line,
            field: `accounts.${i}.handle`,
            reason: `the ${owner.platform} handle "${owner.handle}" belongs to another creator (@${owner.owner})`,
          });
        }
      });
      if (problems.length > 0) rejected.set(e, problems);
    }
    const accepted = entries.filter((e) => !rejected.has(e));

    // 3. Updates: derive again with what is stored (ids, accounts on other platforms, rate card).
    const updates = new Map<Entry, { derived: DerivedCreator; event: CreatorStatsUpdatedData | null }>();
    const toUpdate = accepted.filter((e) => storedByHandle.has(e.derived.handle));
    if (toUpdate.length > 0) {
      const ids = toUpdate.map((e) => storedByHandle.get(e.derived.handle)!.id);
      const accounts = await c.query<StoredAccount>(
        `SELECT p.id, p.creator_id, p.platform, p.handle, p.followers, p.engagement_rate, p.authenticity_score, p.audience,
                COALESCE((SELECT jsonb_agg(jsonb_build_object('caption', x->'caption', 'hashtags', x->'hashtags'))
                            FROM jsonb_array_elements(p.recent_posts) x), '[]') AS recent_posts
           FROM platform_accounts p WHERE p.creator_id = ANY($1::uuid[])`,
        [ids],
      );
      const prices = await c.query<{ creator_id: string; price_minor: string; currency: string }>(
        `SELECT creator_id, price_minor, currency FROM rate_card_prices WHERE creator_id = ANY($1::uuid[])`,
        [ids],
      );
      const rescore = await this.accountsToRescore(
        toUpdate.map((e) => ({ entry: e, creator: storedByHandle.get(e.derived.handle)! })),
        accounts.rows,
      );
      for (const e of toUpdate) {
        const creator = storedByHandle.get(e.derived.handle)!;
        const mine = accounts.rows.filter((a) => a.creator_id === creator.id);
        const listed = new Set(e.derived.accountKeys.map((k) => splitKey(k)[0]));
        const rescoreAccounts = rescore.get(creator.id) ?? [];
        for (const a of rescoreAccounts) listed.add(a.platform);
        const redone = rederive(e.task, e.index, {
          creatorId: creator.id,
          accountIds: new Map(mine.map((a) => [a.platform, a.id])),
          previousScores: new Map(mine.map((a) => [a.platform, a.authenticity_score])),
          rescoreAccounts,
          otherAccounts: mine
            .filter((a) => !listed.has(a.platform))
            .map((a) => ({
              platform: a.platform,
              handle: a.handle,
              followers: a.followers,
              engagementRate: a.engagement_rate,
              authenticityScore: a.authenticity_score,
              audience: a.audience,
              postTexts: a.recent_posts.flatMap((p) => [p.caption, ...p.hashtags]),
            })),
          rateCard: prices.rows
            .filter((p) => p.creator_id === creator.id)
            .map((p) => ({ priceMinor: Number(p.price_minor), currency: p.currency })),
        });
        if (!redone.ok) {
          rejected.set(
            e,
            redone.problems.map((p) => ({ line: redone.line, field: p.field, reason: p.reason })),
          );
          continue;
        }
        const before = {
          followers: creator.followers,
          authenticityScore: creator.authenticity_score,
          engagementRate: creator.engagement_rate,
          platforms: creator.platforms,
        };
        updates.set(e, { derived: redone, event: statsChange(creator.id, before, redone.stats) });
      }
    }
    const written = accepted.filter((e) => !rejected.has(e));
    if (written.length === 0) return { imported: 0, updated: 0, rejected: [...rejected.values()] };

    // 4. COPY into the staging tables.
    const now = new Date();
    await this.copy(
      `COPY import_creators (${CREATOR_STAGING_COLUMNS.join(', ')}) FROM STDIN`,
      written.map((e) => {
        const update = updates.get(e);
        if (!update) return creatorRow(e.derived.creatorFields, { ...e.derived.createdEvent, type: 'creator.created' });
        if (!update.event) return creatorRow(update.derived.creatorFields, null);
        const event = createEvent(EVENT_SOURCE, { type: 'creator.stats-updated', subject: update.derived.id, data: update.event }, now);
        return creatorRow(update.derived.creatorFields, { id: event.id, type: event.type, json: JSON.stringify(event) });
      }),
    );
    const rowsOf = (e: Entry) => updates.get(e)?.derived ?? e.derived;
    await this.copy(
      `COPY import_accounts (${ACCOUNT_STAGING_COLUMNS.join(', ')}) FROM STDIN`,
      written.map((e) => rowsOf(e).accountRows),
    );
    await this.copy(
      `COPY import_audience_countries (${COUNTRY_STAGING_COLUMNS.join(', ')}) FROM STDIN`,
      written.map((e) => rowsOf(e).countryRows),
    );

    // 5. Set-based moves into the real tables.
    const creatorColumns = CREATOR_COLUMNS.join(', ');
    const creatorValues = CREATOR_VALUES.join(', ');
    const accountColumns = ACCOUNT_COLUMNS.join(', ');
    await c.query(`INSERT INTO creators (${creatorColumns}) SELECT ${creatorValues} FROM import_creators s WHERE NOT s.is_update`);
    await c.query(`INSERT INTO platform_accounts (${accountColumns}) SELECT ${accountColumns} FROM import_accounts WHERE NOT is_update`);
    if (updates.size > 0) {
      const ids = [...updates.values()].map((u) => u.derived.id);
      // Everything but id and handle (the handle is what matched).
      const assignments = CREATOR_COLUMNS.map((col, i) => `${col} = ${CREATOR_VALUES[i]}`)
        .slice(2)
        .join(', ');
      await c.query(
        `UPDATE creators c SET ${assignments}, updated_at = now()
           FROM import_creators s WHERE s.is_update AND c.id = s.id AND c.id = ANY($1::uuid[])`,
        [ids],
      );
      await c.query(
        `INSERT INTO platform_accounts (${accountColumns}) SELECT ${accountColumns} FROM import_accounts WHERE is_update
         ON CONFLICT (creator_id, platform) DO UPDATE SET
           ${ACCOUNT_COLUMNS.filter((col) => !['id', 'creator_id', 'platform'].includes(col))
             .map((col) => `${col} = EXCLUDED.${col}`)
             .join(', ')},
           updated_at = now()`,
      );
      await c.query(`DELETE FROM creator_audience_countries WHERE creator_id = ANY($1::uuid[])`, [ids]);
    }
    await c.query(SEARCH_TEXT_UPSERT.replace('%SOURCE%', 'SELECT id, search_text FROM import_creators'));
    await c.query(
      `INSERT INTO authenticity_reports (id, account_id, creator_id, score, model_version, measured_weight, signals)
       SELECT report_id, id, creator_id, report_score, model_version, measured_weight, signals FROM import_accounts`,
    );
    await c.query(
      `INSERT INTO creator_audience_countries (creator_id, country, share) SELECT creator_id, country, share FROM import_audience_countries`,
    );
    // Rows as the kit's Outbox writes them; the service's relay publishes them. A creator's own event
    // first, then one authenticity.scored per account report (same key, so the same order on Kafka).
    await c.query(
      `INSERT INTO outbox (id, topic, key, type, envelope)
       SELECT event_id, $1, id::text, event_type, event FROM import_creators WHERE event_id IS NOT NULL ORDER BY line`,
      [EVENT_TOPIC],
    );
    await c.query(
      `INSERT INTO outbox (id, topic, key, type, envelope)
       SELECT score_event_id, $1, creator_id::text, 'authenticity.scored', score_event FROM import_accounts ORDER BY line, platform`,
      [EVENT_TOPIC],
    );
    return { imported: written.length - updates.size, updated: updates.size, rejected: [...rejected.values()] };
  }

  /**
   * The stored accounts an update does not list, for creators whose markets change: the record's
   * accounts are scored against the new markets, these must be too (the foreign-audience signal).
   * Stored data that no longer passes the schema is left as it is.
   */
  private async accountsToRescore(
    updates: { entry: Entry; creator: StoredCreator }[],
    stored: StoredAccount[],
  ): Promise<Map<string, AccountRecord[]>> {
    const moved = updates.filter(({ entry, creator }) => !sameMarkets(marketsOf(creator), entry.derived.markets));
    const wanted = moved.flatMap(({ entry, creator }) => {
      const listed = new Set(entry.derived.accountKeys.map((k) => splitKey(k)[0]));
      return stored.filter((a) => a.creator_id === creator.id && !listed.has(a.platform)).map((a) => a.id);
    });
    const byCreator = new Map<string, AccountRecord[]>();
    if (wanted.length === 0) return byCreator;
    const rows = await this.client.query<{
      creator_id: string;
      platform: string;
      handle: string;
      followers: number;
      following: number;
      post_count: number;
      engagement_rate: number | null;
      posts_counted: number;
      audience: unknown;
      follower_history: unknown;
      recent_posts: unknown;
    }>(
      `SELECT creator_id, platform, handle, followers, following, post_count, engagement_rate, posts_counted, audience,
              follower_history, recent_posts
         FROM platform_accounts WHERE id = ANY($1::uuid[])`,
      [wanted],
    );
    for (const r of rows.rows) {
      const parsed = parseRecord(accountSchema, {
        platform: r.platform,
        handle: r.handle,
        followers: r.followers,
        following: r.following,
        postCount: r.post_count,
        // A rate measured from posts is measured again; a self-reported one (no posts) is kept.
        engagementRate: r.posts_counted === 0 ? r.engagement_rate : null,
        audience: r.audience,
        followerHistory: r.follower_history,
        posts: r.recent_posts,
      });
      if (!parsed.ok) continue;
      byCreator.set(r.creator_id, [...(byCreator.get(r.creator_id) ?? []), parsed.value]);
    }
    return byCreator;
  }

  private async copy(sql: string, rows: string[]): Promise<void> {
    const stream = this.client.query(copyFrom(sql));
    const done = finished(stream);
    // Joined in chunks of about 1 MB: few writes, no single huge string.
    let chunk = '';
    for (const row of rows) {
      chunk += row;
      if (chunk.length >= 1 << 20) {
        if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
        chunk = '';
      }
    }
    stream.end(chunk);
    await done;
  }
}
