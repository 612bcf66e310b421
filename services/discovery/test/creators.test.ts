import { identities, startTestSubgraph, TestSubgraph, eventually } from '@influenceflow/kit/testing';
import { discoverySubgraph } from '../src/schema';

const SAVE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id handle displayName niches country followers tier } }`;
const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id followers tier } }`;
const profile = (overrides: Record<string, unknown> = {}) => ({
  handle: 'trail.tess',
  displayName: 'Tess',
  bio: 'hikes',
  niches: ['outdoors'],
  country: 'US',
  ...overrides,
});
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('creator profiles', () => {
  let sub: TestSubgraph;
  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
  });
  afterAll(() => sub?.close());

  it('lets a creator save their own profile, readable by anyone', async () => {
    const saved = await sub.query(SAVE, { input: profile() }, identities.creator(id(1)));
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.saveMyCreatorProfile).toEqual({
      id: id(1),
      handle: 'trail.tess',
      displayName: 'Tess',
      niches: ['outdoors'],
      country: 'US',
      followers: 0,
      tier: 'NANO',
    });
    const account = await sub.query(
      ACCOUNT,
      { input: { platform: 'INSTAGRAM', handle: 'trail.tess', followers: 15_000, engagementRate: 5 } },
      identities.creator(id(1)),
    );
    expect(account.errors).toBeUndefined();
    const read = await sub.query(`query($id: ID!) { creator(id: $id) { handle followers tier platforms } }`, { id: id(1) }, null);
    expect(read.data).toEqual({ creator: { handle: 'trail.tess', followers: 15_000, tier: 'MICRO', platforms: ['INSTAGRAM'] } });
  });

  it('publishes creator.created once, then creator.stats-updated and authenticity.scored when stats change', async () => {
    await sub.query(SAVE, { input: profile({ bio: 'hikes and climbs' }) }, identities.creator(id(1)));
    const events = await eventually(
      async () => {
        const rows: { type: string; sent_at: Date | null }[] = await sub.runtime.dataSource.query(
          `SELECT type, sent_at FROM outbox WHERE key = $1 ORDER BY seq`,
          [id(1)],
        );
        return rows.every((r) => r.sent_at) && rows.length === 3 ? rows : undefined;
      },
      20_000,
      'the events to be published',
    );
    // The second profile save changed no stats, so it published nothing.
    expect(events.map((e) => e.type)).toEqual(['creator.created', 'authenticity.scored', 'creator.stats-updated']);
  });

  it('refuses callers who are not that creator', async () => {
    const anonymous = await sub.query(SAVE, { input: profile({ handle: 'anon' }) }, null);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const brand = await sub.query(SAVE, { input: profile({ handle: 'brandy' }) }, identities.brandMember(id(99)));
    expect(brand.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses bad input with the field, and a taken handle with CONFLICT, writing nothing', async () => {
    const before = (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM creators`))[0].n;
    const badCountry = await sub.query(SAVE, { input: profile({ handle: 'x.y', country: 'XX' }) }, identities.creator(id(2)));
    expect(badCountry.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.country' });
    const badHandle = await sub.query(SAVE, { input: profile({ handle: 'No Spaces!' }) }, identities.creator(id(2)));
    expect(badHandle.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.handle' });
    const tooMany = await sub.query(
      SAVE,
      { input: profile({ handle: 'many', niches: ['a1', 'b1', 'c1', 'd1', 'e1', 'f1'] }) },
      identities.creator(id(2)),
    );
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.niches' });
    const taken = await sub.query(SAVE, { input: profile() }, identities.creator(id(2)));
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.handle' });
    expect((await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM creators`))[0].n).toBe(before);
  });

  it('saves a profile as a partial update: left out keeps, null clears, and a new handle is announced', async () => {
    const me = identities.creator(id(40));
    const FULL = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) {
      handle displayName bio niches contentStyles languages country city markets } }`;
    type Profile = Record<string, unknown>;
    const save = (input: Record<string, unknown>) => sub.query<{ saveMyCreatorProfile: Profile }>(FULL, { input }, me);
    const first = await save({
      handle: 'partial.pia',
      displayName: 'Pia',
      bio: 'Sea kayaking',
      niches: ['outdoors'],
      contentStyles: ['vlog'],
      languages: ['sv', 'en'],
      country: 'SE',
      city: 'Gothenburg',
      markets: ['NO'],
    });
    expect(first.errors).toBeUndefined();
    const onlyBio = await save({ bio: 'Sea kayaking and wild swimming' });
    expect(onlyBio.errors).toBeUndefined();
    expect(onlyBio.data!.saveMyCreatorProfile).toEqual({ ...first.data!.saveMyCreatorProfile, bio: 'Sea kayaking and wild swimming' });
    const cleared = await save({ city: null, contentStyles: null, markets: [] });
    expect(cleared.data!.saveMyCreatorProfile).toMatchObject({ city: null, contentStyles: [], markets: [], languages: ['sv', 'en'], country: 'SE' });
    // A profile always has a handle, a name and niches.
    const wiped = await save({ handle: null, niches: null });
    expect(wiped.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.handle' });
    expect((wiped.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toEqual(['input.handle', 'input.niches']);

    const events = async () =>
      (await sub.runtime.dataSource.query(`SELECT type, envelope FROM outbox WHERE key = $1 ORDER BY seq`, [id(40)])) as {
        type: string;
        envelope: { data: Record<string, unknown> };
      }[];
    expect((await events()).filter((e) => e.type === 'creator.profile-updated')).toEqual([]); // bio and city are not copied
    expect((await save({ handle: '@Pia.Paddles' })).errors?.[0].extensions).toMatchObject({ field: 'input.handle' }); // "@" is not part of a handle
    expect((await save({ handle: 'pia.paddles' })).data!.saveMyCreatorProfile.handle).toBe('pia.paddles');
    const renamed = (await events()).filter((e) => e.type === 'creator.profile-updated');
    expect(renamed.map((e) => e.envelope.data)).toEqual([
      { creatorId: id(40), handle: 'pia.paddles', displayName: 'Pia', country: 'SE', niches: ['outdoors'] },
    ]);
  });

  it('needs a handle, a name and niches in the first save', async () => {
    const r = await sub.query(SAVE, { input: { bio: 'just a bio' } }, identities.creator(id(41)));
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.handle' });
    expect((r.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'input.handle',
      'input.displayName',
      'input.niches',
    ]);
    expect((await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM creators WHERE id = $1`, [id(41)]))[0].n).toBe(0);
  });

  it('pages through every creator exactly once', async () => {
    for (let n = 10; n < 17; n++) {
      const r = await sub.query(SAVE, { input: profile({ handle: `creator${n}` }) }, identities.creator(id(n)));
      expect(r.errors).toBeUndefined();
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        data?: { creators: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } | null;
      } = await sub.query(
        `query($after: String) { creators(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...page.data!.creators.edges.map((e) => e.node.id));
      if (!page.data!.creators.pageInfo.hasNextPage) break;
      after = page.data!.creators.pageInfo.endCursor;
    }
    const total = (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM creators`))[0].n;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('resolves entity references in one batch', async () => {
    const r = await sub.query<{ _entities: ({ handle: string } | null)[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Creator { handle } } }`,
      {
        reps: [
          { __typename: 'Creator', id: id(1) },
          { __typename: 'Creator', id: id(404) },
        ],
      },
    );
    expect(r.data!._entities).toEqual([{ handle: 'trail.tess' }, null]);
  });
});
