import { MigrationInterface, QueryRunner } from 'typeorm';

const METRICS = ['reach', 'impressions', 'likes', 'comments', 'shares', 'saves', 'views'];
const SOURCES = `'brand', 'creator', 'connector', 'unknown'`;

/**
 * Post figures (docs/analytics.md, "Post metrics"):
 * - who submitted each snapshot and comment: `source` brand | creator | connector (and the caller's `sub`).
 *   Snapshots stored before by recordPostMetrics ('api') and every comment stored before get 'unknown':
 *   whether the brand or the creator sent them was not kept.
 * - `post_days` keeps each counter's latest known value of the day and when it was taken (`<metric>_at`),
 *   recomputed here from the snapshots (it kept the day's latest snapshot whole, its unknowns included).
 */
export class PostProvenance1767750000000 implements MigrationInterface {
  name = 'PostProvenance1767750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE post_snapshots SET source = 'unknown' WHERE source NOT IN ('connector')`);
    await q.query(`ALTER TABLE post_snapshots ADD COLUMN submitted_by text,
      ADD CONSTRAINT post_snapshots_source CHECK (source IN (${SOURCES}))`);
    await q.query(`ALTER TABLE post_comments ADD COLUMN source text NOT NULL DEFAULT 'unknown', ADD COLUMN submitted_by text,
      ADD CONSTRAINT post_comments_source CHECK (source IN (${SOURCES}))`);
    await q.query(`ALTER TABLE post_comments ALTER COLUMN source DROP DEFAULT`);

    // the roll-ups' lock, exclusive (as rebuild takes it): no writer adds to post_days meanwhile
    await q.query(`SELECT pg_advisory_xact_lock(7767700001)`);
    await q.query(`ALTER TABLE post_days ${METRICS.map((m) => `ADD COLUMN ${m}_at timestamptz`).join(', ')}`);
    await q.query(`DELETE FROM post_days`);
    await q.query(
      `INSERT INTO post_days (deliverable_id, day, partnership_id, taken_at, ${METRICS.join(', ')}, ${METRICS.map((m) => `${m}_at`).join(', ')})
       SELECT s.deliverable_id, (s.taken_at AT TIME ZONE 'UTC')::date, d.partnership_id, max(s.taken_at),
              ${METRICS.map((m) => `(array_agg(s.${m} ORDER BY s.taken_at DESC) FILTER (WHERE s.${m} IS NOT NULL))[1]`).join(', ')},
              ${METRICS.map((m) => `max(s.taken_at) FILTER (WHERE s.${m} IS NOT NULL)`).join(', ')}
         FROM post_snapshots s JOIN deliverable_facts d ON d.deliverable_id = s.deliverable_id
        GROUP BY s.deliverable_id, (s.taken_at AT TIME ZONE 'UTC')::date, d.partnership_id`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(7767700001)`);
    // back to the day's latest snapshot, whole
    await q.query(`DELETE FROM post_days`);
    await q.query(`ALTER TABLE post_days ${METRICS.map((m) => `DROP COLUMN ${m}_at`).join(', ')}`);
    await q.query(
      `INSERT INTO post_days (deliverable_id, day, partnership_id, taken_at, ${METRICS.join(', ')})
       SELECT DISTINCT ON (s.deliverable_id, (s.taken_at AT TIME ZONE 'UTC')::date)
              s.deliverable_id, (s.taken_at AT TIME ZONE 'UTC')::date, d.partnership_id, s.taken_at, ${METRICS.map((m) => `s.${m}`).join(', ')}
         FROM post_snapshots s JOIN deliverable_facts d ON d.deliverable_id = s.deliverable_id
        ORDER BY s.deliverable_id, (s.taken_at AT TIME ZONE 'UTC')::date, s.taken_at DESC`,
    );
    await q.query(`ALTER TABLE post_comments DROP CONSTRAINT post_comments_source, DROP COLUMN source, DROP COLUMN submitted_by`);
    await q.query(`ALTER TABLE post_snapshots DROP CONSTRAINT post_snapshots_source, DROP COLUMN submitted_by`);
    await q.query(`UPDATE post_snapshots SET source = 'api' WHERE source <> 'connector'`);
  }
}
