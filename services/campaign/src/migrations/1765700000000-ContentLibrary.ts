import { MigrationInterface, QueryRunner } from 'typeorm';

/** How long a creator lets the brand reuse a piece of content (null: with no end), and the brand's library of it. */
export class ContentLibrary1765700000000 implements MigrationInterface {
  name = 'ContentLibrary1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliverables ADD COLUMN ugc_reuse_until date`);
    await q.query(
      `CREATE INDEX deliverables_library ON deliverables (brand_id, created_at DESC, id DESC) WHERE status IN ('approved', 'posted', 'verified')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX deliverables_library`);
    await q.query(`ALTER TABLE deliverables DROP COLUMN ugc_reuse_until`);
  }
}
