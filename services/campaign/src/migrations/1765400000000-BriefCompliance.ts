import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Brief compliance: a brief's required mentions and forbidden words, a brand's disclosure rules, each
 * draft's compliance check, and the override a review records when it approves a failing draft.
 */
export class BriefCompliance1765400000000 implements MigrationInterface {
  name = 'BriefCompliance1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaign_briefs ADD COLUMN required_mentions text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE campaign_briefs ADD COLUMN forbidden_words text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE brands ADD COLUMN disclosure_rules jsonb`);
    await q.query(`ALTER TABLE deliverable_submissions ADD COLUMN compliance jsonb`);
    await q.query(`ALTER TABLE deliverable_reviews ADD COLUMN compliance_override jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliverable_reviews DROP COLUMN compliance_override`);
    await q.query(`ALTER TABLE deliverable_submissions DROP COLUMN compliance`);
    await q.query(`ALTER TABLE brands DROP COLUMN disclosure_rules`);
    await q.query(`ALTER TABLE campaign_briefs DROP COLUMN forbidden_words`);
    await q.query(`ALTER TABLE campaign_briefs DROP COLUMN required_mentions`);
  }
}
