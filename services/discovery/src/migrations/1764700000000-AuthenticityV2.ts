import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * authenticity-v2 reports say which signals decided the score, in a sentence, the score the evidence gave
 * before confidence pulled it towards neutral, and the confidence (level, value, reasons). Reports of
 * authenticity-v1 have none of these (empty / null); the service rescores them at start.
 */
export class AuthenticityV21764700000000 implements MigrationInterface {
  name = 'AuthenticityV21764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE authenticity_reports
        ADD COLUMN decided_by text[] NOT NULL DEFAULT '{}',
        ADD COLUMN verdict text,
        ADD COLUMN evidence_score real,
        ADD COLUMN confidence jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE authenticity_reports
        DROP COLUMN confidence, DROP COLUMN evidence_score, DROP COLUMN verdict, DROP COLUMN decided_by`);
  }
}
