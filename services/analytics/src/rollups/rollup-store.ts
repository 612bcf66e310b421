import type { EntityManager } from 'typeorm';
import { Contribution, COUNTER_COLUMNS, COUNTERS, sumContributions } from './contributions';

/**
 * The roll-ups' lock: every writer takes it shared (writers do not wait for each other), `rebuild` takes it
 * exclusive, so no consumer or intake writes a roll-up while they are recomputed (docs/analytics-rollups.md).
 */
export const ROLLUP_LOCK_KEY = 7_767_700_001;

export async function shareRollupLock(tx: EntityManager): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock_shared($1)`, [ROLLUP_LOCK_KEY]);
}

/**
 * Adds contributions to `partnership_days` in one statement (one row per partnership and day, in a stable
 * order so concurrent writers lock rows in the same order and cannot deadlock).
 */
export async function addToDays(tx: EntityManager, parts: Contribution[]): Promise<void> {
  await shareRollupLock(tx); // even with nothing to add: the caller may be about to write brand_customers
  if (parts.length === 0) return;
  // one row per partnership and day in the statement (an upsert may touch a row once)
  const sorted = [...sumContributions(parts).values()].sort((a, b) => (a.partnershipId + a.day < b.partnershipId + b.day ? -1 : 1));
  const columns = COUNTERS.map((c) => COUNTER_COLUMNS[c]);
  const params: unknown[] = [sorted.map((p) => p.partnershipId), sorted.map((p) => p.day)];
  for (const counter of COUNTERS) params.push(sorted.map((p) => p.add[counter] ?? 0));
  const unnest = columns.map((_, i) => `$${i + 3}::bigint[]`).join(', ');
  await tx.query(
    `INSERT INTO partnership_days (partnership_id, day, ${columns.join(', ')})
     SELECT * FROM unnest($1::uuid[], $2::date[], ${unnest})
     ON CONFLICT (partnership_id, day) DO UPDATE SET ${columns.map((c) => `${c} = partnership_days.${c} + EXCLUDED.${c}`).join(', ')}`,
    params,
  );
  // A day whose counters came back to 0 (a fact replaced by one on another day) goes: which rows exist
  // must not depend on the order facts arrived in, or the series would show empty periods for some orders.
  await tx.query(
    `DELETE FROM partnership_days d USING unnest($1::uuid[], $2::date[]) AS k(partnership_id, day)
      WHERE d.partnership_id = k.partnership_id AND d.day = k.day AND ${columns.map((c) => `d.${c} = 0`).join(' AND ')}`,
    params.slice(0, 2),
  );
}

/** A post's snapshot as `post_days` keeps it: the last one taken on each UTC day. */
export interface PostDayRow {
  deliverableId: string;
  partnershipId: string;
  takenAt: Date;
  reach: number | null;
  impressions: number | null;
  likes: number | null;
  comments: number | null;
  shares: number | null;
  saves: number | null;
  views: number | null;
}

const POST_METRICS = ['reach', 'impressions', 'likes', 'comments', 'shares', 'saves', 'views'] as const;

/** Keeps each post's latest snapshot of a day; an older one arriving later changes nothing. */
export async function keepLatestOfDay(tx: EntityManager, rows: PostDayRow[]): Promise<void> {
  await shareRollupLock(tx);
  if (rows.length === 0) return;
  // one row per (post, day) in the statement: the latest of the batch
  const latest = new Map<string, PostDayRow>();
  for (const r of rows) {
    const key = `${r.deliverableId}|${r.takenAt.toISOString().slice(0, 10)}`;
    const seen = latest.get(key);
    if (!seen || seen.takenAt < r.takenAt) latest.set(key, r);
  }
  // a stable order (post, then day): concurrent writers lock rows in the same order
  const list = [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  const params: unknown[] = [
    list.map((r) => r.deliverableId),
    list.map((r) => r.takenAt.toISOString().slice(0, 10)),
    list.map((r) => r.partnershipId),
    list.map((r) => r.takenAt.toISOString()),
    ...POST_METRICS.map((m) => list.map((r) => r[m])),
  ];
  await tx.query(
    `INSERT INTO post_days (deliverable_id, day, partnership_id, taken_at, ${POST_METRICS.join(', ')})
     SELECT * FROM unnest($1::uuid[], $2::date[], $3::uuid[], $4::timestamptz[], ${POST_METRICS.map((_, i) => `$${i + 5}::bigint[]`).join(', ')})
     ON CONFLICT (deliverable_id, day) DO UPDATE SET taken_at = EXCLUDED.taken_at, ${POST_METRICS.map((m) => `${m} = EXCLUDED.${m}`).join(', ')}
     WHERE post_days.taken_at < EXCLUDED.taken_at`,
    params,
  );
}
