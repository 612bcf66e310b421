/** A period of whole days: from `validFrom` to `validUntil`, both inclusive; `validUntil` null: open-ended. ISO dates. */
export interface DatePeriod {
  validFrom: string;
  validUntil: string | null;
}

/** Where a period starts when nothing says (lines made before periods existed): 1970-01-01. */
export const EPOCH_DATE = '1970-01-01';

/** Whether the period holds the day `date` (ISO dates compare as text). */
export function periodHolds(period: DatePeriod, date: string): boolean {
  return period.validFrom <= date && (period.validUntil === null || period.validUntil >= date);
}

/** Whether two periods share at least one day. */
export function periodsOverlap(a: DatePeriod, b: DatePeriod): boolean {
  return (b.validUntil === null || a.validFrom <= b.validUntil) && (a.validUntil === null || b.validFrom <= a.validUntil);
}
