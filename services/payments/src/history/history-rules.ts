import { badInput, InputProblems, isUuid } from '@influenceflow/kit';
import { PayoutStatus } from '../payouts/payout-status';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 9998;

/** A UTC calendar date `YYYY-MM-DD` that exists, as its first instant; anything else is BAD_USER_INPUT on `field`. */
export function parseUtcDate(value: string, field: string): Date {
  if (typeof value === 'string' && value.length === 10 && ISO_DATE.test(value)) {
    const d = new Date(`${value}T00:00:00.000Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value) return d;
  }
  throw badInput(field, 'must be a calendar date YYYY-MM-DD (UTC)');
}

export interface HistoryFilter {
  campaignId: string | null;
  /** Inclusive lower bound (the first instant of `from`). */
  since: Date | null;
  /** Exclusive upper bound (the first instant of the day after `to`). */
  until: Date | null;
  status: PayoutStatus | null;
}

/** The filters of a payment history, checked all at once (every bad field in one error). */
export function parseHistoryFilter(args: {
  campaignId?: string | null;
  from?: string | null;
  to?: string | null;
  status?: string | null;
}): HistoryFilter {
  const problems = new InputProblems();
  let campaignId: string | null = null;
  if (args.campaignId != null) {
    if (isUuid(args.campaignId)) campaignId = args.campaignId.toLowerCase();
    else problems.add('campaignId', 'must be a UUID');
  }
  const since = args.from != null ? problems.check(() => parseUtcDate(args.from as string, 'from')) : null;
  const toDay = args.to != null ? problems.check(() => parseUtcDate(args.to as string, 'to')) : null;
  if (since && toDay && since.getTime() > toDay.getTime()) problems.add('from', 'must not be after to');
  const status = args.status ?? null;
  if (status !== null && !(Object.values(PayoutStatus) as string[]).includes(status)) problems.add('status', 'unknown status');
  problems.throwIfAny();
  const until = toDay ? new Date(toDay.getTime() + 86_400_000) : null;
  return { campaignId, since: since ?? null, until, status: status as PayoutStatus | null };
}

/** A statement's calendar year (UTC): [1 January, 1 January of the next year). */
export function statementPeriod(year: number): { start: Date; end: Date } {
  if (!Number.isSafeInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw badInput('year', `must be a year from ${FIRST_YEAR} to ${LAST_YEAR}`);
  }
  return { start: new Date(Date.UTC(year, 0, 1)), end: new Date(Date.UTC(year + 1, 0, 1)) };
}
