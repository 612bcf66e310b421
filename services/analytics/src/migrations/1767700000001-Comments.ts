import { MigrationInterface, QueryRunner } from 'typeorm';

/** Comments and captions with their sentiment model, and the terms a brand is mentioned by. */
export class Comments1767700000001 implements MigrationInterface {
  name = 'Comments1767700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE post_comments
      ADD COLUMN kind text NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'caption')),
      ADD COLUMN sentiment_model text NOT NULL DEFAULT ''`);
    await q.query(`
      CREATE TABLE brand_terms (
        brand_id uuid PRIMARY KEY,
        products text[] NOT NULL DEFAULT '{}',
        handles text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE brand_terms`);
    await q.query(`ALTER TABLE post_comments DROP COLUMN kind, DROP COLUMN sentiment_model`);
  }
}
