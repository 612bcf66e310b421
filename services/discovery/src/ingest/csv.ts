/**
 * CSV for bulk imports: a small streaming parser (RFC 4180: quoted fields with commas, doubled quotes and
 * line breaks; CRLF or LF; a UTF-8 BOM is skipped) and the mapping of its rows to creator records.
 *
 * One account per line; consecutive lines with the same handle are one creator with several accounts
 * (profile columns are read from the creator's first line; later lines may leave them empty). A header
 * line is required; columns may come in any order, unknown columns are refused. Lists are separated by
 * ";", shares written as "key:percent" ("US:60;CA:20", percent like every share of an import). A line
 * without `platform` is a creator without accounts. See docs/import.md.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { PROFILE_COLUMN_FIELDS, PROFILE_COLUMNS } from '../creators/creator-record';

export const CSV_COLUMNS = [
  'handle',
  ...PROFILE_COLUMNS,
  'platform',
  'account_handle',
  'followers',
  'following',
  'post_count',
  'engagement_rate',
  'audience_countries',
  'audience_ages',
  'audience_genders',
  'audience_interests',
  'no_profile_picture_percent',
] as const;

/** Columns of older files, refused with what replaced them (never read in another unit). */
const RENAMED_COLUMNS: Record<string, string> = {
  no_profile_picture_share:
    'the column "no_profile_picture_share" (a fraction 0–1) is no longer read: shares are percent now; name it "no_profile_picture_percent" and write 5 for 5 % (audience pairs are percent too: US:60;CA:20)',
};
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface LineError {
  line: number;
  field: string;
  reason: string;
}

export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

export type CsvRow = { line: number; fields: string[] } | { line: number; error: string };

/** Rows of a CSV stream, each with the line it starts on. Never holds more than one row and one chunk. */
export async function* csvRows(input: Readable | AsyncIterable<Buffer | string>): AsyncGenerator<CsvRow> {
  const decoder = new StringDecoder('utf8');
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let afterQuote = false; // just read a quote inside a quoted field: a second one is an escaped quote
  let line = 1;
  let rowLine = 1;
  let rowStarted = false;
  let first = true;
  const out: CsvRow[] = [];

  const endRow = () => {
    fields.push(field);
    // A blank line is no row.
    if (!(fields.length === 1 && fields[0] === '' && !rowStarted)) out.push({ line: rowLine, fields });
    fields = [];
    field = '';
    rowStarted = false;
  };

  const consume = (text: string) => {
    let i = 0;
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    let plainStart = -1; // start of a run of ordinary characters copied in one slice
    const flushPlain = (end: number) => {
      if (plainStart >= 0) {
        field += text.slice(plainStart, end);
        plainStart = -1;
      }
    };
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (c === 34) {
            field += '"';
            continue;
          }
          quoted = false; // the quote closed the field; fall through to handle c unquoted
        } else if (c === 34) {
          flushPlain(i);
          afterQuote = true;
          continue;
        } else {
          if (c === 10) line++;
          if (plainStart < 0) plainStart = i;
          continue;
        }
      }
      // unquoted
      if (c === 44) {
        flushPlain(i);
        fields.push(field);
        field = '';
        rowStarted = true;
      } else if (c === 10) {
        flushPlain(i);
        if (field.endsWith('\r')) field = field.slice(0, -1);
        endRow();
        line++;
        rowLine = line;
      } else if (c === 34 && field === '' && plainStart < 0) {
        quoted = true;
        rowStarted = true;
      } else {
        if (plainStart < 0) plainStart = i;
        if (c !== 13) rowStarted = true;
      }
    }
    flushPlain(text.length);
  };

  for await (const chunk of input) {
    consume(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (out.length > 0) yield* out.splice(0, out.length);
  }
  consume(decoder.end());
  if (quoted && !afterQuote) {
    out.push({ line: rowLine, error: 'a quoted field is not closed before the end of the file' });
  } else if (field !== '' || fields.length > 0 || rowStarted) {
    if (field.endsWith('\r')) field = field.slice(0, -1);
    endRow();
  }
  yield* out;
}

/** A creator read from the input, before validation. */
export interface SourceRecord {
  /** The line the record starts on (NDJSON: its line; CSV: its first line). */
  line: number;
  raw: unknown;
  /** CSV: the line of each account, in order (problems of `accounts.N.*` are reported on line N's). */
  accountLines?: number[];
}

export type SourceItem = { record: SourceRecord } | { errors: LineError[] };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A number column: empty → absent, a number → the number, anything else as text (the schema refuses it). */
function num(value: string): unknown {
  const v = value.trim();
  if (v === '') return undefined;
  return NUMBER.test(v) ? Number(v) : v;
}

function list(value: string): string[] | undefined {
  const items = value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length > 0 ? items : undefined;
}

function optional(value: string): string | undefined {
  const v = value.trim();
  return v === '' ? undefined : v;
}

/** "US:60;CA:20" → [["US", 60], ["CA", 20]] (a pair without ":" keeps its text as the percent, refused later). */
function pairs(value: string): [string, unknown][] | undefined {
  const items = list(value);
  if (!items) return undefined;
  return items.map((item) => {
    const at = item.lastIndexOf(':');
    if (at < 0) return [item, item];
    return [item.slice(0, at).trim(), num(item.slice(at + 1)) ?? ''];
  });
}

