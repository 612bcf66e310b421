import type { CloudEvent } from '@influenceflow/kit';
import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { PostMeasuredData } from '@influenceflow/vocabulary';
import { PostUrlKeys1767730000000 } from '../src/migrations/1767730000000-PostUrlKeys';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import { applyGoldenEvents, BRAND, CAMPAIGN, D_ELLA, D_NOAH, ELLA, NOAH, P_NOAH } from './golden-data';
import { count, eventOf, ok, publishAll } from './support';

/*
 * post.measured, as discovery's connectors publish it, measuring a campaign's deliverables: matched by the
 * creator and the normalised post URL (Ella's deliverable is https://instagram.example/p/1 in the golden
 * data; Noah's gets a TikTok URL below), stored like recordPostMetrics's snapshots (source 'connector'),
 * the caption searched for mentions. Anything else changes nothing and is not an error.
 */

const RECORD_POST = `mutation($id: ID!, $s: [PostSnapshotInput!]!) { recordPostMetrics(deliverableId: $id, snapshots: $s) }`;
const REPORT = `query($id: ID!) { campaignReport(campaignId: $id) { results { reach impressions engagements mentions } } }`;
const NOAH_URL = 'https://www.tiktok.com/@Noah/video/7301234567890123456?is_from_webapp=1&sender_device=pc';

let n = 0;
/** A post.measured as discovery would publish it (a new event id each time). */
function measured(data: Partial<PostMeasuredData> & Pick<PostMeasuredData, 'creatorId' | 'postUrl' | 'measuredAt'>): CloudEvent {
  n++;
  return eventOf(
    'post.measured',
    data.creatorId,
    null,
    {
      accountId: null,
      platform: 'instagram',
      externalPostId: `media-${n}`,
      postedAt: '2026-03-02T08:00:00Z',
      reach: null,
      impressions: null,
      likes: null,
      comments: null,
      shares: null,
      saves: null,
      views: null,
      caption: null,
      ...data,
    },
    data.measuredAt,
  );
}

