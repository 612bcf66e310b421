import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { PostProvenance1767750000000 } from '../src/migrations/1767750000000-PostProvenance';
import { rebuildRollups } from '../src/rollups/rebuild';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import { applyGoldenEvents, BRAND, CAMPAIGN, D_ELLA, D_NOAH, ELLA, NOAH, OTHER_BRAND, P_ELLA, P_NOAH } from './golden-data';
import { count, ok, refusal } from './support';

/*
 * A post's figures (docs/analytics.md, "Post metrics"): each counter's latest known value, whatever order
 * the snapshots arrive in; the engagement rate by reach over the posts whose reach is known only; and who
 * reported the figures (brand, creator, connector), shown on the results.
 */

const RECORD_POST = `mutation($id: ID!, $s: [PostSnapshotInput!]!) { recordPostMetrics(deliverableId: $id, snapshots: $s) }`;
const RECORD_COMMENTS = `mutation($id: ID!, $comments: [PostCommentInput!]!) { recordPostComments(deliverableId: $id, comments: $comments) }`;
const RESULTS = `reach impressions engagements engagementRateByReach spend { amountMinor } costPerEngagement { amountMinor }
  measuredPosts creatorReportedPosts creatorReportedPercent`;
const REPORT = `query($id: ID!, $to: String) { campaignReport(campaignId: $id, to: $to) { results { ${RESULTS} } } }`;
const PARTNERSHIPS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Partnership { metrics { ${RESULTS} } } } }`;
const MENTIONS = `query($id: ID!) { brandMentions(campaignId: $id) { edges { node { deliverableId body reportedBy } } } }`;

/** A second post of Ella's partnership (inserted as the copy of a deliverable). */
const D_ELLA_2 = '00000000-0000-4000-8000-000000000042';

interface Figures {
  reach: number;
  impressions: number;
  engagements: number;
  engagementRateByReach: number | null;
  spend: { amountMinor: number };
  costPerEngagement: { amountMinor: number } | null;
  measuredPosts: number;
  creatorReportedPosts: number;
  creatorReportedPercent: number | null;
}

describe('post figures', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  const analyst = identities.analyst(BRAND);
  const member = identities.brandMember(BRAND);
  const ella = identities.creator(ELLA);
  const noah = identities.creator(NOAH);

  const campaign = async (to?: string) =>
    ok(await sub.query<{ campaignReport: { results: Figures } }>(REPORT, { id: CAMPAIGN, to: to ?? null }, analyst)).campaignReport.results;
  const partnerships = async () => {
    const r = ok(
      await sub.query<{ _entities: { metrics: Figures }[] }>(
        PARTNERSHIPS,
        {
          r: [
            { __typename: 'Partnership', id: P_ELLA },
            { __typename: 'Partnership', id: P_NOAH },
          ],
        },
        analyst,
      ),
    )._entities;
    return { ella: r[0].metrics, noah: r[1].metrics };
  };
  const record = async (id: string, s: Record<string, unknown>[], who = member) => ok(await sub.query(RECORD_POST, { id, s }, who));
  const postDays = () =>
    sub.runtime.dataSource.query(
      `SELECT deliverable_id, day::text, taken_at, reach, reach_at, impressions, impressions_at, likes, likes_at, comments, comments_at,
              shares, shares_at, saves, saves_at, views, views_at
         FROM post_days ORDER BY deliverable_id, day`,
    ) as Promise<Record<string, unknown>[]>;

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
    await applyGoldenEvents(sub);
    await sub.runtime.dataSource.query(
      `INSERT INTO deliverable_facts (deliverable_id, partnership_id, campaign_id, brand_id, creator_id, platform, format, status, last_event_at)
       VALUES ($1, $2, $3, $4, $5, 'instagram', 'story', 'posted', now())`,
      [D_ELLA_2, P_ELLA, CAMPAIGN, BRAND, ELLA],
    );
  }, 90_000);
  afterAll(() => sub?.close());

  it('keeps each counter’s latest known value: A (reach 1,000, likes 10) then B (likes 20, no reach) is reach 1,000, likes 20', async () => {
    const a = { takenAt: '2026-03-02T10:00:00Z', reach: 1_000, likes: 10 };
    const b = { takenAt: '2026-03-02T12:00:00Z', likes: 20 };
    // A then B on Ella's post, B then A on her second one (each its own call: two transactions)
    await record(D_ELLA, [a]);
    await record(D_ELLA, [b]);
    await record(D_ELLA_2, [b]);
    await record(D_ELLA_2, [a]);
    const days = await postDays();
    expect(days).toHaveLength(2);
    for (const d of days)
      expect(d).toMatchObject({
        day: '2026-03-02',
        taken_at: new Date(b.takenAt),
        reach: '1000',
        reach_at: new Date(a.takenAt),
        likes: '20',
        likes_at: new Date(b.takenAt),
        impressions: null,
        impressions_at: null,
      });
    expect((await partnerships()).ella).toMatchObject({ reach: 2_000, engagements: 40, engagementRateByReach: 2, measuredPosts: 2 });

    // Both in one call (one batch), in either order: the same.
    const c = { takenAt: '2026-03-03T08:00:00Z', reach: 1_200, comments: 4 };
    const d = { takenAt: '2026-03-03T09:00:00Z', likes: 25 };
    await record(D_ELLA, [c, d]);
    await record(D_ELLA_2, [d, c]);
    const next = (await postDays()).filter((r) => r.day === '2026-03-03');
    expect(next.map((r) => [r.reach, r.likes, r.comments, r.shares])).toEqual([
      ['1200', '25', '4', null],
      ['1200', '25', '4', null],
    ]);

    // Across days: a later day that knows only likes leaves the reach of the day before.
    await record(D_ELLA, [{ takenAt: '2026-03-04T09:00:00Z', likes: 30 }]);
    expect((await partnerships()).ella).toMatchObject({
      reach: 2_400,
      engagements: 30 + 4 + 25 + 4,
      engagementRateByReach: (63 / 2_400) * 100,
    });
    // An older snapshot arriving last fills only what the later ones did not know, and takes over what it knows later.
    await record(D_ELLA, [{ takenAt: '2026-03-03T08:30:00Z', reach: 1_300, likes: 999, shares: 2 }]);
    const ellaDay = (await postDays()).find((r) => r.deliverable_id === D_ELLA && r.day === '2026-03-03')!;
    expect(ellaDay).toMatchObject({ reach: '1300', likes: '25', comments: '4', shares: '2', taken_at: new Date(d.takenAt) });
    // Ella's post: reach 1,300 (3 March), likes 30 (4 March), comments 4, shares 2; her second: 1,200, 25, 4
    expect((await partnerships()).ella).toMatchObject({ reach: 2_500, engagements: 36 + 29 });
    // A report up to 2 March sees the figures known by then.
    expect(await campaign('2026-03-02')).toMatchObject({ reach: 2_000, engagements: 40, measuredPosts: 2 });
  });

  it('computes the engagement rate by reach over the posts whose reach is known only', async () => {
    // Noah's video: likes, comments, shares and views, no reach (as YouTube's API gives it)
    await record(D_NOAH, [{ takenAt: '2026-03-04T12:00:00Z', likes: 300, comments: 30, shares: 20, views: 9_000 }]);
    const { ella, noah: n } = await partnerships();
    expect(n).toMatchObject({ reach: 0, engagements: 350, engagementRateByReach: null });
    const all = await campaign();
    // every post's engagements count, for cost per engagement too…
    expect(all.engagements).toBe(ella.engagements + 350);
    expect(all.costPerEngagement).toEqual({ amountMinor: Math.round(all.spend.amountMinor / all.engagements) });
    expect(all.spend.amountMinor).toBeGreaterThan(0);
    // …but the rate by reach only Ella's posts' (her reach is the campaign's): not (65 + 350) ÷ 2,500
    expect(all.reach).toBe(2_500);
    expect(all.engagementRateByReach).toBeCloseTo((65 / 2_500) * 100, 9);
    expect(all.engagementRateByReach).toBe(ella.engagementRateByReach);
  });

  it('keeps who submitted each snapshot and shows how many posts’ figures the creator reported', async () => {
    expect(await campaign()).toMatchObject({ measuredPosts: 3, creatorReportedPosts: 0, creatorReportedPercent: 0 });
    // Ella reports her story's views and likes herself (a product feature)…
    await record(D_ELLA_2, [{ takenAt: '2026-03-05T10:00:00Z', likes: 40, views: 800 }], ella);
    let all = await campaign();
    expect(all).toMatchObject({ measuredPosts: 3, creatorReportedPosts: 1, engagements: 36 + 4 + 40 + 350 });
    expect(all.creatorReportedPercent).toBeCloseTo(100 / 3, 9);
    expect((await partnerships()).ella).toMatchObject({ measuredPosts: 2, creatorReportedPosts: 1, creatorReportedPercent: 50 });
    // …and only views on Noah's: views are not a reported figure, so his post is not creator-reported
    await record(D_NOAH, [{ takenAt: '2026-03-05T10:00:00Z', views: 12_000 }], noah);
    expect((await partnerships()).noah).toMatchObject({ creatorReportedPosts: 0 });
    // Noah's likes, then the brand's later snapshot of all of them: the counted figures are the brand's again
    await record(D_NOAH, [{ takenAt: '2026-03-05T11:00:00Z', likes: 310 }], noah);
    expect((await partnerships()).noah).toMatchObject({ creatorReportedPosts: 1, engagements: 310 + 30 + 20 });
    await record(D_NOAH, [{ takenAt: '2026-03-05T12:00:00Z', reach: 5_000, impressions: 6_000, likes: 320, comments: 31, shares: 21 }]);
    expect((await partnerships()).noah).toMatchObject({ creatorReportedPosts: 0, measuredPosts: 1, reach: 5_000 });
    all = await campaign();
    expect(all).toMatchObject({ measuredPosts: 3, creatorReportedPosts: 1 });

    const stored = (await sub.runtime.dataSource.query(
      `SELECT deliverable_id, source, submitted_by FROM post_snapshots WHERE taken_at >= '2026-03-05' ORDER BY taken_at, deliverable_id`,
    )) as unknown[];
    expect(stored).toEqual([
      { deliverable_id: D_NOAH, source: 'creator', submitted_by: noah.sub },
      { deliverable_id: D_ELLA_2, source: 'creator', submitted_by: ella.sub },
      { deliverable_id: D_NOAH, source: 'creator', submitted_by: noah.sub },
      { deliverable_id: D_NOAH, source: 'brand', submitted_by: member.sub },
    ]);
  });

  it('refuses figures from anyone but the brand’s members and the deliverable’s creator, storing nothing', async () => {
    const before = await count(sub, `SELECT count(*) AS n FROM post_snapshots`);
    const s = [{ takenAt: '2026-03-06T10:00:00Z', likes: 9_999 }];
    expect(refusal(await sub.query(RECORD_POST, { id: D_ELLA, s }, noah))).toMatchObject({ code: 'NOT_FOUND' }); // another creator
    expect(refusal(await sub.query(RECORD_POST, { id: D_ELLA, s }, analyst))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refusal(await sub.query(RECORD_POST, { id: D_ELLA, s }, identities.brandMember(OTHER_BRAND)))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(refusal(await sub.query(RECORD_POST, { id: D_ELLA, s }, null))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refusal(await sub.query(RECORD_COMMENTS, { id: D_ELLA, comments: [] }, noah))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await count(sub, `SELECT count(*) AS n FROM post_snapshots`)).toBe(before);
    // a creator's figures are refused as the brand's are: a negative count
    expect(refusal(await sub.query(RECORD_POST, { id: D_ELLA, s: [{ takenAt: '2026-03-06T10:00:00Z', likes: -1 }] }, ella))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'snapshots.0.likes',
    });
    expect(await count(sub, `SELECT count(*) AS n FROM post_snapshots`)).toBe(before);
  });

  it('keeps who submitted each comment, and shows it on the brand mentions', async () => {
    ok(
      await sub.query(
        RECORD_COMMENTS,
        { id: D_ELLA, comments: [{ externalId: 'by-ella', body: 'Oaty every morning', postedAt: '2026-03-04T10:00:00Z' }] },
        ella,
      ),
    );
    ok(
      await sub.query(
        RECORD_COMMENTS,
        { id: D_ELLA, comments: [{ externalId: 'by-brand', body: 'Love Oaty', postedAt: '2026-03-04T11:00:00Z' }] },
        member,
      ),
    );
    const edges = ok(await sub.query<{ brandMentions: { edges: { node: Record<string, string> }[] } }>(MENTIONS, { id: CAMPAIGN }, analyst))
      .brandMentions.edges;
    expect(edges.map((e) => e.node)).toEqual([
      { deliverableId: D_ELLA, body: 'Love Oaty', reportedBy: 'brand' },
      { deliverableId: D_ELLA, body: 'Oaty every morning', reportedBy: 'creator' },
    ]);
    const stored = (await sub.runtime.dataSource.query(
      `SELECT external_id, source, submitted_by FROM post_comments ORDER BY external_id`,
    )) as unknown[];
    expect(stored).toEqual([
      { external_id: 'by-brand', source: 'brand', submitted_by: member.sub },
      { external_id: 'by-ella', source: 'creator', submitted_by: ella.sub },
    ]);
  });

  it('rebuilds post_days to the same figures from the snapshots', async () => {
    const days = await postDays();
    const report = await campaign();
    const byPartnership = await partnerships();
    await rebuildRollups(sub.runtime.dataSource, { batchSize: 3 });
    expect(await postDays()).toEqual(days);
    expect(await campaign()).toEqual(report);
    expect(await partnerships()).toEqual(byPartnership);
  });

  it('the migration: recomputes post_days by the rule, and marks the snapshots stored before it as of unknown source', async () => {
    const days = await postDays();
    const report = await campaign();
    const q = sub.runtime.dataSource.createQueryRunner();
    try {
      const migration = new PostProvenance1767750000000();
      await q.startTransaction();
      await migration.down(q);
      await q.commitTransaction();
      // as the mutation stored them before: 'api', whoever called it
      expect(await count(sub, `SELECT count(*) AS n FROM post_snapshots WHERE source = 'api'`)).toBe(
        await count(sub, `SELECT count(*) AS n FROM post_snapshots`),
      );
      await q.startTransaction();
      await migration.up(q);
      await q.commitTransaction();
    } finally {
      await q.release();
    }
    expect(await postDays()).toEqual(days);
    expect(await count(sub, `SELECT count(*) AS n FROM post_snapshots WHERE source <> 'unknown' OR submitted_by IS NOT NULL`)).toBe(0);
    expect(await count(sub, `SELECT count(*) AS n FROM post_comments WHERE source <> 'unknown'`)).toBe(0);
    // the same figures; none is counted as the creator's any more (whoever sent them was not kept)
    expect(await campaign()).toEqual({ ...report, creatorReportedPosts: 0, creatorReportedPercent: 0 });
    // and the checks hold: a source outside the four is refused by the table
    await expect(
      sub.runtime.dataSource.query(
        `INSERT INTO post_snapshots (id, deliverable_id, taken_at, source) VALUES (gen_random_uuid(), $1, now(), 'api')`,
        [D_ELLA],
      ),
    ).rejects.toThrow(/post_snapshots_source/);
  });
});
