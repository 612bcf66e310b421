import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A spend entry in another currency than its campaign's is kept and left out of the figures, as an order
 * in another currency is (docs/analytics.md, "Another currency"). Entries stored before were all counted:
 * those in another currency than their (known) campaign's are marked, and taken out of their days' spend.
 */
export class SpendCurrency1767740000000 implements MigrationInterface {
  name = 'SpendCurrency1767740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE spend_entries ADD COLUMN excluded text`);
    await q.query(`
      WITH newly AS (
        UPDATE spend_entries s SET excluded = 'CURRENCY_MISMATCH' FROM campaign_facts c
         WHERE c.campaign_id = s.campaign_id AND c.currency <> s.currency
        RETURNING s.partnership_id, s.amount_minor, s.at)
      UPDATE partnership_days d SET spend_minor = d.spend_minor - n.amount
        FROM (SELECT partnership_id, (at AT TIME ZONE 'UTC')::date AS day, sum(amount_minor) AS amount FROM newly GROUP BY 1, 2) n
       WHERE d.partnership_id = n.partnership_id AND d.day = n.day`);
  }

  async down(q: QueryRunner): Promise<void> {
    // what was left out counts again, as before
    await q.query(`
      UPDATE partnership_days d SET spend_minor = d.spend_minor + n.amount
        FROM (SELECT partnership_id, (at AT TIME ZONE 'UTC')::date AS day, sum(amount_minor) AS amount FROM spend_entries
               WHERE excluded IS NOT NULL GROUP BY 1, 2) n
       WHERE d.partnership_id = n.partnership_id AND d.day = n.day`);
    await q.query(`ALTER TABLE spend_entries DROP COLUMN excluded`);
  }
}
