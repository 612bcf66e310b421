import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The creators copy follows discovery's creator.profile-updated (a new handle or name): each row keeps the
 * time of the event it holds, so a late or replayed event never moves it back.
 */
export class CreatorCopyChanges1765600000000 implements MigrationInterface {
  name = 'CreatorCopyChanges1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE creators ADD COLUMN profile_changed_at timestamptz(3) NOT NULL DEFAULT 'epoch'`);
    await q.query(`CREATE INDEX creators_handle ON creators (handle)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX creators_handle`);
    await q.query(`ALTER TABLE creators DROP COLUMN profile_changed_at`);
  }
}
