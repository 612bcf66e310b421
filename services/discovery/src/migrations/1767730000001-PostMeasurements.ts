import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What was last published of each post of a connected account (post.measured): a fingerprint of its
 * counters and caption and when, so a refresh that finds a post unchanged the same day publishes nothing
 * for it (connectors/post-measurements.ts). Rows go with their account.
 */
export class PostMeasurements1767730000001 implements MigrationInterface {
  name = 'PostMeasurements1767730000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE post_measurements (
        account_id uuid NOT NULL REFERENCES platform_accounts (id) ON DELETE CASCADE,
        external_post_id text NOT NULL,
        fingerprint text NOT NULL,
        measured_at timestamptz(3) NOT NULL,
        PRIMARY KEY (account_id, external_post_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE post_measurements`);
  }
}
