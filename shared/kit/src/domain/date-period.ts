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

/**
 * SQL: whether the period in the columns `valid_from`/`valid_until` (of `alias`, if given) holds the day
 * `day` (an SQL date expression or parameter): `periodHolds` in the database.
 */
export function periodHoldsSql(day: string, alias?: string): string {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  return `${col('valid_from')} <= ${day} AND (${col('valid_until')} IS NULL OR ${col('valid_until')} >= ${day})`;
}

/** SQL: today as periods count days, UTC (what `todayUtc()` is in TypeScript). */
export const TODAY_UTC_SQL = `(now() AT TIME ZONE 'UTC')::date`;

/**
 * SQL deleting, in a table of periods (`valid_from`, `valid_until`) with several lines per `keyColumns`,
 * every line but one of each key: the one valid today (UTC), else the one that starts last. What going back
 * to one line per key keeps (the price that applies now, not a future one while a current one exists).
 */
export function keepOnePeriodPerKeySql(table: string, keyColumns: readonly string[]): string {
  const key = keyColumns.join(', ');
  const sameLine = [...keyColumns, 'valid_from'].map((c) => `t.${c} = ranked.${c}`).join(' AND ');
  return `
    DELETE FROM ${table} t USING (
      SELECT ${key}, valid_from,
             row_number() OVER (PARTITION BY ${key} ORDER BY (${periodHoldsSql(TODAY_UTC_SQL)}) DESC, valid_from DESC) AS n
        FROM ${table}) ranked
     WHERE ${sameLine} AND ranked.n > 1`;
}

/** A price over a period of days (a rate-card line as its copies keep it). */
export interface PricedPeriod extends DatePeriod {
  priceMinor: number;
  currency: string;
}

/**
 * Replaces, in a copy of creators' rate cards (`table`: creator_id, platform, format, valid_from, valid_until,
 * price_minor, currency), the lines of one creator, platform and format with `periods`, inside the caller's
 * transaction: what campaign's and discovery's copies do with each ratecard.updated.
 */
export async function replacePricedPeriods(
  tx: { query(sql: string, params?: unknown[]): Promise<unknown> },
  table: string,
  key: { creatorId: string; platform: string; format: string },
  periods: readonly PricedPeriod[],
): Promise<void> {
  const keyValues = [key.creatorId, key.platform, key.format];
  await tx.query(`DELETE FROM ${table} WHERE creator_id = $1 AND platform = $2 AND format = $3`, keyValues);
  if (periods.length === 0) return;
  await tx.query(
    `INSERT INTO ${table} (creator_id, platform, format, valid_from, valid_until, price_minor, currency)
     SELECT $1, $2, $3, p.valid_from, p.valid_until, p.price_minor, p.currency
       FROM unnest($4::date[], $5::date[], $6::bigint[], $7::char(3)[]) AS p (valid_from, valid_until, price_minor, currency)`,
    [
      ...keyValues,
      periods.map((p) => p.validFrom),
      periods.map((p) => p.validUntil),
      periods.map((p) => p.priceMinor),
      periods.map((p) => p.currency),
    ],
  );
}
