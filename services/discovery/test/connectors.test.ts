import { createLogger, SecretCipher } from '@influenceflow/kit';
import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ConnectionRefresher } from '../src/connectors/connection-refresher';
import { connectorSchema } from '../src/connectors/connector-config';
import { FakeChannel, FakePlatforms, FakeMedia, FakeVideo } from '../src/connectors/fake-platforms';
import { importCreators } from '../src/ingest/importer';
import { discoverySubgraph } from '../src/schema';
import type { DiscoveryServices } from '../src/services';

/*
 * Connecting accounts to YouTube and Instagram against local servers that answer as the platforms'
 * documentation says (connectors/fake-platforms.ts): the OAuth flow and its refusals, the figures stored
 * with provenance FETCHED through the account rules, and the scheduled refresh with its failures.
 */

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TOKEN_KEY = randomBytes(32);
const SAVE_PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const SAVE_ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id provenance } }`;
const START = `mutation($p: Platform!) { startPlatformConnection(platform: $p) { platform authorizationUrl state expiresAt } }`;
const COMPLETE = `mutation($input: CompleteConnectionInput!) {
  completePlatformConnection(input: $input) {
    platform status lastFetchedAt lastError
    account { platform handle followers following postCount provenance fetchedAt engagement { byFollowers byReach postsCounted }
              recentPosts(first: 50) { format likes comments views reach saves shares caption hashtags paidPartnership } followerHistory { date followers } }
  }
}`;
const ACCOUNTS = `query($id: ID!) { creator(id: $id) { followers platforms accounts { platform handle followers provenance fetchedAt authenticityScore } } }`;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

/** What COMPLETE selects. */
interface Completed {
  platform: string;
  status: string;
  lastFetchedAt: string;
  lastError: string | null;
  account: {
    handle: string;
    fetchedAt: string;
    engagement: { byFollowers: number | null; byReach: number | null; postsCounted: number };
    recentPosts: Record<string, unknown>[];
    followerHistory: { date: string; followers: number }[];
  };
}

function videos(count: number): FakeVideo[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `vid${String(i).padStart(8, '0')}`,
    publishedAt: daysAgo(i + 1),
    title: `Trail day ${i} #hiking`,
    description: i === 0 ? `Gear I used #Ultralight ${'x'.repeat(5000)}` : 'More trails',
    duration: i % 3 === 0 ? 'PT45S' : 'PT12M30S',
    viewCount: String(20_000 + i),
    likeCount: i === 1 ? undefined : String(1_000 + i),
    commentCount: String(50 + i),
    paid: i === 2 ? true : undefined,
  }));
}

function media(count: number): FakeMedia[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(18_000_000_000_000_000 + i),
    timestamp: daysAgo(i + 1).replace(/\.\d{3}Z$/, '+0000'),
    caption: `Sunrise ${i} #trail`,
    media_type: i % 2 === 0 ? 'VIDEO' : 'IMAGE',
    media_product_type: i % 2 === 0 ? 'REELS' : 'FEED',
    like_count: 900 + i,
    comments_count: 40,
    insights: i === 3 ? 'unsupported' : { reach: 9_000 + i, saved: 30, shares: 12, views: 15_000 },
  }));
}

