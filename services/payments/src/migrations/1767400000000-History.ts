import { MigrationInterface, QueryRunner } from 'typeorm';

/** Payment history's pages: a creator's and a brand's payouts, newest first (keyset on created_at, id). */
export class History1767400000000 implements MigrationInterface {
  name = 'History1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX payouts_creator_history ON payouts (creator_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX payouts_brand_history ON payouts (brand_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ledger_accounts_creator ON ledger_accounts (creator_id) WHERE creator_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_accounts_creator`);
    await q.query(`DROP INDEX payouts_brand_history`);
    await q.query(`DROP INDEX payouts_creator_history`);
  }
}
