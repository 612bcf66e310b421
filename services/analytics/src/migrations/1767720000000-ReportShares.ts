import { MigrationInterface, QueryRunner } from 'typeorm';

/** Share links of campaign reports (docs/reports.md): only the SHA-256 of each token is kept. */
export class ReportShares1767720000000 implements MigrationInterface {
  name = 'ReportShares1767720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_shares (
        id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        revoked_at timestamptz(3),
        CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE INDEX report_shares_campaign ON report_shares (campaign_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_shares`);
  }
}