describe('post.measured (connector snapshots)', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  const analyst = identities.analyst(BRAND);
  const member = identities.brandMember(BRAND);
  const snapshots = (deliverableId: string) =>
    sub.runtime.dataSource.query(
      `SELECT taken_at, reach, impressions, likes, comments, shares, saves, views, source FROM post_snapshots
        WHERE deliverable_id = $1 ORDER BY taken_at`,
      [deliverableId],
    ) as Promise<Record<string, unknown>[]>;
  const results = async () =>
    ok(await sub.query<{ campaignReport: { results: Record<string, number> } }>(REPORT, { id: CAMPAIGN }, analyst)).campaignReport.results;
  /** Waits until `deliverableId` holds `n` snapshots (events of one creator are applied in order). */
  const untilSnapshots = (deliverableId: string, n: number) =>
    eventually(
      async () => (await count(sub, `SELECT count(*) AS n FROM post_snapshots WHERE deliverable_id = $1`, [deliverableId])) === n,
      30_000,
      `${n} snapshots of ${deliverableId}`,
    );

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
    await applyGoldenEvents(sub);
    // Noah's deliverable goes up (TikTok), its URL as the creator pasted it.
    await publishAll([
      eventOf(
        'deliverable.posted',
        D_NOAH,
        BRAND,
        {
          deliverableId: D_NOAH,
          partnershipId: P_NOAH,
          campaignId: CAMPAIGN,
          brandId: BRAND,
          creatorId: NOAH,
          sequence: 1,
          platform: 'tiktok',
          format: 'reel',
          dueOn: '2026-03-15',
          status: 'posted',
          previousStatus: 'approved',
          postUrl: NOAH_URL,
          draftVersion: 1,
          ugcReuseAllowed: false,
          flagReason: null,
        },
        '2026-03-03T00:00:00Z',
      ),
    ]);
    await eventually(
      async () => (await count(sub, `SELECT count(*) AS n FROM deliverable_facts WHERE post_url_key IS NOT NULL`)) === 2,
      30_000,
      'Noah’s post URL',
    );
  }, 90_000);
  afterAll(() => sub?.close());

  it('keeps each deliverable’s post URL in its normalised form', async () => {
    const rows = (await sub.runtime.dataSource.query(
      `SELECT deliverable_id, post_url, post_url_key FROM deliverable_facts ORDER BY deliverable_id`,
    )) as { deliverable_id: string; post_url: string; post_url_key: string }[];
    expect(rows).toEqual([
      { deliverable_id: D_ELLA, post_url: 'https://instagram.example/p/1', post_url_key: 'https://instagram.example/p/1' },
      { deliverable_id: D_NOAH, post_url: NOAH_URL, post_url_key: 'https://tiktok.com/@noah/video/7301234567890123456' },
    ]);
  });

  it('measures the deliverables whose post it is: the campaign report shows reach, impressions and engagements', async () => {
    expect(await results()).toMatchObject({ reach: 0, impressions: 0, engagements: 0 });
    await publishAll([
      measured({
        creatorId: ELLA,
        // Written otherwise than the deliverable's URL: the same post once normalised.
        postUrl: 'http://www.instagram.example/p/1/?utm_source=ig_web_copy_link#c',
        measuredAt: '2026-03-04T12:00:00Z',
        reach: 2_000,
        likes: 150,
        comments: 20,
        shares: 10,
        saves: 7,
        views: 4_000,
        caption: 'Morning oats with #oaty',
      }),
      measured({
        creatorId: NOAH,
        platform: 'tiktok',
        postUrl: 'https://m.tiktok.com/@noah/video/7301234567890123456/',
        measuredAt: '2026-03-04T09:00:00Z',
        impressions: 5_000,
        likes: 300,
        comments: 30,
        shares: 20,
        views: 9_000,
      }),
    ]);
    await untilSnapshots(D_ELLA, 1);
    await untilSnapshots(D_NOAH, 1);
    // What the API did not give stays null: never 0.
    expect(await snapshots(D_ELLA)).toEqual([
      {
        taken_at: new Date('2026-03-04T12:00:00Z'),
        reach: '2000',
        impressions: null,
        likes: '150',
        comments: '20',
        shares: '10',
        saves: '7',
        views: '4000',
        source: 'connector',
      },
    ]);
    expect((await snapshots(D_NOAH))[0]).toMatchObject({ reach: null, impressions: '5000', likes: '300', source: 'connector' });
    // reach 2,000 (Noah's unknown); impressions 5,000 (Ella's unknown); engagements 150 + 20 + 10 + 300 + 30 + 20
    expect(await results()).toMatchObject({ reach: 2_000, impressions: 5_000, engagements: 530 });
    // The caption went through the comments' code: it names the brand (Oaty).
    const captions = (await sub.runtime.dataSource.query(
      `SELECT deliverable_id, body, posted_at, jsonb_array_length(mentions) AS mentions FROM post_comments WHERE kind = 'caption'`,
    )) as unknown[];
    expect(captions).toEqual([
      { deliverable_id: D_ELLA, body: 'Morning oats with #oaty', posted_at: new Date('2026-03-02T08:00:00Z'), mentions: 1 },
    ]);
    expect((await results()).mentions).toBe(1);
  });

  it('ignores a post no deliverable has, another creator’s deliverable, an unusable URL or creator id and bad counters, without failing', async () => {
    const before = { report: await results(), snapshots: await count(sub, `SELECT count(*) AS n FROM post_snapshots`) };
    const ignored = [
      // Ella's other post: no deliverable.
      measured({ creatorId: ELLA, postUrl: 'https://instagram.example/p/2', measuredAt: '2026-03-05T12:00:00Z', likes: 9_999 }),
      // Noah's account cannot measure Ella's deliverable, even with its URL.
      measured({ creatorId: NOAH, postUrl: 'https://instagram.example/p/1', measuredAt: '2026-03-05T12:00:00Z', likes: 9_999 }),
      measured({ creatorId: ELLA, postUrl: 'not a url', measuredAt: '2026-03-05T12:00:00Z', likes: 9_999 }),
      // A creator id that is none (on Ella's key, so it is applied before the marker below).
      {
        ...measured({
          creatorId: 'not-a-uuid',
          postUrl: 'https://instagram.example/p/1',
          measuredAt: '2026-03-05T12:00:00Z',
          likes: 9_999,
        }),
        subject: ELLA,
      },
      // A negative counter and a time in the future are refused as the mutation refuses them.
      measured({ creatorId: ELLA, postUrl: 'https://instagram.example/p/1', measuredAt: '2026-03-05T12:00:00Z', likes: -1 }),
      measured({ creatorId: ELLA, postUrl: 'https://instagram.example/p/1', measuredAt: '2999-01-01T00:00:00Z', likes: 9_999 }),
    ];
    await publishAll(ignored);
    // Then one that matches, on the same key (so applied after them): once it is in, the others were handled.
    await publishAll([
      measured({ creatorId: ELLA, postUrl: 'https://instagram.example/p/1', measuredAt: '2026-03-04T06:00:00Z', likes: 1 }),
      measured({ creatorId: NOAH, postUrl: NOAH_URL, measuredAt: '2026-03-04T06:00:00Z', likes: 1 }),
    ]);
    await untilSnapshots(D_ELLA, 2);
    await untilSnapshots(D_NOAH, 2);
    expect(await count(sub, `SELECT count(*) AS n FROM post_snapshots`)).toBe(before.snapshots + 2);
    // Those two are older than the 4 March ones of the same day: the report keeps the latest of the day.
    expect(await results()).toEqual(before.report);
    // None failed (to be retried, then dead-lettered): each was applied, as nothing, and is in the inbox.
    expect(await count(sub, `SELECT count(*) AS n FROM inbox WHERE event_id = ANY($1::uuid[])`, [ignored.map((e) => e.id)])).toBe(
      ignored.length,
    );
  });

  it('applies a redelivered event once', async () => {
    const event = measured({
      creatorId: ELLA,
      postUrl: 'https://instagram.example/p/1',
      measuredAt: '2026-03-06T12:00:00Z',
      reach: 2_500,
      likes: 160,
      comments: 22,
      shares: 11,
    });
    await publishAll([event, event]);
    await untilSnapshots(D_ELLA, 3);
    // A marker after the redelivery, on the same key: when it is in, the copy was handled.
    await publishAll([measured({ creatorId: ELLA, postUrl: 'https://instagram.example/p/1', measuredAt: '2026-03-06T06:00:00Z' })]);
    await untilSnapshots(D_ELLA, 4);
    expect(await count(sub, `SELECT count(*) AS n FROM inbox WHERE event_id = $1`, [event.id])).toBe(1);
    expect(await count(sub, `SELECT count(*) AS n FROM post_snapshots WHERE taken_at = '2026-03-06T12:00:00Z'`)).toBe(1);
    expect(await results()).toMatchObject({ reach: 2_500 + 0, engagements: 160 + 22 + 11 + 350 });
  });

  it('keeps the latest snapshot of a day, whether the brand recorded it or a connector measured it', async () => {
    // A brand member's snapshot later the same day wins over the connector's…
    ok(await sub.query(RECORD_POST, { id: D_ELLA, s: [{ takenAt: '2026-03-06T18:00:00Z', reach: 3_000, likes: 170 }] }, member));
    expect(await results()).toMatchObject({ reach: 3_000, engagements: 170 + 350 });
    // …and a connector's measurement later still wins over the brand's, as a whole (its unknowns are unknown).
    await publishAll([
      measured({ creatorId: ELLA, postUrl: 'https://instagram.example/p/1', measuredAt: '2026-03-06T20:00:00Z', likes: 180, comments: 25 }),
    ]);
    await untilSnapshots(D_ELLA, 6);
    expect(await results()).toMatchObject({ reach: 0, engagements: 180 + 25 + 350 });
    const sources = (await snapshots(D_ELLA)).map((s) => s.source);
    expect(sources).toEqual(['connector', 'connector', 'connector', 'connector', 'api', 'connector']);
  });
  it('normalises the post URLs of the copies already held when the column is added (the migration)', async () => {
    const q = sub.runtime.dataSource.createQueryRunner();
    try {
      const migration = new PostUrlKeys1767730000000();
      await migration.down(q);
      // A copy whose URL is no URL gets no key (nothing can match it).
      await q.query(
        `INSERT INTO deliverable_facts (deliverable_id, partnership_id, campaign_id, brand_id, creator_id, platform, format, status, post_url, last_event_at)
         VALUES ('00000000-0000-4000-8000-000000000049', $1, $2, $3, $4, 'instagram', 'reel', 'posted', 'see my profile', now())`,
        [P_NOAH, CAMPAIGN, BRAND, NOAH],
      );
      await migration.up(q);
    } finally {
      await q.release();
    }
    const rows = (await sub.runtime.dataSource.query(
      `SELECT deliverable_id, post_url_key FROM deliverable_facts ORDER BY deliverable_id`,
    )) as {
      deliverable_id: string;
      post_url_key: string | null;
    }[];
    expect(rows).toEqual([
      { deliverable_id: D_ELLA, post_url_key: 'https://instagram.example/p/1' },
      { deliverable_id: D_NOAH, post_url_key: 'https://tiktok.com/@noah/video/7301234567890123456' },
      { deliverable_id: '00000000-0000-4000-8000-000000000049', post_url_key: null },
    ]);
  });
});
