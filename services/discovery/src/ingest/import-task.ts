/**
 * A unit of import work: a chunk of input turned into staging rows. Pure and self-contained, so it runs
 * the same in the importer's thread and in a worker thread (import-worker.ts).
 */
import type { SourceRecord } from './csv';
import { DeriveOptions, deriveJsonLine, DeriveResult, parseAndDerive } from './import-rows';

/** A record the rules could not take (a bug, not bad input: the schema passed it) is refused, not fatal. */
function safely(line: number, derive: () => DeriveResult): DeriveResult {
  try {
    return derive();
  } catch (err) {
    return { ok: false, line, problems: [{ field: '(record)', reason: `could not be processed: ${(err as Error).message}` }] };
  }
}
import { generateCreators } from './synthetic';

export type DeriveTask =
  /** NDJSON lines (blank lines already left out) with their line numbers. */
  | { kind: 'ndjson'; lines: number[]; texts: string[] }
  /** Records read from CSV (or any source). */
  | { kind: 'records'; records: SourceRecord[] }
  /** Synthetic creators `offset … offset + count − 1` of a seed; creator i is "line" i + 1. */
  | { kind: 'generate'; seed: number | string; offset: number; count: number; lite: boolean; now: number };

export function taskSize(task: DeriveTask): number {
  return task.kind === 'ndjson' ? task.texts.length : task.kind === 'records' ? task.records.length : task.count;
}

/** Every item of the task, validated and derived, in order. */
export function runTask(task: DeriveTask): DeriveResult[] {
  const now = new Date();
  switch (task.kind) {
    case 'ndjson':
      return task.texts.map((text, i) => safely(task.lines[i], () => deriveJsonLine(text, task.lines[i], { now })));
    case 'records':
      return task.records.map((r) => safely(r.line, () => parseAndDerive(r.raw, r.line, { now })));
    case 'generate': {
      const out: DeriveResult[] = [];
      let line = task.offset + 1;
      for (const raw of generateCreators(task.count, task.seed, { lite: task.lite, now: task.now, offset: task.offset })) {
        const at = line++;
        out.push(safely(at, () => parseAndDerive(raw, at, { now })));
      }
      return out;
    }
  }
}

/** Item `index` of the task again, with what is stored about the creator (an update). */
export function rederive(task: DeriveTask, index: number, options: DeriveOptions): DeriveResult {
  switch (task.kind) {
    case 'ndjson':
      return deriveJsonLine(task.texts[index], task.lines[index], options);
    case 'records':
      return parseAndDerive(task.records[index].raw, task.records[index].line, options);
    case 'generate': {
      const offset = task.offset + index;
      const [raw] = generateCreators(1, task.seed, { lite: task.lite, now: task.now, offset });
      return parseAndDerive(raw, offset + 1, options);
    }
  }
}
