import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a partnership copy's names were set (`names_at`: the time of the partnership.* event that carried
 * them), so statements and history print a brand's, campaign's and creator's latest names by when they
 * were named, not by `updated_at` (which every counter update bumps), and an older event never overwrites
 * newer names. Copies named before this migration take their `updated_at` (the best time known for them).
 */
export class PartyNamesAt1767640000000 implements MigrationInterface {
  name = 'PartyNamesAt1767640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE comp_partnerships ADD COLUMN names_at timestamptz`);
    await q.query(
      `UPDATE comp_partnerships SET names_at = updated_at
        WHERE brand_name IS NOT NULL OR creator_name IS NOT NULL OR campaign_name IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE comp_partnerships DROP COLUMN names_at`);
  }
}
