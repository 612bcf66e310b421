import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A spend entry in another currency than its campaign's is kept and left out of the figures, as an order
 * in another currency is (docs/analytics.md, "Another currency"). Entries stored before were all counted.
 */
export class SpendCurrency1767740000000 implements MigrationInterface {
  name = 'SpendCurrency1767740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE spend_entries ADD COLUMN excluded text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE spend_entries DROP COLUMN excluded`);
  }
}
