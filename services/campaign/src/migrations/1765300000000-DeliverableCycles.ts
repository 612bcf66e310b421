import { MigrationInterface, QueryRunner } from 'typeorm';

/** The month of a long-term partnership each deliverable belongs to (1 for one-campaign partnerships). */
export class DeliverableCycles1765300000000 implements MigrationInterface {
  name = 'DeliverableCycles1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliverables ADD COLUMN cycle smallint NOT NULL DEFAULT 1 CHECK (cycle BETWEEN 1 AND 12)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliverables DROP COLUMN cycle`);
  }
}
