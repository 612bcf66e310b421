import { MigrationInterface, QueryRunner } from 'typeorm';
import { normalisePostUrl } from '../posts/post-url';

/**
 * Each deliverable's post URL in its normalised form (posts/post-url.ts), by which a connector's
 * post.measured finds the deliverable it measures; the copies already held are normalised here.
 */
export class PostUrlKeys1767730000000 implements MigrationInterface {
  name = 'PostUrlKeys1767730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliverable_facts ADD COLUMN post_url_key text`);
    const rows = (await q.query(`SELECT deliverable_id, post_url FROM deliverable_facts WHERE post_url IS NOT NULL`)) as {
      deliverable_id: string;
      post_url: string;
    }[];
    const keyed = rows.map((r) => ({ id: r.deliverable_id, key: normalisePostUrl(r.post_url) })).filter((r) => r.key !== null);
    for (let i = 0; i < keyed.length; i += 1000) {
      const batch = keyed.slice(i, i + 1000);
      await q.query(
        `UPDATE deliverable_facts d SET post_url_key = k.key FROM unnest($1::uuid[], $2::text[]) AS k(id, key) WHERE d.deliverable_id = k.id`,
        [batch.map((r) => r.id), batch.map((r) => r.key)],
      );
    }
    await q.query(
      `CREATE INDEX deliverable_facts_post_url_key ON deliverable_facts (creator_id, post_url_key) WHERE post_url_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX deliverable_facts_post_url_key`);
    await q.query(`ALTER TABLE deliverable_facts DROP COLUMN post_url_key`);
  }
}
