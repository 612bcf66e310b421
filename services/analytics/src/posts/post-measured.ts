import type { EntityManager } from 'typeorm';
import { AppError, CloudEvent, ErrorCode, isUuid, Logger } from '@influenceflow/kit';
import type { PostMeasuredData } from '@influenceflow/vocabulary';
import type { CommentsService } from './comments';
import { normalisePostUrl } from './post-url';
import type { DeliverableRow, PostSnapshot, PostsService } from './posts.service';

/**
 * post.measured (discovery's connectors): the counters of a creator's post, as its platform's API gave
 * them, for the deliverables whose post it is — the creator's deliverables with the same normalised post
 * URL. Stored like a recordPostMetrics snapshot (source 'connector'), and the caption searched for
 * mentions like recordPostComments's. A post that is no deliverable is not measured. Runs in the inbox's
 * transaction: an event is applied once.
 */
export class PostMeasuredService {
  constructor(
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
  ) {}

  /** Returns the deliverables measured (0: the post is none of the creator's deliverables). */
  async apply(tx: EntityManager, event: CloudEvent<PostMeasuredData>, logger: Logger): Promise<number> {
    const d = event.data;
    const key = typeof d.postUrl === 'string' ? normalisePostUrl(d.postUrl) : null;
    if (!key || !isUuid(d.creatorId)) {
      logger.warn({ eventId: event.id }, 'post.measured without a usable post URL or creator id: ignored');
      return 0;
    }
    const deliverables = (await tx.query(
      `SELECT deliverable_id, partnership_id, campaign_id, brand_id, creator_id, platform FROM deliverable_facts
        WHERE creator_id = $1 AND post_url_key = $2 ORDER BY deliverable_id`,
      [d.creatorId, key],
    )) as DeliverableRow[];
    if (deliverables.length === 0) {
      logger.debug({ eventId: event.id, creatorId: d.creatorId, postUrl: key }, 'post.measured: no deliverable has this post');
      return 0;
    }
    const count = (v: number | null | undefined) => (v === undefined ? null : v);
    const snapshot: PostSnapshot = {
      takenAt: new Date(d.measuredAt),
      values: {
        reach: count(d.reach),
        impressions: count(d.impressions),
        likes: count(d.likes),
        comments: count(d.comments),
        shares: count(d.shares),
        saves: count(d.saves),
        views: count(d.views),
      },
    };
    try {
      // The same checks as the mutation's: a bad counter or a time in the future is not stored.
      this.posts.checkSnapshots([snapshot], 'data');
    } catch (err) {
      if (!(err instanceof AppError && err.code === ErrorCode.BAD_USER_INPUT)) throw err;
      logger.warn({ eventId: event.id, creatorId: d.creatorId, problem: err.message }, 'post.measured with bad counters: ignored');
      return 0;
    }
    const postedAt = d.postedAt ? new Date(d.postedAt) : null;
    const caption = typeof d.caption === 'string' && d.caption.trim() !== '' ? d.caption.slice(0, 10_000) : null;
    for (const deliverable of deliverables) {
      await this.posts.record(tx, deliverable, [snapshot], 'connector');
      // The caption once per post (kept as first stored, like recordPostComments's).
      if (caption) {
        await this.comments.record(tx, deliverable, [], {
          body: caption,
          postedAt: postedAt && !Number.isNaN(postedAt.getTime()) ? postedAt : snapshot.takenAt,
        });
      }
    }
    return deliverables.length;
  }
}
