/**
 * A post's figures from its snapshots, defined once (docs/analytics-rollups.md, "Post figures"): each
 * counter's latest KNOWN value — the value of the latest snapshot that gives it. A later snapshot that
 * leaves a counter out (a story's likes only, a connector that does not know reach) changes the counters
 * it gives and leaves the others as they were. The same rule keeps a day's figures in `post_days`
 * (`keepLatestOfDay`, live and in `rebuild`) and picks a post's figures across days (`totalsBy`).
 */

export const POST_METRICS = ['reach', 'impressions', 'likes', 'comments', 'shares', 'saves', 'views'] as const;
export type PostMetric = (typeof POST_METRICS)[number];

/** The counters a report adds up (saves and views are kept, not reported). */
export const REPORTED_POST_METRICS = ['reach', 'impressions', 'likes', 'comments', 'shares'] as const;

/** One snapshot of a post, as the roll-up reads it: a counter the snapshot does not give is null. */
export interface PostDayRow extends Record<PostMetric, number | null> {
  deliverableId: string;
  partnershipId: string;
  takenAt: Date;
}

/** A post's figures: each counter's latest known value and the time of the snapshot it came from. */
export interface PostFigures {
  deliverableId: string;
  partnershipId: string;
  /** The latest snapshot's time, whatever it gave. */
  takenAt: Date;
  values: Record<PostMetric, number | null>;
  /** When each value was taken (null with the value): the snapshot it came from. */
  at: Record<PostMetric, Date | null>;
}

/** The figures of one snapshot alone. */
export function figuresOf(row: PostDayRow): PostFigures {
  const values = {} as Record<PostMetric, number | null>;
  const at = {} as Record<PostMetric, Date | null>;
  for (const m of POST_METRICS) {
    values[m] = row[m] ?? null;
    at[m] = row[m] === null || row[m] === undefined ? null : row.takenAt;
  }
  return { deliverableId: row.deliverableId, partnershipId: row.partnershipId, takenAt: row.takenAt, values, at };
}

/**
 * Two sets of figures of the same post as one: per counter, the value taken later among those known.
 * Commutative and associative (snapshots of a post have distinct times), so the order snapshots arrive in
 * does not matter.
 */
export function mergeFigures(a: PostFigures, b: PostFigures): PostFigures {
  const values = { ...a.values };
  const at = { ...a.at };
  for (const m of POST_METRICS) {
    const bAt = b.at[m];
    const aAt = a.at[m];
    if (bAt !== null && (aAt === null || bAt > aAt)) {
      values[m] = b.values[m];
      at[m] = bAt;
    }
  }
  return { ...a, takenAt: b.takenAt > a.takenAt ? b.takenAt : a.takenAt, values, at };
}

/** Snapshots merged per key (a post, or a post and day): each counter's latest known value. */
export function latestKnown(rows: readonly PostDayRow[], keyOf: (row: PostDayRow) => string): Map<string, PostFigures> {
  const out = new Map<string, PostFigures>();
  for (const r of rows) {
    const key = keyOf(r);
    const seen = out.get(key);
    out.set(key, seen ? mergeFigures(seen, figuresOf(r)) : figuresOf(r));
  }
  return out;
}

/** The UTC day of a snapshot, as `post_days` keys it. */
export const dayOf = (takenAt: Date): string => takenAt.toISOString().slice(0, 10);

/**
 * The same rule in SQL, over `post_days` rows of one post (grouped by the post): each counter's value of
 * the latest row that knows it, and that row's time (`<metric>_at`).
 */
export function latestKnownColumns(alias: string): string {
  return POST_METRICS.map(
    (m) =>
      `(array_agg(${alias}.${m} ORDER BY ${alias}.${m}_at DESC) FILTER (WHERE ${alias}.${m}_at IS NOT NULL))[1] AS ${m}, max(${alias}.${m}_at) AS ${m}_at`,
  ).join(',\n         ');
}
