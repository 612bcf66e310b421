/**
 * The reading half of a bulk import: an NDJSON or CSV stream (or the synthetic generator) cut into units of
 * work in input order, each a task of up to TASK_SIZE records to validate and derive (import-task.ts), or
 * the problems found while reading. The input is read as a stream; only a chunk and a task are held.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { csvRecords, LineError, SourceRecord } from './csv';
import type { DeriveTask } from './import-task';

/** Records per derive task (the unit handed to a worker). */
export const TASK_SIZE = 250;
/** The longest NDJSON line accepted, in characters. */
export const MAX_LINE_LENGTH = 32 * 1024 * 1024;

/**
 * A work item in input order: records to derive (with, for CSV, the line of each record's accounts), or
 * problems already found while reading.
 */
export type Unit = { task: DeriveTask; accountLines?: (number[] | undefined)[] } | { errors: LineError[] };

/** How far the reading got: the last input line read (for progress and the summary). */
export interface LineCounter {
  lines: number;
}

export async function* ndjsonUnits(input: Readable, counter: LineCounter): AsyncGenerator<Unit> {
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

export async function* csvUnits(input: Readable, counter: LineCounter): AsyncGenerator<Unit> {
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

/** Synthetic creators `0 … count − 1` of a seed (synthetic.ts), generated where they are derived. */
export async function* generatedUnits(
  generator: { count: number; seed: number | string; lite: boolean; now: number },
  counter: LineCounter,
): AsyncGenerator<Unit> {
  for (let offset = 0; offset < generator.count; offset += TASK_SIZE) {
    const count = Math.min(TASK_SIZE, generator.count - offset);
    counter.lines = offset + count;
    yield { task: { kind: 'generate', seed: generator.seed, offset, count, lite: generator.lite, now: generator.now } };
  }
}
