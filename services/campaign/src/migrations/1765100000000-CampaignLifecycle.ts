import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The campaign calendar: deliverables past their due date and not yet posted are marked overdue (by the
 * lifecycle task), and listed per brand in due order (review queue, deliverables by status). The
 * tracking-link index also holds the partnership's status, so the redirect still reads it from the index
 * alone when it tells clicks after the partnership's end apart.
 */
export class CampaignLifecycle1765100000000 implements MigrationInterface {
  name = 'CampaignLifecycle1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliverables ADD COLUMN overdue_since date`);
    await q.query(`CREATE INDEX deliverables_brand_due ON deliverables (brand_id, due_on, id)`);
    await q.query(`CREATE INDEX campaigns_running_end ON campaigns (ends_on) WHERE status IN ('active', 'paused')`);
    await q.query(`DROP INDEX partnerships_link_slug`);
    await q.query(
      `CREATE UNIQUE INDEX partnerships_link_slug ON partnerships (link_slug) INCLUDE (link_target, id, campaign_id, brand_id, creator_id, status)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX partnerships_link_slug`);
    await q.query(
      `CREATE UNIQUE INDEX partnerships_link_slug ON partnerships (link_slug) INCLUDE (link_target, id, campaign_id, brand_id, creator_id)`,
    );
    await q.query(`DROP INDEX campaigns_running_end`);
    await q.query(`DROP INDEX deliverables_brand_due`);
    await q.query(`ALTER TABLE deliverables DROP COLUMN overdue_since`);
  }
}
