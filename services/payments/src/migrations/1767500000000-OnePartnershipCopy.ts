import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One copy of a partnership in payments: payouts read compensation's (comp_partnerships, which holds the
 * parties, the executed plan's currency and the plans), so payouts' own copy from contract.executed goes.
 */
export class OnePartnershipCopy1767500000000 implements MigrationInterface {
  name = 'OnePartnershipCopy1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payout_partnerships`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payout_partnerships (
        partnership_id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO payout_partnerships (partnership_id, campaign_id, brand_id, creator_id, currency)
      SELECT p.id, p.campaign_id, p.brand_id, p.creator_id, p.currency FROM comp_partnerships p
       WHERE p.currency IS NOT NULL AND EXISTS (SELECT 1 FROM comp_plans c WHERE c.partnership_id = p.id)`);
  }
}
