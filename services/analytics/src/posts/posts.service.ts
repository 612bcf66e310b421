import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badInput, InputProblems, isUuid, notFound, RequestContext } from '@influenceflow/kit';
import { keepLatestOfDay } from '../rollups/rollup-store';

export const POST_METRIC_NAMES = ['reach', 'impressions', 'likes', 'comments', 'shares', 'saves', 'views'] as const;
export type PostMetricName = (typeof POST_METRIC_NAMES)[number];

/** A snapshot of a post's counters at one time; a counter the platform does not give is null. */
export interface PostSnapshot {
  takenAt: Date;
  values: Record<PostMetricName, number | null>;
}

export interface DeliverableRow {
  deliverable_id: string;
  partnership_id: string;
  campaign_id: string;
  brand_id: string;
  creator_id: string;
  platform: string;
}

/** A little ahead of now is a clock's skew; further ahead is a mistake. */
const FUTURE_SLACK_MS = 5 * 60_000;
export const MAX_SNAPSHOTS = 500;

/**
 * Metric snapshots of the posts that deliver a campaign's content: each kept (append-only, one per post and
 * time), the latest of each day rolled up. A post's figures are its latest snapshot's.
 */
export class PostsService {
  /** The deliverable a post belongs to, for its brand's members or its creator (NOT_FOUND for anyone else). */
  async writableDeliverable(ctx: RequestContext, deliverableId: string): Promise<DeliverableRow> {
    if (!isUuid(deliverableId)) throw badInput('deliverableId', 'must be a UUID');
    ctx.requireIdentity();
    const [d] = (await ctx.dataSource.query(
      `SELECT deliverable_id, partnership_id, campaign_id, brand_id, creator_id, platform FROM deliverable_facts WHERE deliverable_id = $1`,
      [deliverableId],
    )) as DeliverableRow[];
    if (!d || !(ctx.canActForBrand(d.brand_id, ['brand_member']) || ctx.isCreator(d.creator_id)))
      throw notFound('Deliverable', deliverableId);
    return d;
  }

  checkSnapshots(snapshots: PostSnapshot[], field = 'snapshots', now = Date.now()): void {
    if (snapshots.length === 0 || snapshots.length > MAX_SNAPSHOTS) throw badInput(field, `must hold 1 to ${MAX_SNAPSHOTS} snapshots`);
    const problems = new InputProblems();
    snapshots.forEach((s, i) => {
      if (!(s.takenAt instanceof Date) || Number.isNaN(s.takenAt.getTime()))
        problems.add(`${field}.${i}.takenAt`, 'must be an ISO 8601 time');
      else if (s.takenAt.getTime() > now + FUTURE_SLACK_MS) problems.add(`${field}.${i}.takenAt`, 'must not be in the future');
      for (const m of POST_METRIC_NAMES) {
        const v = s.values[m];
        if (v !== null && v !== undefined && (!Number.isSafeInteger(v) || v < 0))
          problems.add(`${field}.${i}.${m}`, 'must be a whole number of 0 or more');
      }
    });
    problems.throwIfAny();
  }

  /** Stores snapshots (one already stored for the same post and time is left as it was) and rolls them up. */
  async record(tx: EntityManager, d: DeliverableRow, snapshots: PostSnapshot[], source: 'api' | 'connector'): Promise<number> {
    const stored = (await tx.query(
      `INSERT INTO post_snapshots (id, deliverable_id, taken_at, ${POST_METRIC_NAMES.join(', ')}, source)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], ${POST_METRIC_NAMES.map((_, i) => `$${i + 4}::bigint[]`).join(', ')}, $${POST_METRIC_NAMES.length + 4}::text[])
       ON CONFLICT (deliverable_id, taken_at) DO NOTHING RETURNING taken_at, ${POST_METRIC_NAMES.join(', ')}`,
      [
        snapshots.map(() => randomUUID()),
        snapshots.map(() => d.deliverable_id),
        snapshots.map((s) => s.takenAt.toISOString()),
        ...POST_METRIC_NAMES.map((m) => snapshots.map((s) => s.values[m] ?? null)),
        snapshots.map(() => source),
      ],
    )) as (Record<PostMetricName, string | null> & { taken_at: Date })[];
    const num = (v: string | null) => (v === null ? null : Number(v));
    await keepLatestOfDay(
      tx,
      stored.map((r) => ({
        deliverableId: d.deliverable_id,
        partnershipId: d.partnership_id,
        takenAt: r.taken_at,
        reach: num(r.reach),
        impressions: num(r.impressions),
        likes: num(r.likes),
        comments: num(r.comments),
        shares: num(r.shares),
        saves: num(r.saves),
        views: num(r.views),
      })),
    );
    return stored.length;
  }
}
