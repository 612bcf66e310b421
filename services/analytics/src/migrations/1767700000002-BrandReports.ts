import { MigrationInterface, QueryRunner } from 'typeorm';

/** Brand-wide reports (leaderboard, comparison) find a brand's partnerships by brand, whatever their codes. */
export class BrandReports1767700000002 implements MigrationInterface {
  name = 'BrandReports1767700000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX partnership_facts_brand ON partnership_facts (brand_id, campaign_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX partnership_facts_brand`);
  }
}