type Row = Record<CsvColumn, string>;

function profileOf(row: Row): Record<string, unknown> {
  return {
    // Handle and name are passed even when empty, so the schema says what is wrong with them.
    handle: row.handle,
    displayName: row.display_name,
    bio: optional(row.bio),
    niches: list(row.niches),
    contentStyles: list(row.content_styles),
    languages: list(row.languages),
    country: optional(row.country),
    region: optional(row.region),
    city: optional(row.city),
    markets: list(row.markets),
    avatarUrl: optional(row.avatar_url),
  };
}

function accountOf(row: Row): Record<string, unknown> {
  const countries = pairs(row.audience_countries);
  const ages = pairs(row.audience_ages);
  const genders = pairs(row.audience_genders);
  const interests = list(row.audience_interests);
  const noPicture = num(row.no_profile_picture_percent);
  const hasAudience = countries || ages || genders || interests || noPicture !== undefined;
  return {
    platform: row.platform.trim().toLowerCase(),
    handle: row.account_handle,
    followers: num(row.followers),
    following: num(row.following),
    postCount: num(row.post_count),
    engagementRate: num(row.engagement_rate),
    audience: hasAudience
      ? {
          countries: countries?.map(([country, percent]) => ({ country, percent })),
          ages: ages ? Object.fromEntries(ages) : undefined,
          genders: genders ? Object.fromEntries(genders) : undefined,
          interests,
          noProfilePicturePercent: noPicture,
        }
      : undefined,
  };
}

/** Creator records of a CSV stream (see the file comment for the format). */
export async function* csvRecords(input: Readable | AsyncIterable<Buffer | string>): AsyncGenerator<SourceItem> {
  let columns: (CsvColumn | null)[] | null = null;
  let current: { line: number; key: string; first: Row; profile: Record<string, unknown>; accounts: unknown[]; lines: number[] } | null =
    null;
  let pendingErrors: LineError[] = []; // problems of the current creator's later lines
  let currentBroken = false;

  const finish = (): SourceItem[] => {
    if (!current) return [];
    const done = current;
    current = null;
    const errors = pendingErrors;
    pendingErrors = [];
    if (currentBroken) {
      currentBroken = false;
      return [{ errors }];
    }
    return [{ record: { line: done.line, raw: { ...done.profile, accounts: done.accounts }, accountLines: done.lines } }];
  };

  for await (const row of csvRows(input)) {
    if ('error' in row) {
      yield* finish();
      yield { errors: [{ line: row.line, field: '(record)', reason: row.error }] };
      continue;
    }
    if (!columns) {
      columns = readHeader(row.fields);
      continue;
    }
    if (row.fields.length !== columns.length) {
      const error = { line: row.line, field: '(record)', reason: `has ${row.fields.length} fields, the header has ${columns.length}` };
      const handle = row.fields[columns.indexOf('handle')]?.trim().toLowerCase();
      if (current && handle === current.key) {
        // A broken line of the creator being read: the whole creator is refused, not imported without it.
        pendingErrors.push(error);
        currentBroken = true;
      } else {
        yield* finish();
        yield { errors: [error] };
      }
      continue;
    }
    const values = {} as Row;
    for (const c of CSV_COLUMNS) values[c] = '';
    columns.forEach((c, i) => {
      if (c) values[c] = row.fields[i];
    });
    const key = values.handle.trim().toLowerCase();
    if (current && key === current.key && key !== '') {
      // Another account of the same creator; its profile columns must agree with the first line's.
      for (const c of PROFILE_COLUMNS) {
        const v = values[c].trim();
        if (v !== '' && v !== current.first[c].trim()) {
          pendingErrors.push({
            line: row.line,
            field: PROFILE_COLUMN_FIELDS[c],
            reason: `differs from the creator's first line ${current.line} ("${current.first[c].trim()}")`,
          });
          currentBroken = true;
        }
      }
    } else {
      yield* finish();
      current = { line: row.line, key, first: values, profile: profileOf(values), accounts: [], lines: [] };
    }
    if (values.platform.trim() !== '' || values.account_handle.trim() !== '') {
      current.accounts.push(accountOf(values));
      current.lines.push(row.line);
    }
  }
  if (!columns) throw new ImportFormatError('the CSV file is empty: a header line is required');
  yield* finish();
}

function readHeader(fields: string[]): (CsvColumn | null)[] {
  const known = new Set<string>(CSV_COLUMNS);
  const columns = fields.map((f) => f.trim().toLowerCase());
  const renamed = columns.find((c) => RENAMED_COLUMNS[c] !== undefined);
  if (renamed) throw new ImportFormatError(RENAMED_COLUMNS[renamed]);
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new ImportFormatError(
      `the CSV header has unknown column(s) ${unknown.map((c) => `"${c}"`).join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`,
    );
  }
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) throw new ImportFormatError(`the CSV header repeats column(s) ${[...new Set(repeated)].join(', ')}`);
  for (const required of ['handle', 'display_name'] as const) {
    if (!columns.includes(required)) throw new ImportFormatError(`the CSV header has no "${required}" column (line 1 must be the header)`);
  }
  return columns as CsvColumn[];
}

/** A value as a CSV field, quoted when it needs to be. */
export function csvEscape(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
