/**
 * Bulk import of creators (CSV or NDJSON from agencies, or the synthetic generator); docs/import.md
 * describes the formats and the rules.
 *
 *   input (stream) ─ import-reading.ts: tasks of TASK_SIZE records ─► derive-pool.ts: validate + derive
 *   (this thread or worker threads, import-task.ts) ─► in input order ─► here: batches of `batchSize`
 *   creators ─► batch-writer.ts: one transaction each (ownership checked, COPY into TEMP staging tables,
 *   INSERT … SELECT into creators, platform_accounts, authenticity_reports, creator_audience_countries,
 *   and the events through the kit's Outbox).
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
import { Readable } from 'node:stream';
import { accountKey } from '../creators/ownership';
import { BatchWriter, Entry } from './batch-writer';
import type { DerivedCreator } from './import-rows';
import { ImportFormatError, LineError } from './csv';
import { inOrder, inThread, workerCount, workerPool } from './derive-pool';
import { csvUnits, generatedUnits, LineCounter, ndjsonUnits, Unit } from './import-reading';

export { ImportFormatError } from './csv';
export type { LineError } from './csv';
export { workerCount } from './derive-pool';
export { MAX_LINE_LENGTH } from './import-reading';

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
  /** Worker threads that derived the records (0: the importing thread). */
  workers: number;
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
   * imports on machines with spare cores. They run the compiled worker (dist/); when it is not built the
   * import fails at once, saying so.
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

const DEFAULT_BATCH = 5_000;

/** Imports an NDJSON or CSV stream (a file, stdin). */
export async function importCreators(input: Readable, format: ImportFormat, options: ImportOptions): Promise<ImportSummary> {
  const counter: LineCounter = { lines: 0 };
  const units = format === 'csv' ? csvUnits(input, counter) : ndjsonUnits(input, counter);
  return run(units, counter, options);
}

/** Generates `count` synthetic creators (synthetic.ts) and imports them, without a file in between. */
export async function importGenerated(
  generator: { count: number; seed: number | string; lite?: boolean; now?: Date | number },
  options: ImportOptions,
): Promise<ImportSummary> {
  const now = generator.now === undefined ? Math.floor(Date.now() / 86_400_000) * 86_400_000 : new Date(generator.now).getTime();
  const counter: LineCounter = { lines: 0 };
  return run(
    generatedUnits({ count: generator.count, seed: generator.seed, lite: generator.lite ?? false, now }, counter),
    counter,
    options,
  );
}

// The run: batches in input order, written by one writer (or several in parallel).

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

/**
 * Repeats within one import: a handle accepted earlier is refused again (each creator once per import),
 * and so is a platform handle another record of the same batch has (the stored owners are the batch
 * writer's to check, with the ownership rules).
 */
class Repeats {
  /** Handles accepted so far, with their line. */
  private readonly handles = new Map<string, number>();
  /** Platform handles of the batch being filled (by accountKey), with their line. */
  private batchAccounts = new Map<string, number>();

  /** The problems of a derived record that repeats an earlier one (none: it may join the batch). */
  problems(result: DerivedCreator, accountLines: number[] | undefined): LineError[] {
    const earlier = this.handles.get(result.handle);
    if (earlier !== undefined) {
      return [{ line: result.line, field: 'handle', reason: `"${result.handle}" appears earlier in this import (line ${earlier})` }];
    }
    return result.accounts.flatMap(({ platform, handle }, i) => {
      const other = this.batchAccounts.get(accountKey(platform, handle));
      if (other === undefined) return [];
      return [
        {
          line: accountLines?.[i] ?? result.line,
          field: `accounts.${i}.handle`,
          reason: `the ${platform} handle "${handle}" is also on line ${other}`,
        },
      ];
    });
  }

  accept(result: DerivedCreator, accountLines: number[] | undefined): void {
    this.handles.set(result.handle, result.line);
    result.accounts.forEach((a, i) => this.batchAccounts.set(accountKey(a.platform, a.handle), accountLines?.[i] ?? result.line));
  }

  /** A new batch starts: platform handles repeat across batches only through the stored owners. */
  nextBatch(): void {
    this.batchAccounts = new Map();
  }
}

/** Where a problem is reported: CSV accounts on their own line. */
function lineOf(field: string, line: number, accountLines: number[] | undefined): number {
  if (!accountLines) return line;
  const m = /^accounts\.(\d+)(\.|$)/.exec(field);
  return m && accountLines[Number(m[1])] !== undefined ? accountLines[Number(m[1])] : line;
}

async function run(units: AsyncIterable<Unit>, counter: LineCounter, options: ImportOptions): Promise<ImportSummary> {
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
      workers,
    };
  };
  const reject = (errors: LineError[]) => {
    totals.rejected++;
    problems.add(errors);
  };

  const repeats = new Repeats();
  let batch: Entry[] = [];
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
    repeats.nextBatch();
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
        const repeated = repeats.problems(result, accountLines);
        if (repeated.length > 0) {
          reject(repeated);
          continue;
        }
        repeats.accept(result, accountLines);
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
