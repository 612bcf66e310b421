import { keepOnePeriodPerKeySql } from '@influenceflow/kit';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creators' rate card lines get validity dates like the brands' (one rule for both, docs/payments.md
 * "Rate cards"): existing lines are valid from 1970-01-01, open-ended. In both tables the database itself
 * refuses two periods of one owner, platform and format that share a day (an exclusion constraint on the
 * daterange, with btree_gist for the equality parts).
 */
export class RateCardPeriods1767610000000 implements MigrationInterface {
  name = 'RateCardPeriods1767610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(
      `ALTER TABLE rate_card_entries ADD COLUMN valid_from date NOT NULL DEFAULT DATE '1970-01-01', ADD COLUMN valid_until date`,
    );
    await q.query(`ALTER TABLE rate_card_entries ALTER COLUMN valid_from DROP DEFAULT`);
    await q.query(`ALTER TABLE rate_card_entries DROP CONSTRAINT rate_card_entries_creator_id_platform_format_key`);
    await q.query(`
      ALTER TABLE rate_card_entries
        ADD CONSTRAINT rate_card_entries_period_check CHECK (valid_until IS NULL OR valid_until >= valid_from),
        ADD CONSTRAINT rate_card_entries_creator_id_platform_format_valid_from_key UNIQUE (creator_id, platform, format, valid_from),
        ADD CONSTRAINT rate_card_entries_no_overlap
          EXCLUDE USING gist (creator_id WITH =, platform WITH =, format WITH =, daterange(valid_from, valid_until, '[]') WITH &&)`);
    await q.query(`
      ALTER TABLE brand_rate_card_entries
        ADD CONSTRAINT brand_rate_card_entries_no_overlap
          EXCLUDE USING gist (brand_id WITH =, platform WITH =, format WITH =, daterange(valid_from, valid_until, '[]') WITH &&)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE brand_rate_card_entries DROP CONSTRAINT brand_rate_card_entries_no_overlap`);
    // One line per platform and format again: the one valid today stays, else the latest.
    await q.query(keepOnePeriodPerKeySql('rate_card_entries', ['creator_id', 'platform', 'format']));
    await q.query(`
      ALTER TABLE rate_card_entries
        DROP CONSTRAINT rate_card_entries_no_overlap,
        DROP CONSTRAINT rate_card_entries_creator_id_platform_format_valid_from_key,
        DROP CONSTRAINT rate_card_entries_period_check,
        DROP COLUMN valid_until,
        DROP COLUMN valid_from,
        ADD CONSTRAINT rate_card_entries_creator_id_platform_format_key UNIQUE (creator_id, platform, format)`);
  }
}
