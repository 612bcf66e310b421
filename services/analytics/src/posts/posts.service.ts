import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badInput, InputProblems, isUuid, notFound, RequestContext } from '@influenceflow/kit';
import { POST_METRICS } from '../rollups/post-figures';
import { keepLatestOfDay } from '../rollups/rollup-store';

export const POST_METRIC_NAMES = POST_METRICS;
export type PostMetricName = (typeof POST_METRIC_NAMES)[number];

/**
 * Who a snapshot or comment batch came from (docs/analytics.md, "Who reported a post's figures"): the
 * brand's side (a member, or an admin), the deliverable's creator themself, or a connector (the creator's
 * connected account, as the platform's API gave it). 'unknown' is only for rows stored before this was kept.
 */
export type FigureSource = 'brand' | 'creator' | 'connector';

export interface Submitter {
  source: FigureSource;
  /** The caller's `sub`; null for a connector (an event, no caller). */
  sub: string | null;
}

export const CONNECTOR: Submitter = Object.freeze({ source: 'connector', sub: null });

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
 * time) with who submitted it, rolled up by day. A post's figures are each counter's latest known value
 * (rollups/post-figures.ts).
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

  /** Who is writing a deliverable's figures (the caller passed `writableDeliverable`): its creator, or the brand's side. */
  submitterOf(ctx: RequestContext, d: DeliverableRow): Submitter {
    const identity = ctx.requireIdentity();
    const self = identity.roles.includes('creator') && identity.creatorId === d.creator_id;
    return { source: self ? 'creator' : 'brand', sub: identity.sub };
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
  async record(tx: EntityManager, d: DeliverableRow, snapshots: PostSnapshot[], by: Submitter): Promise<number> {
    const n = POST_METRIC_NAMES.length;
    const stored = (await tx.query(
      `INSERT INTO post_snapshots (id, deliverable_id, taken_at, ${POST_METRIC_NAMES.join(', ')}, source, submitted_by)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], ${POST_METRIC_NAMES.map((_, i) => `$${i + 4}::bigint[]`).join(', ')}, $${n + 4}::text[], $${n + 5}::text[])
       ON CONFLICT (deliverable_id, taken_at) DO NOTHING RETURNING taken_at, ${POST_METRIC_NAMES.join(', ')}`,
      [
        snapshots.map(() => randomUUID()),
        snapshots.map(() => d.deliverable_id),
        snapshots.map((s) => s.takenAt.toISOString()),
        ...POST_METRIC_NAMES.map((m) => snapshots.map((s) => s.values[m] ?? null)),
        snapshots.map(() => by.source),
        snapshots.map(() => by.sub),
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
