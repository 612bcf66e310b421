/** Today as rate cards count days: UTC (payments' periods are UTC days). */
export const TODAY_UTC = `(now() AT TIME ZONE 'UTC')::date`;

/** SQL: the `rate_card_prices` lines valid today. Search, media kits and ingest price a creator by these only. */
export const VALID_TODAY = `valid_from <= ${TODAY_UTC} AND (valid_until IS NULL OR valid_until >= ${TODAY_UTC})`;
