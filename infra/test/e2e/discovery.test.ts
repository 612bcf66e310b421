import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { saveCreator } from './support';

/** Discovery end to end: creators keep their stats, a brand searches and vets them, the media kit is public. */
describe('discovery through the gateway', () => {
  let stack: TestStack;
  let brandToken: string;
  const creators = [
    { id: '00000000-0000-4000-8000-0000000d1001', handle: 'trail.tess', niches: ['outdoors'], followers: 15_000, rate: 5 },
    { id: '00000000-0000-4000-8000-0000000d1002', handle: 'peak.pete', niches: ['outdoors', 'travel'], followers: 42_000, rate: 3.1 },
    { id: '00000000-0000-4000-8000-0000000d1003', handle: 'bakery.bea', niches: ['food'], followers: 22_000, rate: 7 },
  ];

  beforeAll(async () => {
    stack = await startTestStack();
    brandToken = await stack.token({ sub: 'alice', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0001'] });
    for (const c of creators) {
      const token = await stack.token({ sub: c.handle, roles: ['creator'], creatorId: c.id });
      await saveCreator(
        stack,
        token,
        { handle: c.handle, displayName: c.handle, niches: c.niches, country: 'US', bio: `${c.niches.join(' ')} stories` },
        {
          handle: c.handle,
          followers: c.followers,
          engagementRate: c.rate,
          audience: { countries: [{ country: 'US', percent: 70 }], ages: [{ ageBucket: 'AGE_25_34', percent: 50 }], interests: c.niches },
        },
      );
    }
    const tess = await stack.token({ sub: 'trail.tess', roles: ['creator'], creatorId: creators[0].id });
    const priced = await stack.query(
      `mutation { setRateCardEntry(input: { platform: INSTAGRAM, format: REEL, price: { amountMinor: 40000, currency: "USD" } }) { id } }`,
      {},
      tess,
    );
    expect(priced.errors).toBeUndefined();
    const kit = await stack.query(
      `mutation { setMyMediaKit(input: { published: true, sections: [STATS, RATES] }) { published } }`,
      {},
      tess,
    );
    expect(kit.errors).toBeUndefined();
  }, 120_000);
  afterAll(() => stack?.close());

  it('lets a brand search, sort by audience match and see each result with price guidance and the rate card from payments', async () => {
    const r = await stack.query<{
      searchCreators: {
        totalCount: number;
        facets: { niches: { value: string; count: number }[] };
        edges: {
          audienceMatch: { score: number };
          node: { handle: string; priceGuidance: { engagedFollowers: number }; rateCard: { price: { formatted: string } }[] };
        }[];
      };
    }>(
      `query($filter: CreatorSearchFilter, $target: AudienceTargetInput) {
        searchCreators(filter: $filter, sort: AUDIENCE_MATCH, target: $target, first: 10) {
          totalCount facets { niches { value count } }
          edges { audienceMatch { score } node { handle priceGuidance { engagedFollowers } rateCard { price { formatted } } } }
        }
      }`,
      { filter: { niches: ['outdoors'], tiers: ['MICRO'] }, target: { countries: ['US'], interests: ['travel'] } },
      brandToken,
    );
    expect(r.errors).toBeUndefined();
    const result = r.data!.searchCreators;
    expect(result.totalCount).toBe(2);
    expect(result.facets.niches).toEqual([
      { value: 'outdoors', count: 2 },
      { value: 'travel', count: 1 },
    ]);
    // peak.pete's audience shares the "travel" interest, so he fits the target better.
    expect(result.edges.map((e) => e.node.handle)).toEqual(['peak.pete', 'trail.tess']);
    expect(result.edges[0].audienceMatch.score).toBeGreaterThan(result.edges[1].audienceMatch.score);
    expect(result.edges[1].node.priceGuidance.engagedFollowers).toBe(750);
    expect(result.edges[1].node.rateCard).toEqual([{ price: { formatted: '$400.00' } }]);
  });

  it('serves the published media kit as a shareable page and as JSON, and 404 for one not published', async () => {
    const base = stack.gateway.url.replace(/\/graphql$/, '');
    const json = await eventually(
      async () => {
        const res = await fetch(`${base}/media-kits/trail.tess.json`);
        const body = (await res.json()) as { rates: unknown[] | null; stats: { followers: number } };
        // The rate card reaches discovery through payments' event.
        return res.status === 200 && body.rates?.length ? body : undefined;
      },
      30_000,
      'the rate card to reach the media kit',
    );
    expect(json.stats.followers).toBe(15_000);
    expect(json).toMatchObject({ audience: null, bestPosts: null, rates: [{ format: 'REEL', price: { formatted: '$400.00' } }] });

    const page = await fetch(`${base}/media-kits/trail.tess`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('15,000');
    expect(html).toContain('$400.00');

    const hidden = await fetch(`${base}/media-kits/peak.pete`);
    expect(hidden.status).toBe(404);
    const hiddenJson = await fetch(`${base}/media-kits/peak.pete.json`);
    expect(hiddenJson.status).toBe(404);
    expect(await hiddenJson.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No published media kit with this handle' } });
  });

  it('refuses a creator editing stats without a token, and bad search input with the field', async () => {
    const anonymous = await stack.query(
      `mutation { saveMyPlatformAccount(input: { platform: TIKTOK, handle: "x", followers: 10 }) { id } }`,
    );
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await stack.query(`{ searchCreators(filter: { engagementRate: { min: 120 } }) { edges { cursor } } }`, {}, brandToken);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.engagementRate.min' });
  });

  it('shows a brand what decided an authenticity score and how sure it is, and discounts the price guidance of a fraudulent account', async () => {
    /** 12 posts of `engagements` each with 10 sampled comments, `stock` of them stock praise or spam. */
    const figures = (followers: number, engagements: number, stock: number, noPicture: number, spike: number) => ({
      followers,
      posts: Array.from({ length: 12 }, (_, i) => ({
        postedAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(),
        format: 'REEL',
        likes: engagements - 60,
        comments: 60,
        commentSamples: Array.from({ length: 10 }, (_, j) => ({
          author: `viewer_${i}_${j}`,
          text:
            j < stock
              ? ['Nice pic!', 'Check my bio 💰', 'keren banget', '🔥🔥'][j % 4]
              : `Which gym is this, ${i}.${j}? The rack looks new`,
        })),
      })),
      audience: { countries: [{ country: 'US', percent: 80 }], noProfilePicturePercent: noPicture },
      // weekly counts growing 1 % a week; `spike` is the share bought in the week before the last
      followerHistory: [0, 1, 2, 3, 4, 5].map((w) => ({
        date: new Date(Date.UTC(2026, 8, 1 + w * 7)).toISOString().slice(0, 10),
        followers: Math.round(followers / 1.01 ** (5 - w) / (w < 5 ? 1 + spike : 1)),
      })),
    });
    const people = [
      { id: '00000000-0000-4000-8000-0000000d1011', handle: 'genuine.gus', account: figures(20_000, 1_000, 1, 5, 0) },
      { id: '00000000-0000-4000-8000-0000000d1012', handle: 'bought.bea', account: figures(20_000, 300, 6, 40, 0.5) },
    ];
    for (const p of people) {
      const token = await stack.token({ sub: p.handle, roles: ['creator'], creatorId: p.id });
      await saveCreator(
        stack,
        token,
        { handle: p.handle, displayName: p.handle, niches: ['fitness'], country: 'US' },
        { handle: p.handle, ...p.account },
      );
    }
    const query = `query($id: ID!) { creator(id: $id) {
      authenticity { score modelVersion decidedBy verdict confidence { level value reasons } signals { key decisive factor } }
      priceGuidance { engagedFollowers high { amountMinor } authenticityDiscount { factor authenticityScore reason } }
    } }`;
    type Vetted = {
      creator: {
        authenticity: {
          score: number;
          modelVersion: string;
          decidedBy: string[];
          verdict: string;
          confidence: { level: string; value: number; reasons: string[] };
        } | null;
        priceGuidance: {
          engagedFollowers: number;
          high: { amountMinor: number };
          authenticityDiscount: { factor: number; authenticityScore: number; reason: string };
        };
      };
    };
    const [gus, bea] = await Promise.all(people.map((p) => stack.query<Vetted>(query, { id: p.id }, brandToken)));
    expect(gus.errors).toBeUndefined();
    expect(bea.errors).toBeUndefined();
    const genuine = gus.data!.creator;
    const fraud = bea.data!.creator;
    expect(genuine.authenticity).toMatchObject({ modelVersion: 'authenticity-v2', decidedBy: [], confidence: { level: 'HIGH' } });
    expect(genuine.authenticity!.score).toBeGreaterThanOrEqual(80);
    expect(genuine.authenticity!.confidence.reasons).toEqual([
      'the figures are self-reported by the creator, not fetched from the platform',
    ]);
    expect(genuine.priceGuidance).toMatchObject({
      engagedFollowers: 1_000,
      high: { amountMinor: 100_000 },
      authenticityDiscount: { factor: 1 },
    });
    // bought followers: a +50 % week, engagement far under the band, 40 % without a picture, stock comments
    expect(fraud.authenticity!.score).toBeLessThan(50);
    expect(fraud.authenticity!.decidedBy).toEqual(
      expect.arrayContaining(['follower_spikes', 'engagement_rate', 'no_profile_picture', 'generic_comments']),
    );
    expect(fraud.authenticity!.verdict).toMatch(/^Strong signs of fakery: /);
    const discount = fraud.priceGuidance.authenticityDiscount;
    expect(discount.authenticityScore).toBe(fraud.authenticity!.score);
    expect(discount.factor).toBeLessThan(0.5);
    expect(discount.reason).toMatch(/is below 80: the guidance is multiplied by/);
    expect(fraud.priceGuidance.high.amountMinor).toBe(Math.round(300 * 100 * discount.factor));

    // Anyone may see the price guidance; the report itself only brands, analysts and the creator
    const anonymous = await stack.query<Vetted>(query, { id: people[1].id });
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data!.creator.authenticity).toBeNull();
    const other = await stack.token({ sub: 'genuine.gus', roles: ['creator'], creatorId: people[0].id });
    expect((await stack.query<Vetted>(query, { id: people[1].id }, other)).data!.creator.authenticity).toBeNull();
  });
});
