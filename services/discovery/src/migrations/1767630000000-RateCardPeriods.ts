import { keepOnePeriodPerKeySql } from '@influenceflow/kit';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-card lines have periods (payments' ratecard.updated carries them): discovery's copy keeps every line
 * of a platform and format with its days, and search prices a creator by the lines valid today.
 * `rate_card_days` remembers the last day the search prices were brought up to, so lines that begin or end
 * on a later day are priced again then (pricing/rate-card-days.ts).
 */
export class RateCardPeriods1767630000000 implements MigrationInterface {
  name = 'RateCardPeriods1767630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE rate_card_prices
        ADD COLUMN valid_from date NOT NULL DEFAULT '1970-01-01',
        ADD COLUMN valid_until date,
        ADD CONSTRAINT rate_card_prices_period CHECK (valid_until IS NULL OR valid_until >= valid_from)`);
    await q.query(`ALTER TABLE rate_card_prices ALTER COLUMN valid_from DROP DEFAULT`);
    await q.query(`ALTER TABLE rate_card_prices DROP CONSTRAINT rate_card_prices_pkey`);
    await q.query(`ALTER TABLE rate_card_prices ADD PRIMARY KEY (creator_id, platform, format, valid_from)`);
    // The daily re-pricing looks lines up by the day they begin and the day they end.
    await q.query(`CREATE INDEX rate_card_prices_from ON rate_card_prices (valid_from)`);
    await q.query(`CREATE INDEX rate_card_prices_until ON rate_card_prices (valid_until) WHERE valid_until IS NOT NULL`);
    await q.query(`
      CREATE TABLE rate_card_days (
        id smallint PRIMARY KEY CHECK (id = 1),
        priced_through date NOT NULL
      )`);
    await q.query(`INSERT INTO rate_card_days (id, priced_through) VALUES (1, (now() AT TIME ZONE 'UTC')::date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_card_days`);
    await q.query(`DROP INDEX rate_card_prices_until`);
    await q.query(`DROP INDEX rate_card_prices_from`);
    // One line per platform and format again: the one valid today, else the latest.
    await q.query(keepOnePeriodPerKeySql('rate_card_prices', ['creator_id', 'platform', 'format']));
    await q.query(`ALTER TABLE rate_card_prices DROP CONSTRAINT rate_card_prices_pkey`);
    await q.query(`ALTER TABLE rate_card_prices ADD PRIMARY KEY (creator_id, platform, format)`);
    await q.query(`ALTER TABLE rate_card_prices DROP CONSTRAINT rate_card_prices_period`);
    await q.query(`ALTER TABLE rate_card_prices DROP COLUMN valid_until, DROP COLUMN valid_from`);
  }
}
