import { createHash } from 'node:crypto';
import type { RequestContext } from '@influenceflow/kit';
import { PostMeasuredData, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import type { FetchedAccount, FetchedPost } from './connector';

/** Captions are cut where the account record cuts them (Instagram's limit). */
const MAX_CAPTION = 2200;

/** One post of a fetch as post.measured reports it, with the fingerprint a later fetch compares. */
export interface PostMeasurement {
  externalPostId: string;
  fingerprint: string;
  data: PostMeasuredData;
}

/**
 * The post.measured data of each fetched post that has a permalink (analytics finds deliverables by it),
 * once per post id: exactly what the API gave — a counter it does not give (or hides) is null, never 0.
 */
export function measurementsOf(creatorId: string, accountId: string, fetched: FetchedAccount, measuredAt: Date): PostMeasurement[] {
  // A post listed twice (pages overlapping while the creator posts) is measured once, as first listed.
  const once = new Map<string, FetchedPost & { url: string }>();
  for (const p of fetched.posts) if (p.url !== null && !once.has(p.id)) once.set(p.id, { ...p, url: p.url });
  return [...once.values()].map((p) => {
    const caption = p.caption.slice(0, MAX_CAPTION);
    const data: PostMeasuredData = {
      creatorId,
      accountId,
      platform: fetched.platform,
      postUrl: p.url,
      externalPostId: p.id,
      measuredAt: measuredAt.toISOString(),
      postedAt: p.postedAt.toISOString(),
      reach: p.reach,
      // Neither API read here gives impressions (Instagram's views replaced them).
      impressions: null,
      likes: p.likes,
      comments: p.comments,
      shares: p.shares,
      saves: p.saves,
      views: p.views,
      caption: caption === '' ? null : caption,
    };
    // What the post looks like, without when it was read: the same post unchanged has the same fingerprint.
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          data.postUrl,
          data.reach,
          data.impressions,
          data.likes,
          data.comments,
          data.shares,
          data.saves,
          data.views,
          data.caption,
        ]),
      )
      .digest('base64url');
    return { externalPostId: p.id, fingerprint, data };
  });
}

/**
 * Publishes post.measured for each fetched post that is new or changed since it was last published, or
 * was last published on an earlier UTC day, in the caller's transaction (the one storing the fetched
 * figures), and remembers what was published. Posts no longer among those fetched are forgotten. Returns
 * how many events were recorded.
 */
export async function publishChangedPosts(
  ctx: RequestContext,
  tx: EntityManager,
  creatorId: string,
  accountId: string,
  fetched: FetchedAccount,
  measuredAt: Date,
): Promise<number> {
  const measured = measurementsOf(creatorId, accountId, fetched, measuredAt);
  const published = (await tx.query(`SELECT external_post_id, fingerprint, measured_at FROM post_measurements WHERE account_id = $1`, [
    accountId,
  ])) as { external_post_id: string; fingerprint: string; measured_at: Date }[];
  const before = new Map(published.map((r) => [r.external_post_id, r]));
  const day = (at: Date) => at.toISOString().slice(0, 10);
  // New, changed, or last published on an earlier day (UTC): a post a deliverable was matched to after its
  // last change is measured the next day at the latest.
  const changed = measured.filter((m) => {
    const last = before.get(m.externalPostId);
    return !last || last.fingerprint !== m.fingerprint || day(last.measured_at) !== day(measuredAt);
  });
  await tx.query(`DELETE FROM post_measurements WHERE account_id = $1 AND NOT (external_post_id = ANY($2::text[]))`, [
    accountId,
    measured.map((m) => m.externalPostId),
  ]);
  if (changed.length === 0) return 0;
  await tx.query(
    `INSERT INTO post_measurements (account_id, external_post_id, fingerprint, measured_at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[])
     ON CONFLICT (account_id, external_post_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, measured_at = EXCLUDED.measured_at`,
    [accountId, changed.map((m) => m.externalPostId), changed.map((m) => m.fingerprint), changed.map(() => measuredAt.toISOString())],
  );
  // Keyed by the creator like their other events, so a post's measurements reach consumers in order.
  await ctx.runtime.outbox.enqueueMany(
    tx,
    TOPICS.creator,
    changed.map((m) => ({ type: 'post.measured', subject: creatorId, data: m.data })),
    measuredAt,
  );
  return changed.length;
}
