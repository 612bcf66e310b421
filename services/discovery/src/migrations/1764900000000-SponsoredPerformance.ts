import { MigrationInterface, QueryRunner } from 'typeorm';
import type { StoredPost } from '../accounts/platform-account.entity';
import { headlineAccount } from '../creators/search-profile';
import { sponsoredPerformance } from '../rules/sponsored-performance';
import type { Platform } from '../rules/types';

/** Rows read and written per statement of the backfill. */
const BATCH = 2_000;
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Sponsored versus organic engagement: stored per account (`sponsored_performance`, the rule's whole
 * result) and the headline account's ratio on `creators` for search, with the sort's index. Existing
 * rows are filled by running the rule itself over their stored posts (the disclosure detector is code,
 * not SQL: one definition), in keyset batches.
 */
export class SponsoredPerformance1764900000000 implements MigrationInterface {
  name = 'SponsoredPerformance1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_accounts ADD COLUMN sponsored_performance jsonb`);
    await q.query(`ALTER TABLE creators ADD COLUMN sponsored_ratio real`);
    await this.backfillAccounts(q);
    await this.backfillCreators(q);
    await q.query(`CREATE INDEX creators_by_sponsored_ratio ON creators ((coalesce(sponsored_ratio, -1)) DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX creators_by_sponsored_ratio`);
    await q.query(`ALTER TABLE creators DROP COLUMN sponsored_ratio`);
    await q.query(`ALTER TABLE platform_accounts DROP COLUMN sponsored_performance`);
  }

  private async backfillAccounts(q: QueryRunner): Promise<void> {
    for (let after = NO_ID; ;) {
      const rows: { id: string; followers: number; recent_posts: StoredPost[] }[] = await q.query(
        `SELECT id, followers, recent_posts FROM platform_accounts WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) return;
      const results = rows.map((r) =>
        JSON.stringify(
          sponsoredPerformance(
            r.recent_posts.map((p) => ({ ...p, postedAt: new Date(p.postedAt) })),
            r.followers,
          ),
        ),
      );
      await q.query(
        `UPDATE platform_accounts p SET sponsored_performance = v.result
           FROM unnest($1::uuid[], $2::jsonb[]) AS v(id, result) WHERE p.id = v.id`,
        [rows.map((r) => r.id), results],
      );
      after = rows[rows.length - 1].id;
    }
  }

  /** The headline account is chosen by the same function the search columns use. */
  private async backfillCreators(q: QueryRunner): Promise<void> {
    for (let after = NO_ID; ;) {
      const creators: { id: string }[] = await q.query(`SELECT id FROM creators WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after]);
      if (creators.length === 0) return;
      const ids = creators.map((c) => c.id);
      const accounts: { creator_id: string; platform: Platform; followers: number; ratio: number | null }[] = await q.query(
        `SELECT creator_id, platform, followers, (sponsored_performance->>'ratio')::float8 AS ratio
           FROM platform_accounts WHERE creator_id = ANY($1::uuid[])`,
        [ids],
      );
      const byCreator = new Map<string, typeof accounts>();
      for (const a of accounts) byCreator.set(a.creator_id, [...(byCreator.get(a.creator_id) ?? []), a]);
      const rated = ids
        .map((id) => ({ id, ratio: headlineAccount(byCreator.get(id) ?? [])?.ratio ?? null }))
        .filter((c): c is { id: string; ratio: number } => c.ratio !== null);
      if (rated.length > 0) {
        await q.query(
          `UPDATE creators c SET sponsored_ratio = v.ratio FROM unnest($1::uuid[], $2::float8[]) AS v(id, ratio) WHERE c.id = v.id`,
          [rated.map((c) => c.id), rated.map((c) => c.ratio)],
        );
      }
      after = ids[ids.length - 1];
    }
  }
}