describe('platform connectors', () => {
  let fake: FakePlatforms;
  let sub: TestSubgraph<DiscoveryServices>;
  let tessChannel: FakeChannel;
  const tess = identities.creator(id(1));
  const kai = identities.creator(id(2));

  const as = (who: ReturnType<typeof identities.creator>) => ({
    start: (platform: string) =>
      sub.query<{ startPlatformConnection: { authorizationUrl: string; state: string; expiresAt: string } }>(START, { p: platform }, who),
    complete: (input: Record<string, unknown>) => sub.query<{ completePlatformConnection: Completed }>(COMPLETE, { input }, who),
  });
  /** Start, consent on the fake platform, complete: the whole flow a web client runs. */
  async function connect(who: ReturnType<typeof identities.creator>, platform: string) {
    const started = await as(who).start(platform);
    expect(started.errors).toBeUndefined();
    const back = await fake.consent(started.data!.startPlatformConnection.authorizationUrl);
    return as(who).complete({ state: back.get('state'), code: back.get('code') });
  }
  const connection = async (creatorId: string, platform: string) =>
    (
      await sub.runtime.dataSource.query(
        `SELECT id, status, access_token, refresh_token, access_expires_at, next_fetch_at, failures, last_error FROM platform_connections
          WHERE creator_id = $1 AND platform = $2`,
        [creatorId, platform],
      )
    )[0];
  const makeDue = (creatorId: string, platform: string) =>
    sub.runtime.dataSource.query(
      `UPDATE platform_connections SET next_fetch_at = now() - interval '1 second' WHERE creator_id = $1 AND platform = $2`,
      [creatorId, platform],
    );
  const counts = async (creatorId: string) =>
    (
      await sub.runtime.dataSource.query(
        `SELECT (SELECT count(*) FROM platform_accounts WHERE creator_id = $1)::int AS accounts,
                (SELECT count(*) FROM platform_connections WHERE creator_id = $1)::int AS connections,
                (SELECT count(*) FROM authenticity_reports WHERE creator_id = $1)::int AS reports`,
        [creatorId],
      )
    )[0] as { accounts: number; connections: number; reports: number };

  beforeAll(async () => {
    fake = await new FakePlatforms().start();
    tessChannel = fake.channel;
    fake.videos = videos(60);
    fake.uploadsPageSize = 20;
    fake.media = media(30);
    const settings = connectorSchema.parse({
      ...fake.env(),
      CONNECTOR_TOKEN_KEY: TOKEN_KEY.toString('base64'),
      // The process's own refresher stays asleep: tests run rounds themselves (and one refresher of their own).
      CONNECTOR_POLL_MS: '3600000',
      CONNECTOR_REFRESH_INTERVAL_SECONDS: '3600',
    });
    sub = await startTestSubgraph(discoverySubgraph, { settings });
    for (const [who, handle] of [
      [tess, 'trail.tess'],
      [kai, 'kai.climbs'],
      [identities.creator(id(3)), 'bea.bakes'],
      [identities.creator(id(4)), 'ivy.insta'],
    ] as const) {
      const saved = await sub.query(SAVE_PROFILE, { input: { handle, displayName: handle, niches: ['outdoors'], country: 'US' } }, who);
      expect(saved.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await sub?.close();
    await fake?.stop();
  });

  it('offers the configured platforms only', async () => {
    const r = await sub.query(`{ connectablePlatforms }`, {}, null);
    expect(r.data).toEqual({ connectablePlatforms: ['YOUTUBE', 'INSTAGRAM'] });
    const tiktok = await as(tess).start('TIKTOK');
    expect(tiktok.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'platform' });
    expect(tiktok.errors?.[0].message).toMatch(/not offered on this server/);
  });

  it('gives an authorization URL with a fresh single-use state, to creators only', async () => {
    const started = await as(tess).start('YOUTUBE');
    expect(started.errors).toBeUndefined();
    const { authorizationUrl, state, expiresAt } = started.data!.startPlatformConnection;
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/google/o/oauth2/v2/auth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: fake.clientId,
      redirect_uri: 'https://app.example/connect/callback',
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/youtube.readonly',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state,
    });
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    // Only a hash of it is stored.
    const stored = await sub.runtime.dataSource.query(`SELECT state_hash FROM connection_states WHERE creator_id = $1`, [id(1)]);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((s: { state_hash: string }) => s.state_hash)).not.toContain(state);

    const brand = await sub.query(START, { p: 'YOUTUBE' }, identities.brandMember(id(900)));
    expect(brand.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await sub.query(START, { p: 'YOUTUBE' }, null);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('connects a YouTube channel: tokens exchanged, figures fetched at once (paging the uploads), stored as FETCHED', async () => {
    const before = await counts(id(1));
    const r = await connect(tess, 'YOUTUBE');
    expect(r.errors).toBeUndefined();
    const c = r.data!.completePlatformConnection;
    expect(c).toMatchObject({ platform: 'YOUTUBE', status: 'ACTIVE', lastError: null });
    expect(c.account).toMatchObject({
      platform: 'YOUTUBE',
      handle: 'trailtessvideos',
      followers: 48_210,
      following: 0,
      postCount: 3,
      provenance: 'FETCHED',
    });
    expect(new Date(c.account.fetchedAt).getTime()).toBe(new Date(c.lastFetchedAt).getTime());
    // 60 uploads, 20 a page: three pages read to reach the 50 posts kept, then one videos call for them.
    expect(fake.count('/youtube/v3/playlistItems')).toBe(3);
    expect(fake.count('/youtube/v3/videos')).toBe(1);
    const posts = c.account.recentPosts;
    expect(posts).toHaveLength(50);
    expect(posts[0]).toMatchObject({ format: 'SHORT', likes: 1_000, comments: 50, views: 20_000, reach: null, shares: 0, saves: 0 });
    expect(posts[0].hashtags).toEqual(['hiking', 'ultralight']);
    expect((posts[0].caption as string).length).toBe(2200);
    expect(posts[1]).toMatchObject({ format: 'VIDEO', likes: 0, paidPartnership: null }); // hidden likes count as none
    expect(posts[2]).toMatchObject({ paidPartnership: true }); // paidProductPlacementDetails
    expect(c.account.engagement.postsCounted).toBe(12);
    expect(c.account.followerHistory).toEqual([{ date: new Date().toISOString().slice(0, 10), followers: 48_210 }]);
    const after = await counts(id(1));
    expect(after).toEqual({ accounts: before.accounts + 1, connections: 1, reports: before.reports + 1 });
    const read = await sub.query<{ creator: { followers: number; platforms: string[] } }>(ACCOUNTS, { id: id(1) }, null);
    expect(read.data!.creator).toMatchObject({ followers: 48_210, platforms: ['YOUTUBE'] });
  });

  it('stores tokens encrypted, bound to their connection, and never shows them', async () => {
    const row = await connection(id(1), 'youtube');
    expect(row.access_token).toMatch(/^v1\./);
    expect(row.refresh_token).toMatch(/^v1\./);
    const dump = JSON.stringify(await sub.runtime.dataSource.query(`SELECT * FROM platform_connections`));
    for (const token of fake.issued) expect(dump).not.toContain(token);
    const cipher = new SecretCipher(TOKEN_KEY);
    expect(fake.issued).toContain(cipher.decrypt(row.access_token, `${id(1)}:youtube`));
    expect(() => cipher.decrypt(row.access_token, `${id(2)}:youtube`)).toThrow();
    const fields = await sub.query<{ __type: { fields: { name: string }[] } }>(
      `{ __type(name: "PlatformConnection") { fields { name } } }`,
      {},
      null,
    );
    expect(fields.data!.__type.fields.map((f) => f.name).sort()).toEqual([
      'account',
      'createdAt',
      'id',
      'lastError',
      'lastFetchedAt',
      'nextFetchAt',
      'platform',
      'status',
      'updatedAt',
    ]);
  });

  it('refuses a replayed, forged, malformed, expired or another creator’s state, leaving the owner’s usable', async () => {
    fake.channel = { id: 'UCfakeKaiClimbs00000002', customUrl: '@kai.climbs', title: 'Kai', subscriberCount: '23500', videoCount: '40' };
    const started = await as(kai).start('YOUTUBE');
    const back = await fake.consent(started.data!.startPlatformConnection.authorizationUrl);
    const state = back.get('state')!;
    const code = back.get('code')!;
    const refusedState = (r: { errors?: { extensions?: Record<string, unknown>; message: string }[] }) => {
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.state' });
      expect(r.errors?.[0].message).not.toContain(state);
    };
    // Tess holds Kai's state and code: refused, and Kai's request is not spent by it.
    refusedState(await as(tess).complete({ state, code }));
    refusedState(await as(kai).complete({ state: randomBytes(32).toString('base64url'), code }));
    for (const bad of ['', 'x', `${state}\u0000`, 'é'.repeat(43), state.repeat(1000)])
      refusedState(await as(kai).complete({ state: bad, code }));
    expect(await counts(id(2))).toMatchObject({ accounts: 0, connections: 0 });
    const ok = await as(kai).complete({ state, code });
    expect(ok.errors).toBeUndefined();
    refusedState(await as(kai).complete({ state, code }));

    const late = await as(kai).start('INSTAGRAM');
    const lateBack = await fake.consent(late.data!.startPlatformConnection.authorizationUrl);
    await sub.runtime.dataSource.query(`UPDATE connection_states SET expires_at = now() - interval '1 second' WHERE creator_id = $1`, [
      id(2),
    ]);
    refusedState(await as(kai).complete({ state: lateBack.get('state'), code: lateBack.get('code') }));
    expect(await counts(id(2))).toMatchObject({ connections: 1 });
  });

  it('refuses a denied consent (error=access_denied) and a bad code, writing nothing', async () => {
    const started = await as(identities.creator(id(3))).start('YOUTUBE');
    const denied = await fake.consent(started.data!.startPlatformConnection.authorizationUrl, true);
    expect(denied.get('error')).toBe('access_denied');
    expect(denied.get('code')).toBeNull();
    const r = await as(identities.creator(id(3))).complete({ state: denied.get('state'), error: denied.get('error') });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.error' });
    expect(r.errors?.[0].message).toMatch(/did not grant access \(access_denied\)/);

    const again = await as(identities.creator(id(3))).start('YOUTUBE');
    const bad = await as(identities.creator(id(3))).complete({ state: again.data!.startPlatformConnection.state, code: '4/0Aforged' });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.code' });
    expect(bad.errors?.[0].message).toMatch(/invalid_grant/);
    expect(await counts(id(3))).toEqual({ accounts: 0, connections: 0, reports: 0 });
  });

  it('refuses connecting a channel another creator connected, or whose handle another creator has', async () => {
    // Bea claims Instagram's handle by typing it in; Ivy then connects the Instagram account that has it.
    const claimed = await sub.query(
      SAVE_ACCOUNT,
      { input: { platform: 'INSTAGRAM', handle: 'trail.tess', followers: 10 } },
      identities.creator(id(3)),
    );
    expect(claimed.errors).toBeUndefined();
    const r = await connect(identities.creator(id(4)), 'INSTAGRAM');
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    expect(await counts(id(4))).toEqual({ accounts: 0, connections: 0, reports: 0 });
    await sub.query(`mutation { removeMyPlatformAccount(platform: INSTAGRAM) }`, {}, identities.creator(id(3)));
    // Kai connected this YouTube channel already (a test above): Ivy's consent grants the same channel.
    const taken = await connect(identities.creator(id(4)), 'YOUTUBE');
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    expect(await counts(id(4))).toEqual({ accounts: 0, connections: 0, reports: 0 });
  });

  it('answers malformed API responses and rate limits with a clear error, writing nothing', async () => {
    const who = identities.creator(id(4));
    fake.faults.instagram.push({ kind: 'malformed' });
    const pagesFirst = await connect(who, 'INSTAGRAM');
    expect(pagesFirst.errors?.[0].extensions?.code).toBe('UPSTREAM_FAILED');
    expect(pagesFirst.errors?.[0].message).toMatch(/Instagram answered without data, unlike its documented response/);
    fake.faults.instagram.push({ kind: 'rate_limit', retryAfterSeconds: 90 });
    const limited = await connect(who, 'INSTAGRAM');
    expect(limited.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 90 });
    for (const e of [...pagesFirst.errors!, ...limited.errors!]) expect(JSON.stringify(e)).not.toMatch(/EAAG|access_token|stack/);
    expect(await counts(id(4))).toEqual({ accounts: 0, connections: 0, reports: 0 });

    // A next page on another host carries the access token there: not followed.
    fake.pagingOrigin = 'http://127.0.0.2:9';
    const elsewhere = await connect(who, 'INSTAGRAM');
    fake.pagingOrigin = null;
    expect(elsewhere.errors?.[0].extensions?.code).toBe('UPSTREAM_FAILED');
    expect(elsewhere.errors?.[0].message).toMatch(/Instagram sent a next page on another host/);
    expect(await counts(id(4))).toEqual({ accounts: 0, connections: 0, reports: 0 });

    // Well-formed, but figures discovery's rules refuse (a post dated next week): the same rules as a save.
    fake.channel = { id: 'UCfakeBeaBakes000000003', customUrl: '@bea.bakes', title: 'Bea', subscriberCount: '8000', videoCount: '12' };
    fake.videos.unshift({ id: 'vidfuture', publishedAt: new Date(Date.now() + 7 * DAY).toISOString(), title: 'Soon', duration: 'PT5M' });
    const future = await connect(identities.creator(id(3)), 'YOUTUBE');
    fake.videos.shift();
    expect(future.errors?.[0].extensions?.code).toBe('UPSTREAM_FAILED');
    expect(future.errors?.[0].message).toMatch(/YouTube's figures break a rule of discovery \(figures\.posts\.0\.postedAt\)/);
    expect(await counts(id(3))).toEqual({ accounts: 0, connections: 0, reports: 0 });
  });

  it('connects an Instagram professional account through its Facebook Page (long-lived token, paged media, insights)', async () => {
    const who = identities.creator(id(4));
    fake.igUser.username = 'Ivy.Insta';
    const exchanges = fake.count('/graph/v21.0/oauth/access_token');
    const r = await connect(who, 'INSTAGRAM');
    expect(r.errors).toBeUndefined();
    // The code, then fb_exchange_token for the long-lived token.
    expect(fake.count('/graph/v21.0/oauth/access_token') - exchanges).toBe(2);
    const c = r.data!.completePlatformConnection;
    expect(c.account).toMatchObject({ handle: 'ivy.insta', followers: 31_200, following: 410, postCount: 2, provenance: 'FETCHED' });
    const posts = c.account.recentPosts;
    // 30 media, 25 a page: both pages followed through paging.next.
    expect(posts).toHaveLength(30);
    expect(posts[0]).toMatchObject({
      format: 'REEL',
      likes: 900,
      comments: 40,
      reach: 9_000,
      saves: 30,
      shares: 12,
      views: 15_000,
      hashtags: ['trail'],
    });
    expect(posts[1]).toMatchObject({ format: 'POST', paidPartnership: null });
    expect(posts[3]).toMatchObject({ reach: null, saves: 0 }); // its insights are unsupported
    expect(posts[20]).toMatchObject({ reach: null }); // insights are read for the newest 12 only
    expect(c.account.engagement.byReach).not.toBeNull();
    const connected = await connection(id(4), 'instagram');
    expect(connected.refresh_token).toBeNull();
    expect(new Date(connected.access_expires_at).getTime()).toBeGreaterThan(Date.now() + 50 * DAY);
  });

  it('keeps fetched figures from self-reported saves and imports until the creator disconnects', async () => {
    const typed = await sub.query(SAVE_ACCOUNT, { input: { platform: 'YOUTUBE', handle: 'trailtessvideos', followers: 999_999 } }, tess);
    expect(typed.errors?.[0].extensions).toMatchObject({ code: 'INVALID_STATE', field: 'input.platform', provenance: 'fetched' });
    const imported = await importCreators(
      Readable.from([
        JSON.stringify({
          handle: 'trail.tess',
          displayName: 'Tess',
          niches: ['outdoors'],
          country: 'US',
          accounts: [{ platform: 'youtube', handle: 'trailtessvideos', followers: 999_999 }],
        }) + '\n',
      ]),
      'ndjson',
      { databaseUrl: sub.config.databaseUrl },
    );
    expect(imported.errors).toEqual([expect.objectContaining({ line: 1, field: 'accounts.0.platform' })]);
    const read = await sub.query<{ creator: { accounts: { followers: number; provenance: string }[] } }>(ACCOUNTS, { id: id(1) }, null);
    expect(read.data!.creator.accounts).toEqual([expect.objectContaining({ followers: 48_210, provenance: 'FETCHED' })]);
  });

  it('refreshes due connections on schedule: new figures through the same rules, one replica at a time', async () => {
    tessChannel.subscriberCount = '49000';
    await makeDue(id(1), 'youtube');
    const reports = (await counts(id(1))).reports;
    const calls = fake.count('/youtube/v3/channels');
    // Two refreshers (two replicas) running at once: the connection is fetched once.
    const logger = createLogger('test', 'silent');
    const replicas = [50, 50].map((ms) => new ConnectionRefresher(sub.services.connections, sub.runtime, logger, ms));
    await Promise.all(replicas.map((r) => r.start()));
    await eventually(async () => ((await counts(id(1))).reports > reports ? true : undefined), 20_000, 'the scheduled fetch');
    await Promise.all(replicas.map((r) => r.stop()));
    expect(fake.count('/youtube/v3/channels') - calls).toBe(1);
    const read = await sub.query<{
      creator: { followers: number; accounts: { followers: number; provenance: string; fetchedAt: string }[] };
    }>(ACCOUNTS, { id: id(1) }, null);
    expect(read.data!.creator.followers).toBe(49_000);
    expect(read.data!.creator.accounts[0]).toMatchObject({ followers: 49_000, provenance: 'FETCHED' });
    const row = await connection(id(1), 'youtube');
    expect(row.failures).toBe(0);
    expect(new Date(row.next_fetch_at).getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('refreshes tokens before they expire, and once when the platform refuses the access token', async () => {
    const refreshes = () => fake.requests.filter((r) => r.path === '/google/token').length;
    let before = refreshes();
    await sub.runtime.dataSource.query(
      `UPDATE platform_connections SET access_expires_at = now() + interval '1 minute' WHERE creator_id = $1 AND platform = 'youtube'`,
      [id(1)],
    );
    await makeDue(id(1), 'youtube');
    expect(await sub.services.connectionRefresher.round()).toBe(1);
    expect(refreshes() - before).toBe(1);
    const refreshed = await connection(id(1), 'youtube');
    expect(new Date(refreshed.access_expires_at).getTime()).toBeGreaterThan(Date.now() + 3_000_000);

    fake.expireAccessTokens();
    before = refreshes();
    await makeDue(id(1), 'youtube');
    await sub.services.connectionRefresher.round();
    expect(refreshes() - before).toBe(1);
    expect(await connection(id(1), 'youtube')).toMatchObject({ status: 'active', failures: 0, last_error: null });
  });

  it('waits as long as a rate limit says (Retry-After) and backs off on malformed answers and outages, keeping the figures', async () => {
    fake.faults.youtube.push({ kind: 'rate_limit', retryAfterSeconds: 600 });
    await makeDue(id(1), 'youtube');
    await sub.services.connectionRefresher.round();
    const limited = await connection(id(1), 'youtube');
    expect(limited).toMatchObject({ status: 'active', failures: 1 });
    expect(limited.last_error).toMatch(/slow down \(429\)/);
    expect(new Date(limited.next_fetch_at).getTime()).toBeGreaterThanOrEqual(Date.now() + 590_000);
    const calls = fake.count('/youtube/v3/');
    expect(await sub.services.connectionRefresher.round()).toBe(0);
    expect(fake.count('/youtube/v3/')).toBe(calls);

    fake.faults.youtube.push({ kind: 'malformed' });
    await makeDue(id(1), 'youtube');
    await sub.services.connectionRefresher.round();
    const failed = await connection(id(1), 'youtube');
    expect(failed.failures).toBe(2);
    expect(failed.last_error).toMatch(/unlike its documented response/);
    expect(new Date(failed.next_fetch_at).getTime()).toBeGreaterThan(Date.now() + 30_000);
    const read = await sub.query<{ creator: { accounts: { followers: number }[] } }>(ACCOUNTS, { id: id(1) }, null);
    expect(read.data!.creator.accounts[0].followers).toBe(49_000);

    fake.faults.youtube.push({ kind: 'server_error' });
    await makeDue(id(1), 'youtube');
    await sub.services.connectionRefresher.round();
    const down = await connection(id(1), 'youtube');
    expect(down).toMatchObject({ status: 'active', failures: 3, last_error: 'YouTube failed (503)' });

    await makeDue(id(1), 'youtube');
    await sub.services.connectionRefresher.round();
    expect(await connection(id(1), 'youtube')).toMatchObject({ failures: 0, last_error: null });
  });

  it('marks a revoked grant (invalid_grant, OAuthException 190) as needing reconnection and stops fetching it', async () => {
    fake.revokeAll();
    await makeDue(id(1), 'youtube');
    await makeDue(id(4), 'instagram');
    await sub.services.connectionRefresher.round();
    for (const [creatorId, platform] of [
      [id(1), 'youtube'],
      [id(4), 'instagram'],
    ]) {
      const row = await connection(creatorId, platform);
      expect(row).toMatchObject({ status: 'needs_reconnect', access_token: null, refresh_token: null });
    }
    expect((await connection(id(1), 'youtube')).last_error).toMatch(/invalid_grant/);
    expect((await connection(id(4), 'instagram')).last_error).toMatch(/OAuthException 190/);
    const mine = await sub.query<{ myPlatformConnections: { platform: string; status: string }[] }>(
      `{ myPlatformConnections { platform status } }`,
      {},
      tess,
    );
    expect(mine.data!.myPlatformConnections).toEqual([{ platform: 'YOUTUBE', status: 'NEEDS_RECONNECT' }]);
    const calls = fake.requests.length;
    await makeDue(id(1), 'youtube');
    expect(await sub.services.connectionRefresher.round()).toBe(0);
    expect(fake.requests.length).toBe(calls);
    // Connecting again makes it active.
    fake.channel = tessChannel;
    const again = await connect(tess, 'YOUTUBE');
    expect(again.data!.completePlatformConnection.status).toBe('ACTIVE');
  });

  it('disconnects: tokens deleted, last fetched figures kept, saves allowed again', async () => {
    const r = await sub.query(`mutation { disconnectPlatform(platform: YOUTUBE) }`, {}, tess);
    expect(r.data).toEqual({ disconnectPlatform: true });
    expect(await connection(id(1), 'youtube')).toBeUndefined();
    const kept = await sub.query<{ creator: { accounts: { provenance: string; fetchedAt: string | null }[] } }>(
      ACCOUNTS,
      { id: id(1) },
      null,
    );
    expect(kept.data!.creator.accounts[0]).toMatchObject({ provenance: 'FETCHED' });
    expect(kept.data!.creator.accounts[0].fetchedAt).not.toBeNull();
    const again = await sub.query(`mutation { disconnectPlatform(platform: YOUTUBE) }`, {}, tess);
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const typed = await sub.query(SAVE_ACCOUNT, { input: { platform: 'YOUTUBE', handle: 'trailtessvideos', followers: 50_000 } }, tess);
    expect(typed.errors).toBeUndefined();
    const read = await sub.query<{ creator: { accounts: { provenance: string; fetchedAt: string | null }[] } }>(
      ACCOUNTS,
      { id: id(1) },
      null,
    );
    expect(read.data!.creator.accounts[0]).toMatchObject({ provenance: 'SELF_REPORTED', fetchedAt: null });
  });

  it('marks imported accounts IMPORTED and self-reported ones SELF_REPORTED', async () => {
    const summary = await importCreators(
      Readable.from([
        JSON.stringify({
          handle: 'imported.ian',
          displayName: 'Ian',
          niches: ['food'],
          accounts: [{ platform: 'tiktok', handle: 'ian.eats', followers: 1200 }],
        }) + '\n',
      ]),
      'ndjson',
      { databaseUrl: sub.config.databaseUrl },
    );
    expect(summary.errors).toEqual([]);
    const rows = await sub.runtime.dataSource.query(
      `SELECT c.handle, p.provenance, p.fetched_at FROM platform_accounts p JOIN creators c ON c.id = p.creator_id WHERE c.handle IN ('imported.ian', 'kai.climbs') ORDER BY c.handle`,
    );
    expect(rows).toEqual([
      { handle: 'imported.ian', provenance: 'imported', fetched_at: null },
      { handle: 'kai.climbs', provenance: 'fetched', fetched_at: expect.any(Date) },
    ]);
  });
});
