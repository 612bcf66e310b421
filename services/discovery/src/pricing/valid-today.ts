import { periodHoldsSql, TODAY_UTC_SQL } from '@influenceflow/kit';

/** Today as rate cards count days: UTC (payments' periods are UTC days). */
export const TODAY_UTC = TODAY_UTC_SQL;

/** SQL: the `rate_card_prices` lines valid today. Search, media kits and ingest price a creator by these only. */
export const VALID_TODAY = periodHoldsSql(TODAY_UTC);
