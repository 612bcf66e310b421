import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { PostMeasuredData } from '@influenceflow/vocabulary';
import { randomBytes } from 'node:crypto';
import { connectorSchema } from '../src/connectors/connector-config';
import { FakePlatforms, FakeVideo } from '../src/connectors/fake-platforms';
import { discoverySubgraph } from '../src/schema';
import type { DiscoveryServices } from '../src/services';

/*
 * What a connected account's fetches publish for analytics: one post.measured per post read, through the
 * outbox in the transaction that stores the figures, with what the API gave (null, never 0, for what it
 * does not give); a refresh publishes only the posts that changed since they were last published, or were
 * last published on an earlier day.
 */

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SAVE_PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const START = `mutation($p: Platform!) { startPlatformConnection(platform: $p) { authorizationUrl } }`;
const COMPLETE = `mutation($input: CompleteConnectionInput!) { completePlatformConnection(input: $input) { status lastFetchedAt account { id } } }`;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

interface Measured {
  topic: string;
  key: string;
  data: PostMeasuredData;
}

describe('post.measured from platform connectors', () => {
  let fake: FakePlatforms;
  let sub: TestSubgraph<DiscoveryServices>;
  const tess = identities.creator(id(1));
  const kai = identities.creator(id(2));
  const ivy = identities.creator(id(3));

  const videos = (): FakeVideo[] => [
    {
      id: 'vidShort0001',
      publishedAt: daysAgo(1),
      title: 'Ridge walk #hiking',
      description: 'With the Oaty flask',
      duration: 'PT40S',
      viewCount: '30000',
      likeCount: '2100',
      commentCount: '80',
    },
    // Hidden likes and disabled comments: the API leaves the counts out.
    { id: 'vidHidden002', publishedAt: daysAgo(2), title: 'Camp night', duration: 'PT12M', viewCount: '9000' },
    {
      id: 'vidLong00003',
      publishedAt: daysAgo(3),
      title: 'Gear',
      duration: 'PT20M',
      viewCount: '5000',
      likeCount: '300',
      commentCount: '12',
    },
  ];

  async function connect(who: ReturnType<typeof identities.creator>, platform: string) {
    const started = await sub.query<{ startPlatformConnection: { authorizationUrl: string } }>(START, { p: platform }, who);
    expect(started.errors).toBeUndefined();
    const back = await fake.consent(started.data!.startPlatformConnection.authorizationUrl);
    return sub.query<{ completePlatformConnection: { status: string; lastFetchedAt: string; account: { id: string } } }>(
      COMPLETE,
      { input: { state: back.get('state'), code: back.get('code') } },
      who,
    );
  }
  const measured = async (creatorId: string): Promise<Measured[]> =>
    (
      (await sub.runtime.dataSource.query(
        `SELECT topic, key, envelope FROM outbox WHERE type = 'post.measured' AND key = $1 ORDER BY seq`,
        [creatorId],
      )) as { topic: string; key: string; envelope: { data: PostMeasuredData } }[]
    ).map((r) => ({ topic: r.topic, key: r.key, data: r.envelope.data }));
  const refresh = async (creatorId: string, platform: string) => {
    await sub.runtime.dataSource.query(
      `UPDATE platform_connections SET next_fetch_at = now() - interval '1 second' WHERE creator_id = $1 AND platform = $2`,
      [creatorId, platform],
    );
    return sub.services.connectionRefresher.round();
  };
  const connectionOf = async (creatorId: string) =>
    (
      (await sub.runtime.dataSource.query(`SELECT failures, last_fetched_at FROM platform_connections WHERE creator_id = $1`, [
        creatorId,
      ])) as { failures: number; last_fetched_at: Date }[]
    )[0];

  beforeAll(async () => {
    fake = await new FakePlatforms().start();
    fake.videos = videos();
    fake.media = [
      {
        id: '18000000000000001',
        timestamp: daysAgo(1).replace(/\.\d{3}Z$/, '+0000'),
        caption: 'Sunrise #trail',
        media_type: 'VIDEO',
        media_product_type: 'REELS',
        like_count: 900,
        comments_count: 40,
        insights: { reach: 9_000, saved: 30, shares: 12, views: 15_000 },
      },
      {
        id: '18000000000000002',
        timestamp: daysAgo(2).replace(/\.\d{3}Z$/, '+0000'),
        media_type: 'IMAGE',
        media_product_type: 'FEED',
        like_count: 500,
        comments_count: 7,
        insights: 'unsupported',
      },
    ];
    // The first again, later in the list (pages overlapping while the creator posts): measured once, as first listed.
    fake.media.push({ ...fake.media[0], like_count: 1 });
    const settings = connectorSchema.parse({
      ...fake.env(),
      CONNECTOR_TOKEN_KEY: randomBytes(32).toString('base64'),
      CONNECTOR_POLL_MS: '3600000',
      CONNECTOR_REFRESH_INTERVAL_SECONDS: '3600',
    });
    sub = await startTestSubgraph(discoverySubgraph, { settings });
    for (const [who, handle] of [
      [tess, 'trail.tess'],
      [kai, 'kai.climbs'],
      [ivy, 'ivy.insta'],
    ] as const) {
      const saved = await sub.query(SAVE_PROFILE, { input: { handle, displayName: handle, niches: ['outdoors'], country: 'US' } }, who);
      expect(saved.errors).toBeUndefined();
    }
  }, 120_000);
  afterAll(async () => {
    await sub?.close();
    await fake?.stop();
  });

  it('publishes one post.measured per YouTube video on connecting, with what the API gives and null for the rest', async () => {
    const r = await connect(tess, 'YOUTUBE');
    expect(r.errors).toBeUndefined();
    const { lastFetchedAt, account } = r.data!.completePlatformConnection;
    const events = await measured(id(1));
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.topic === 'creator.events' && e.key === id(1))).toBe(true);
    expect(events[0].data).toEqual({
      creatorId: id(1),
      accountId: account.id,
      platform: 'youtube',
      postUrl: 'https://www.youtube.com/watch?v=vidShort0001',
      externalPostId: 'vidShort0001',
      measuredAt: new Date(lastFetchedAt).toISOString(),
      postedAt: expect.any(String),
      reach: null,
      impressions: null,
      likes: 2_100,
      comments: 80,
      shares: null,
      saves: null,
      views: 30_000,
      caption: 'Ridge walk #hiking\n\nWith the Oaty flask',
    });
    // Hidden likes and comments are unknown, not none.
    expect(events[1].data).toMatchObject({ externalPostId: 'vidHidden002', likes: null, comments: null, views: 9_000 });
    expect(events.map((e) => e.data.externalPostId)).toEqual(['vidShort0001', 'vidHidden002', 'vidLong00003']);
  });

  it('publishes nothing on a refresh that finds the posts unchanged the same day, and only the changed ones otherwise', async () => {
    const before = (await measured(id(1))).length;
    // last published just now, so that the refresh below is on the same UTC day (the earlier test may have run before midnight)
    await sub.runtime.dataSource.query(`UPDATE post_measurements SET measured_at = now()`);
    expect(await refresh(id(1), 'youtube')).toBe(1);
    expect((await connectionOf(id(1))).failures).toBe(0);
    expect(await measured(id(1))).toHaveLength(before);

    fake.videos = videos().map((v) => (v.id === 'vidLong00003' ? { ...v, viewCount: '5400', likeCount: '320' } : v));
    expect(await refresh(id(1), 'youtube')).toBe(1);
    const events = await measured(id(1));
    expect(events).toHaveLength(before + 1);
    const latest = events[events.length - 1].data;
    expect(latest).toMatchObject({ externalPostId: 'vidLong00003', views: 5_400, likes: 320, comments: 12 });
    expect(latest.measuredAt).toBe((await connectionOf(id(1))).last_fetched_at.toISOString());
    // A post last published on an earlier day is published again (once a day at least), changed or not.
    await sub.runtime.dataSource.query(
      `UPDATE post_measurements SET measured_at = measured_at - interval '1 day' WHERE external_post_id = 'vidHidden002'`,
    );
    await refresh(id(1), 'youtube');
    expect((await measured(id(1))).slice(before + 1).map((e) => [e.data.externalPostId, e.data.views])).toEqual([['vidHidden002', 9_000]]);
    await refresh(id(1), 'youtube');
    expect(await measured(id(1))).toHaveLength(before + 2);
    // A new caption is a change too.
    fake.videos = fake.videos.map((v) => (v.id === 'vidShort0001' ? { ...v, description: 'Thanks @oaty' } : v));
    await refresh(id(1), 'youtube');
    expect((await measured(id(1))).slice(before + 2).map((e) => [e.data.externalPostId, e.data.caption])).toEqual([
      ['vidShort0001', 'Ridge walk #hiking\n\nThanks @oaty'],
    ]);
  });

  it('forgets a post no longer fetched, and publishes it again if it comes back', async () => {
    const kept = () =>
      sub.runtime.dataSource
        .query(
          `SELECT m.external_post_id FROM post_measurements m JOIN platform_accounts a ON a.id = m.account_id
            WHERE a.creator_id = $1 ORDER BY 1`,
          [id(1)],
        )
        .then((rows: { external_post_id: string }[]) => rows.map((r) => r.external_post_id));
    expect(await kept()).toEqual(['vidHidden002', 'vidLong00003', 'vidShort0001']);
    const all = fake.videos;
    fake.videos = all.filter((v) => v.id !== 'vidHidden002');
    const before = (await measured(id(1))).length;
    await refresh(id(1), 'youtube');
    expect(await kept()).toEqual(['vidLong00003', 'vidShort0001']);
    expect(await measured(id(1))).toHaveLength(before);
    fake.videos = all;
    await refresh(id(1), 'youtube');
    expect((await measured(id(1))).slice(before).map((e) => e.data.externalPostId)).toEqual(['vidHidden002']);
  });

  it('publishes nothing when a refresh fails or a connection is refused (the figures and the events are one transaction)', async () => {
    const before = (await measured(id(1))).length;
    fake.videos = videos().map((v) => ({ ...v, viewCount: '99999' }));
    fake.faults.youtube.push({ kind: 'malformed' });
    await refresh(id(1), 'youtube');
    expect((await connectionOf(id(1))).failures).toBe(1);
    expect(await measured(id(1))).toHaveLength(before);

    // Kai grants the channel Tess connected: refused, and nothing of it is published.
    const refused = await connect(kai, 'YOUTUBE');
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(await measured(id(2))).toEqual([]);
    expect(await measured(id(1))).toHaveLength(before);

    // The next successful refresh publishes the changes the failed one missed.
    await refresh(id(1), 'youtube');
    expect((await connectionOf(id(1))).failures).toBe(0);
    expect(await measured(id(1))).toHaveLength(before + 3);
  });

  it('publishes Instagram posts once each with their insights (reach, saves, shares, views), null where the API has none', async () => {
    fake.igUser.username = 'ivy.insta';
    const r = await connect(ivy, 'INSTAGRAM');
    expect(r.errors).toBeUndefined();
    const events = await measured(id(3));
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        platform: 'instagram',
        postUrl: 'https://www.instagram.com/p/18000000000000001/',
        externalPostId: '18000000000000001',
        reach: 9_000,
        impressions: null,
        likes: 900,
        comments: 40,
        shares: 12,
        saves: 30,
        views: 15_000,
        caption: 'Sunrise #trail',
      }),
      // Its insights do not apply: unknown, not none; no caption.
      expect.objectContaining({
        externalPostId: '18000000000000002',
        reach: null,
        shares: null,
        saves: null,
        views: null,
        likes: 500,
        comments: 7,
        caption: null,
      }),
    ]);
  });
  it('forgets what was published of an account when it is removed', async () => {
    const kept = async () =>
      (
        await sub.runtime.dataSource.query(
          `SELECT count(*)::int AS n FROM post_measurements m JOIN platform_accounts a ON a.id = m.account_id WHERE a.creator_id = $1`,
          [id(3)],
        )
      )[0].n as number;
    const orphans = async () =>
      (
        await sub.runtime.dataSource.query(
          `SELECT count(*)::int AS n FROM post_measurements m WHERE NOT EXISTS (SELECT 1 FROM platform_accounts a WHERE a.id = m.account_id)`,
        )
      )[0].n as number;
    expect(await kept()).toBe(2);
    const removed = await sub.query(`mutation { removeMyPlatformAccount(platform: INSTAGRAM) }`, {}, ivy);
    expect(removed.errors).toBeUndefined();
    expect(await kept()).toBe(0);
    expect(await orphans()).toBe(0);
  });
});
