import { connectorSchema, FakePlatforms } from '@influenceflow/discovery';
import { startTestStack, TestStack } from '../../src/testing/stack';

/**
 * Connecting a YouTube channel end to end, as a web client does it: the creator (a real token through the
 * gateway) starts a connection, is sent to the platform's consent page (a local server answering as
 * Google does), comes back to the operator's redirect page with code and state, and completes it.
 */
describe('connecting a platform account through the gateway', () => {
  let stack: TestStack;
  let fake: FakePlatforms;
  let tessToken: string;
  let kaiToken: string;
  const tessId = '00000000-0000-4000-8000-0000000c0001';
  const kaiId = '00000000-0000-4000-8000-0000000c0002';
  const START = `mutation { startPlatformConnection(platform: YOUTUBE) { authorizationUrl state } }`;
  const COMPLETE = `mutation($input: CompleteConnectionInput!) {
    completePlatformConnection(input: $input) { platform status account { handle followers provenance fetchedAt } }
  }`;

  beforeAll(async () => {
    fake = await new FakePlatforms().start();
    fake.videos = [
      {
        id: 'vid1',
        publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
        title: 'Ridge walk #hiking',
        duration: 'PT8M',
        viewCount: '30000',
        likeCount: '2100',
        commentCount: '80',
      },
    ];
    const settings = connectorSchema.parse({ ...fake.env('https://app.example/connected'), CONNECTOR_POLL_MS: '3600000' });
    stack = await startTestStack({ subgraphs: { settings } });
    tessToken = await stack.token({ sub: 'tess', roles: ['creator'], creatorId: tessId });
    kaiToken = await stack.token({ sub: 'kai', roles: ['creator'], creatorId: kaiId });
    for (const [token, handle] of [
      [tessToken, 'trail.tess'],
      [kaiToken, 'kai.climbs'],
    ]) {
      const saved = await stack.query(
        `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`,
        { input: { handle, displayName: handle, niches: ['outdoors'], country: 'US' } },
        token,
      );
      expect(saved.errors).toBeUndefined();
    }
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await fake?.stop();
  });

  it('connects, fetches the figures at once and shows them as FETCHED to everyone, never a token', async () => {
    const started = await stack.query<{ startPlatformConnection: { authorizationUrl: string; state: string } }>(START, {}, tessToken);
    expect(started.errors).toBeUndefined();
    const back = await fake.consent(started.data!.startPlatformConnection.authorizationUrl);
    expect(back.get('state')).toBe(started.data!.startPlatformConnection.state);

    // Kai cannot complete Tess's connection with what came back to Tess's browser.
    const stolen = await stack.query(COMPLETE, { input: { state: back.get('state'), code: back.get('code') } }, kaiToken);
    expect(stolen.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.state' });

    const done = await stack.query<{
      completePlatformConnection: { status: string; account: { handle: string; followers: number; provenance: string } };
    }>(COMPLETE, { input: { state: back.get('state'), code: back.get('code') } }, tessToken);
    expect(done.errors).toBeUndefined();
    expect(done.data!.completePlatformConnection).toMatchObject({
      status: 'ACTIVE',
      account: { handle: 'trailtessvideos', followers: 48_210, provenance: 'FETCHED' },
    });
    const replay = await stack.query(COMPLETE, { input: { state: back.get('state'), code: back.get('code') } }, tessToken);
    expect(replay.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.state' });

    const brand = await stack.token({ sub: 'alice', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0001'] });
    const seen = await stack.query<{ creator: { followers: number; accounts: { provenance: string; fetchedAt: string | null }[] } }>(
      `query($id: ID!) { creator(id: $id) { followers accounts { provenance fetchedAt } } }`,
      { id: tessId },
      brand,
    );
    expect(seen.data!.creator.followers).toBe(48_210);
    expect(seen.data!.creator.accounts).toEqual([{ provenance: 'FETCHED', fetchedAt: expect.any(String) }]);
    const mine = await stack.query(`{ myPlatformConnections { platform status lastFetchedAt account { handle } } }`, {}, tessToken);
    expect(JSON.stringify(mine)).not.toMatch(/ya29\.|1\/\/0g/);
    for (const token of fake.issued) expect(JSON.stringify([done, mine, seen])).not.toContain(token);
    const brandConnections = await stack.query(`{ myPlatformConnections { platform } }`, {}, brand);
    expect(brandConnections.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a denied consent with a clear error through the gateway', async () => {
    const started = await stack.query<{ startPlatformConnection: { authorizationUrl: string } }>(START, {}, kaiToken);
    const back = await fake.consent(started.data!.startPlatformConnection.authorizationUrl, true);
    const denied = await stack.query(COMPLETE, { input: { state: back.get('state'), error: back.get('error') } }, kaiToken);
    expect(denied.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.error' });
    expect(denied.errors?.[0].message).toMatch(/YouTube did not grant access \(access_denied\): nothing was connected/);
    const kai = await stack.query<{ creator: { accounts: unknown[] } }>(
      `query($id: ID!) { creator(id: $id) { accounts { platform } } }`,
      { id: kaiId },
      kaiToken,
    );
    expect(kai.data!.creator.accounts).toEqual([]);
  });
});
