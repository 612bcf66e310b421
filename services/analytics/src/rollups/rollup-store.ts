import type { EntityManager } from 'typeorm';
import { Contribution, COUNTER_COLUMNS, COUNTERS, sumContributions } from './contributions';
import { dayOf, latestKnown, POST_METRICS, PostDayRow } from './post-figures';

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

export type { PostDayRow } from './post-figures';

/**
 * Rolls snapshots up into `post_days`: per post and UTC day, each counter's latest known value and when it
 * was taken (rollups/post-figures.ts, one rule for the batch and for the rows already there). The merge
 * does not depend on the order snapshots arrive in: an older one arriving later fills only what the day's
 * later ones left unknown.
 */
export async function keepLatestOfDay(tx: EntityManager, rows: PostDayRow[]): Promise<void> {
  await shareRollupLock(tx);
  if (rows.length === 0) return;
  // one row per (post, day) in the statement, the batch merged by the same rule
  const merged = latestKnown(rows, (r) => `${r.deliverableId}|${dayOf(r.takenAt)}`);
  // a stable order (post, then day): concurrent writers lock rows in the same order
  const list = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const params: unknown[] = [
    list.map((r) => r.deliverableId),
    list.map((r) => dayOf(r.takenAt)),
    list.map((r) => r.partnershipId),
    list.map((r) => r.takenAt.toISOString()),
    ...POST_METRICS.map((m) => list.map((r) => r.values[m])),
    ...POST_METRICS.map((m) => list.map((r) => iso(r.at[m]))),
  ];
  const n = POST_METRICS.length;
  const valueColumns = POST_METRICS.map((_, i) => `$${i + 5}::bigint[]`);
  const atColumns = POST_METRICS.map((_, i) => `$${i + 5 + n}::timestamptz[]`);
  const newer = (m: string) => `EXCLUDED.${m}_at IS NOT NULL AND (post_days.${m}_at IS NULL OR EXCLUDED.${m}_at > post_days.${m}_at)`;
  await tx.query(
    `INSERT INTO post_days (deliverable_id, day, partnership_id, taken_at, ${POST_METRICS.join(', ')}, ${POST_METRICS.map((m) => `${m}_at`).join(', ')})
     SELECT * FROM unnest($1::uuid[], $2::date[], $3::uuid[], $4::timestamptz[], ${valueColumns.join(', ')}, ${atColumns.join(', ')})
     ON CONFLICT (deliverable_id, day) DO UPDATE SET taken_at = GREATEST(post_days.taken_at, EXCLUDED.taken_at),
       ${POST_METRICS.map(
         (m) =>
           `${m} = CASE WHEN ${newer(m)} THEN EXCLUDED.${m} ELSE post_days.${m} END, ${m}_at = CASE WHEN ${newer(m)} THEN EXCLUDED.${m}_at ELSE post_days.${m}_at END`,
       ).join(',\n       ')}`,
    params,
  );
}
