import { startTestStack, TestStack } from '../../src/testing/stack';
import { saveCreator } from './support';

/**
 * Who sees audiences, end to end with real tokens (docs/discovery.md, "Who sees what"): a brand member
 * sees the audience match, searches by audience and sees lookalikes compared by audience; an anonymous
 * caller and another creator see none of it; the creator sees their own match. A media kit shows the
 * audience its creator chose to publish, to anyone.
 */
describe('audience visibility through the gateway', () => {
  let stack: TestStack;
  const tess = { id: '00000000-0000-4000-8000-0000000e1001', handle: 'trail.tess' };
  const rita = { id: '00000000-0000-4000-8000-0000000e1002', handle: 'ridge.rita' };
  const tokens: Record<'brand' | 'tess' | 'rita', string> = { brand: '', tess: '', rita: '' };

  const MATCH = `query($id: ID!) { creator(id: $id) {
    audienceMatch(target: { countries: ["US"] }) { score parts { explanation } }
    lookalikes(first: 5) { creator { handle } reasons parts { audience } }
  } }`;
  type Match = {
    creator: {
      audienceMatch: { score: number; parts: { explanation: string }[] } | null;
      lookalikes: { creator: { handle: string }; reasons: string[]; parts: { audience: number } }[];
    };
  };
  const BY_AUDIENCE = `{ searchCreators(filter: { keywords: "trail.tess", audienceCountries: [{ country: "US", minShare: 0.6 }] }) { edges { node { handle } } } }`;

  beforeAll(async () => {
    stack = await startTestStack();
    tokens.brand = await stack.token({ sub: 'alice', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0001'] });
    for (const [c, us, young] of [
      [tess, 0.7, 0.5],
      [rita, 0.6, 0.4],
    ] as const) {
      const token = await stack.token({ sub: c.handle, roles: ['creator'], creatorId: c.id });
      tokens[c === tess ? 'tess' : 'rita'] = token;
      await saveCreator(
        stack,
        token,
        { handle: c.handle, displayName: c.handle, niches: ['outdoors'], country: 'US' },
        {
          handle: c.handle,
          followers: c === tess ? 15_000 : 17_000,
          engagementRate: 4,
          audience: { countries: [{ key: 'US', share: us }], ages: [{ key: '25-34', share: young }] },
        },
      );
    }
    const kit = await stack.query(
      `mutation { setMyMediaKit(input: { published: true, sections: [AUDIENCE] }) { published } }`,
      {},
      tokens.tess,
    );
    expect(kit.errors).toBeUndefined();
  }, 120_000);
  afterAll(() => stack?.close());

  it('shows a brand member the audience match, audience search and lookalikes compared by audience', async () => {
    const r = await stack.query<Match>(MATCH, { id: tess.id }, tokens.brand);
    expect(r.errors).toBeUndefined();
    expect(r.data!.creator.audienceMatch).toEqual({ score: 70, parts: [{ explanation: '70.00 % of the audience is in US.' }] });
    const [lookalike] = r.data!.creator.lookalikes;
    expect(lookalike.creator.handle).toBe(rita.handle);
    // countries 1 − ½ × .1 = .95, ages the same
    expect(lookalike.reasons).toContain('audience 95 % alike (mostly US)');
    expect(lookalike.parts.audience).toBeCloseTo(0.95, 5);

    const found = await stack.query<{ searchCreators: { edges: { node: { handle: string } }[] } }>(BY_AUDIENCE, {}, tokens.brand);
    expect(found.errors).toBeUndefined();
    expect(found.data!.searchCreators.edges).toEqual([{ node: { handle: tess.handle } }]);
  });

  it.each([
    ['an anonymous caller', undefined],
    ['another creator', 'rita'],
  ] as const)('shows %s no audience: match null, audience search FORBIDDEN, lookalikes without audiences', async (_who, who) => {
    const token = who && tokens[who];
    const r = await stack.query<Match>(MATCH, { id: tess.id }, token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.creator.audienceMatch).toBeNull();
    const [lookalike] = r.data!.creator.lookalikes;
    expect(lookalike.creator.handle).toBe(rita.handle);
    expect(lookalike.parts.audience).toBe(0.5);
    expect(lookalike.reasons.join(' | ')).not.toMatch(/audience|US/);

    const found = await stack.query(BY_AUDIENCE, {}, token);
    expect(found.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.audienceCountries' });
    const ranked = await stack.query(
      `{ searchCreators(sort: AUDIENCE_MATCH, target: { countries: ["US"] }) { edges { cursor } } }`,
      {},
      token,
    );
    expect(ranked.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'sort' });
  });

  it('shows the creator their own audience match, but not an audience search over everyone', async () => {
    const own = await stack.query<Match>(MATCH, { id: tess.id }, tokens.tess);
    expect(own.errors).toBeUndefined();
    expect(own.data!.creator.audienceMatch).toEqual({ score: 70, parts: [{ explanation: '70.00 % of the audience is in US.' }] });
    // Rita's audience is not hers to see, so it is not compared.
    expect(own.data!.creator.lookalikes[0].parts.audience).toBe(0.5);

    const others = await stack.query<Match>(MATCH, { id: rita.id }, tokens.tess);
    expect(others.data!.creator.audienceMatch).toBeNull();
    const found = await stack.query(BY_AUDIENCE, {}, tokens.tess);
    expect(found.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.audienceCountries' });
  });

  it('still shows anyone the audience a creator published in their media kit', async () => {
    const r = await stack.query<{ mediaKit: { audience: { countries: { key: string; share: number }[] } | null } }>(
      `{ mediaKit(handle: "trail.tess") { audience { countries { key share } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.mediaKit.audience).toEqual({ countries: [{ key: 'US', share: 0.7 }] });
  });
});
