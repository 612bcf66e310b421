import { CampaignStatus } from './campaign-status';

/**
 * Campaign dates against the calendar. "Today" is the UTC date everywhere (docs/campaign.md, "Dates"),
 * so a campaign ends at the same moment for every user and every replica.
 */

/** Today's date in UTC, as an ISO date (2026-03-01): the kit's, one rule for every service. */
export { todayUtc } from '@influenceflow/kit';

/** A campaign whose last day is before `today` has ended. */
export function hasEnded(endsOn: string, today: string): boolean {
  return endsOn < today;
}

/** Whether a campaign has begun by `today`: its first day is today or before (ISO dates). */
export function hasStarted(campaign: { startsOn: string }, today: string): boolean {
  return campaign.startsOn <= today;
}

/** An ISO date `months` calendar months later, on the same day or the month's last (31 Jan + 1 → 28/29 Feb). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const lastOfTargetMonth = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastOfTargetMonth))).toISOString().slice(0, 10);
}

/** The ISO date `months` months after `isoDate` less one day: the last day of a term that starts then. */
export function lastDayOfTerm(isoDate: string, months: number): string {
  return new Date(Date.parse(addMonths(isoDate, months)) - 86_400_000).toISOString().slice(0, 10);
}

/** Campaigns the scheduled task completes once their run is over. */
export const RUNNING_CAMPAIGN: readonly CampaignStatus[] = [CampaignStatus.ACTIVE, CampaignStatus.PAUSED];

export interface CampaignDates {
  status: CampaignStatus;
  startsOn: string;
  endsOn: string;
}

/** What completion looks at in a partnership: whether it is at work, and how long it was agreed for. */
export interface PartnershipTerm {
  running: boolean;
  lengthMonths: number | null;
}

/** Where a campaign past its end stands: completed by the next run of the task, or waiting, and why. */
export interface Completion {
  /** The campaign's last day. */
  endedOn: string;
  /** Whether the scheduled task completes it on its next run. */
  due: boolean;
  /** The last day of the longest long-term partnership still running (null when nothing holds it). */
  waitsUntil: string | null;
  reason: string;
}

/**
 * The completion rule, the only one: a running campaign (active or paused) is due for completion the day
 * after its last day, unless a long-term partnership (3 or 6 months, counted from the campaign's first
 * day) that is at work (active or paused) still runs; then it waits for the last such term. Null for a
 * campaign that has not ended, or is not running (a draft never launched, a completed or cancelled one).
 */
export function completionOf(campaign: CampaignDates, partnerships: PartnershipTerm[], today: string): Completion | null {
  if (!RUNNING_CAMPAIGN.includes(campaign.status) || !hasEnded(campaign.endsOn, today)) return null;
  const terms = partnerships
    .filter((p) => p.running && p.lengthMonths !== null)
    .map((p) => lastDayOfTerm(campaign.startsOn, p.lengthMonths!))
    .filter((last) => !hasEnded(last, today))
    .sort();
  if (terms.length === 0) {
    return { endedOn: campaign.endsOn, due: true, waitsUntil: null, reason: `The campaign ended on ${campaign.endsOn}` };
  }
  const waitsUntil = terms[terms.length - 1];
  return {
    endedOn: campaign.endsOn,
    due: false,
    waitsUntil,
    reason: `${terms.length} long-term partnership(s) still run, the last until ${waitsUntil}: the campaign completes after it`,
  };
}
