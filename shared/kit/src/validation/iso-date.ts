import { badInput } from '../errors/app-error';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date that exists, written YYYY-MM-DD (year 0001 on: PostgreSQL's `date` has no year 0). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || value.startsWith('0000')) return false;
  // Month 13 is an invalid Date (toISOString would throw); 2027-02-30 rolls over to March.
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** The date itself, or BAD_USER_INPUT on `field` (the value is not echoed). */
export function parseIsoDate(value: string, field: string): string {
  if (!isIsoDate(value)) throw badInput(field, 'must be an ISO date (YYYY-MM-DD)');
  return value;
}

/** Today's date in UTC, YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The date `days` days after (before, when negative) an ISO date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
