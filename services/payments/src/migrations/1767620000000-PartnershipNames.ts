import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The names of a partnership's parties in compensation's copy (comp_partnerships), from the `parties` of
 * campaign's partnership.* events: what statements and history print instead of ids. Null until an event
 * carrying them arrives (older producers send none; the readers fall back to a clear label).
 */
export class PartnershipNames1767620000000 implements MigrationInterface {
  name = 'PartnershipNames1767620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE comp_partnerships
        ADD COLUMN brand_name text,
        ADD COLUMN creator_name text,
        ADD COLUMN creator_handle text,
        ADD COLUMN campaign_name text,
        ADD COLUMN campaign_starts_on date,
        ADD COLUMN campaign_ends_on date`);
    // The latest names of a brand and a creator, for statements and history (party-names.ts).
    await q.query(`CREATE INDEX comp_partnerships_brand ON comp_partnerships (brand_id)`);
    await q.query(`CREATE INDEX comp_partnerships_creator ON comp_partnerships (creator_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX comp_partnerships_creator`);
    await q.query(`DROP INDEX comp_partnerships_brand`);
    await q.query(`
      ALTER TABLE comp_partnerships
        DROP COLUMN brand_name, DROP COLUMN creator_name, DROP COLUMN creator_handle,
        DROP COLUMN campaign_name, DROP COLUMN campaign_starts_on, DROP COLUMN campaign_ends_on`);
  }
}
