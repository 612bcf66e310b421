import { keepOnePeriodPerKeySql } from '@influenceflow/kit';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * campaign's copy of creators' rate cards keeps every period payments announces (ratecard.updated's
 * `periods`), so an offer is set beside the price valid on its day. Lines copied before are valid from
 * 1970-01-01, open-ended (what an event without periods means).
 */
export class RateCardPeriods1767610000100 implements MigrationInterface {
  name = 'RateCardPeriods1767610000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE creator_rate_cards
        ADD COLUMN valid_from date NOT NULL DEFAULT DATE '1970-01-01',
        ADD COLUMN valid_until date,
        DROP CONSTRAINT creator_rate_cards_pkey,
        ADD PRIMARY KEY (creator_id, platform, format, valid_from)`);
    await q.query(`ALTER TABLE creator_rate_cards ALTER COLUMN valid_from DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    // One line per platform and format again: the one valid today stays, else the latest.
    await q.query(keepOnePeriodPerKeySql('creator_rate_cards', ['creator_id', 'platform', 'format']));
    await q.query(`
      ALTER TABLE creator_rate_cards
        DROP CONSTRAINT creator_rate_cards_pkey,
        DROP COLUMN valid_until,
        DROP COLUMN valid_from,
        ADD PRIMARY KEY (creator_id, platform, format)`);
  }
}
