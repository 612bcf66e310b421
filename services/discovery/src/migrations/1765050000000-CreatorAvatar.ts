import { MigrationInterface, QueryRunner } from 'typeorm';

/** A creator's photo for the media kit: an optional public https URL (creators/creator-record.ts checks it). */
export class CreatorAvatar1765050000000 implements MigrationInterface {
  name = 'CreatorAvatar1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE creators ADD COLUMN avatar_url text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE creators DROP COLUMN avatar_url`);
  }
}
