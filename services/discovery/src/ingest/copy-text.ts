/**
 * Encoders for PostgreSQL's COPY text format (the default of `COPY ... FROM STDIN`): columns separated by
 * a tab, rows by a newline, NULL as `\N`, and backslash, tab, newline and carriage return escaped with a
 * backslash. Arrays are written as array literals (`{a,"b c"}`), JSON as its text.
 */

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPES = /[\\\n\r\t]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export const COPY_NULL = '\\N';

/** A text value as a COPY field. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return COPY_NULL;
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPES, (c) => ESCAPED[c]) : value;
}

/** A number as a COPY field (null → NULL). Only finite numbers are accepted. */
export function copyNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return COPY_NULL;
  if (!Number.isFinite(value)) throw new RangeError(`cannot store ${value} in a number column`);
  return String(value);
}

/** A JSON value (object, array) as a COPY field for a json/jsonb column. */
export function copyJson(value: unknown): string {
  if (value === null || value === undefined) return COPY_NULL;
  return copyText(JSON.stringify(value));
}

const PLAIN_ELEMENT = /^[^{}",\\\s]+$/;

function arrayElement(value: string): string {
  if (PLAIN_ELEMENT.test(value) && value.toUpperCase() !== 'NULL') return value;
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** A text[] as a COPY field: an array literal, elements quoted where needed. */
export function copyTextArray(values: readonly string[] | null | undefined): string {
  if (values === null || values === undefined) return COPY_NULL;
  return copyText(`{${values.map(arrayElement).join(',')}}`);
}

/** A real[] / integer[] as a COPY field. */
export function copyNumberArray(values: readonly number[] | null | undefined): string {
  if (values === null || values === undefined) return COPY_NULL;
  return `{${values.map((v) => copyNumber(v)).join(',')}}`;
}

/** One row: fields joined by tabs, ended by a newline. */
export function copyRow(fields: string[]): string {
  return fields.join('\t') + '\n';
}
