/**
 * How the gateway's pages (media kits, campaign reports) write numbers for people: one locale, counts with
 * thousands separators, percent numbers with two decimals (as the API's explanations, docs/metrics.md),
 * money from integer minor units in its currency, dates in UTC. What is not known (null) is "—".
 */
import { formatMoney, minorDigits } from '@influenceflow/kit';

export const LOCALE = 'en-US';
/** What a page shows for a figure that is not known (a division by zero: docs/metrics.md, "Conventions"). */
export const UNKNOWN = '—';

export const count = (n: number) => n.toLocaleString(LOCALE);
export const compactCount = (n: number) => new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
/** Percent numbers (5 means 5 %), two decimals as everywhere in the API's explanations. */
export const percent = (rate: number) => `${rate.toFixed(2)} %`;
/** A ratio (ROI: revenue ÷ spend), two decimals. */
export const ratio = (value: number) => `${value.toFixed(2)}×`;

/** Either the figure written by `format`, or "—" when it is not known. */
export const orUnknown = <T>(value: T | null | undefined, format: (v: T) => string) =>
  value === null || value === undefined ? UNKNOWN : format(value);

/** An amount in integer minor units of an ISO 4217 currency ("$190.00", "¥35,000", "-$2.00"): the kit's formatMoney. */
export function money(amountMinor: number, currency: string): string {
  try {
    return formatMoney(amountMinor, currency, LOCALE);
  } catch {
    return `${count(amountMinor)} ${currency} (minor units)`; // not a currency code this runtime takes
  }
}

/** An amount rounded for a chart's axis ("$350", "$12.3K", "¥35K"), where a full one would not fit. */
export function compactMoney(amountMinor: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency,
      notation: 'compact',
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
    });
    return format.format(amountMinor / 10 ** minorDigits(currency));
  } catch {
    return `${compactCount(amountMinor)} ${currency}`;
  }
}

export const day = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric', timeZone: 'UTC' });
/** An ISO date (`2026-03-01`) as "Mar 1, 2026", or "Mar 1" when short. */
export const isoDay = (iso: string, short = false) => {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : (short ? shortDay : day).format(date);
};

export const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
/** Enum values as people write them; unknown ones (a platform added later) are capitalised. */
const NAMES: Record<string, string> = { TIKTOK: 'TikTok', YOUTUBE: 'YouTube', UGC: 'UGC', LIVE: 'Live' };
export const displayName = (value: string) => NAMES[value] ?? value.split('_').map(capitalised).join(' ');
