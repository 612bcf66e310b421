import { createEvent } from '@influenceflow/kit';
import { RateCardUpdatedData, TOPICS } from '@influenceflow/vocabulary';
import {
  eventually,
  identities,
  publishRawEvent,
  startTestSubgraph,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { discoverySubgraph } from '../src/schema';

/** Responses are checked field by field below; their static type adds nothing. */
type Json = ReturnType<typeof JSON.parse>;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id followers tier engagement { byFollowers byReach band postsCounted } } }`;

/**
 * 12 posts of 750 engagements each (640 likes, 60 comments, 50 shares: 10.7 likes per comment, inside the
 * norm; 6 per comment would be a strong sign of comment bots), reach 10,000.
 */
function posts(n = 12, overrides: Record<string, unknown> = {}) {
  return Array.from({ length: n }, (_, i) => ({
    postedAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(),
    format: 'REEL',
    likes: 640,
    comments: 60,
    shares: 50,
    reach: 10_000,
    caption: `trail day ${i}`,
    hashtags: ['#trailrun'],
    commentSamples: [
      { author: `fan${i}`, text: 'Which shoes are those? They look great for mud' },
      { author: `hiker${i}`, text: 'Been to that ridge last summer, the view is unreal' },
    ],
    ...overrides,
  }));
}

const tess = identities.creator(id(1));
const tessAccount = {
  platform: 'INSTAGRAM',
  handle: '@Trail.Tess',
  followers: 15_000,
  following: 300,
  postCount: 420,
  posts: posts(),
  audience: {
    ages: [
      { ageBucket: 'AGE_18_24', percent: 40 },
      { ageBucket: 'AGE_25_34', percent: 45 },
    ],
    genders: [
      { gender: 'FEMALE', percent: 60 },
      { gender: 'MALE', percent: 40 },
    ],
    countries: [
      { country: 'US', percent: 70 },
      { country: 'CA', percent: 15 },
    ],
    interests: ['hiking', 'running'],
    noProfilePicturePercent: 5,
  },
  followerHistory: [
    { date: '2026-09-01', followers: 14_200 },
    { date: '2026-10-01', followers: 14_600 },
    { date: '2026-11-01', followers: 15_000 },
  ],
};

const ok = <T>(r: { data?: T | null; errors?: unknown }): T => {
  expect(r.errors).toBeUndefined();
  return r.data!;
};

describe('platform accounts, authenticity, price guidance, lookalikes and media kits', () => {
  let sub: TestSubgraph;
  const count = async (table: string) => (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
    const saved = await sub.query(
      PROFILE,
      { input: { handle: 'trail.tess', displayName: 'Tess', niches: ['outdoors', 'running'], country: 'US' } },
      tess,
    );
    expect(saved.errors).toBeUndefined();
  });
  afterAll(() => sub?.close());

  it('computes engagement from the last 12 posts: 15,000 followers at 5 %', async () => {
    const r = await sub.query<{ saveMyPlatformAccount: Record<string, unknown> }>(ACCOUNT, { input: tessAccount }, tess);
    expect(r.errors).toBeUndefined();
    expect(r.data!.saveMyPlatformAccount).toMatchObject({
      followers: 15_000,
      tier: 'MICRO',
      // (750 × 12 ÷ 12) ÷ 15,000 × 100 = 5 %; by reach 9,000 ÷ 120,000 × 100 = 7.5 %
      engagement: { byFollowers: 5, byReach: 7.5, band: 'HEALTHY', postsCounted: 12 },
    });
  });

  it('shows a brand the creator with a full authenticity report and price guidance, and hides details from anonymous callers', async () => {
    const query = `query($id: ID!) { creator(id: $id) {
      followers engagementRate platforms
      priceGuidance { engagedFollowers low { amountMinor } high { amountMinor } typicalLow { formatted } typicalHigh { formatted }
        authenticityDiscount { factor authenticityScore reason } }
      authenticity { score modelVersion measuredWeight decidedBy verdict evidenceScore confidence { level value reasons }
        signals { key measured weight risk strength factor cap decisive explanation } }
      accounts { handle audience { countries { key share } } recentPosts(first: 2) { engagements engagementRate } followerHistory { date followers } }
    } }`;
    const brand = await sub.query<{ creator: Json }>(query, { id: id(1) }, identities.brandMember(id(900)));
    expect(brand.errors).toBeUndefined();
    const c = brand.data!.creator;
    expect(c).toMatchObject({ followers: 15_000, engagementRate: 5, platforms: ['INSTAGRAM'] });
    const report = c.authenticity;
    // 750 engaged followers × $0.10 … × $1.00, not discounted: the account looks genuine (≥ 80)
    expect(c.priceGuidance).toEqual({
      engagedFollowers: 750,
      low: { amountMinor: 7_500 },
      high: { amountMinor: 75_000 },
      typicalLow: { formatted: '$500.00' },
      typicalHigh: { formatted: '$2,000.00' },
      authenticityDiscount: {
        factor: 1,
        authenticityScore: report.score,
        reason: `Authenticity ${report.score}/100 is at least 80: no discount.`,
      },
    });
    expect(report.modelVersion).toBe('authenticity-v2');
    expect(report.score).toBeGreaterThanOrEqual(80);
    expect(report.signals.length).toBeGreaterThanOrEqual(7);
    // Every signal inside its norm; self-reported figures, 24 sampled comments, 3 history points: MEDIUM, not full
    expect(report.decidedBy).toEqual([]);
    expect(report.evidenceScore).toBe(100);
    expect(report.confidence.level).toBe('MEDIUM');
    expect(report.confidence.reasons).toEqual([
      'only 24 sampled comments (60 are a full sample)',
      'only 2 follower-history intervals (4 are a full sample)',
      'the figures are self-reported by the creator, not fetched from the platform',
    ]);
    expect(report.score).toBe(Math.round(50 + report.confidence.value * 50));
    expect(report.verdict).toMatch(/^No measured signal is outside its norm/);
    for (const signal of report.signals) {
      expect(signal.explanation.length).toBeGreaterThan(10);
      expect(signal).toMatchObject({ decisive: false, factor: 1 });
    }
    expect(c.accounts[0].handle).toBe('trail.tess');
    expect(c.accounts[0].audience.countries[0]).toEqual({ key: 'US', share: 0.7 });
    expect(c.accounts[0].recentPosts).toEqual([
      { engagements: 750, engagementRate: 5 },
      { engagements: 750, engagementRate: 5 },
    ]);
    expect(c.accounts[0].followerHistory.map((p: { date: string }) => p.date)).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);

    const anonymous = await sub.query<{ creator: Json }>(query, { id: id(1) }, null);
    expect(anonymous.data!.creator.authenticity).toBeNull();
    expect(anonymous.data!.creator.accounts[0].audience).toBeNull();
    const otherCreator = await sub.query<{ creator: Json }>(query, { id: id(1) }, identities.creator(id(2)));
    expect(otherCreator.data!.creator.authenticity).toBeNull();
  });

  it('scores an account whose comments are mostly "Nice pic!" lower, keeps report history, and publishes authenticity.scored', async () => {
    const before = await sub.query<{ creator: { authenticity: { score: number } } }>(
      `query($id: ID!) { creator(id: $id) { authenticity { score } } }`,
      { id: id(1) },
      tess,
    );
    const generic = posts(12, {
      commentSamples: ['Nice pic!', 'Nice pic!!', '🔥🔥🔥', 'Love this', 'Nice pic!', 'Awesome'].map((text, i) => ({
        author: `bot${i}`,
        text,
      })),
    });
    const r = await sub.query(ACCOUNT, { input: { ...tessAccount, posts: generic } }, tess);
    expect(r.errors).toBeUndefined();
    const after = await sub.query<{
      creator: {
        authenticity: { score: number; decidedBy: string[]; verdict: string; signals: { key: string; risk: number; decisive: boolean }[] };
        accounts: { authenticityHistory: { score: number; modelVersion: string }[] }[];
        priceGuidance: { low: { amountMinor: number }; high: { amountMinor: number }; authenticityDiscount: Json };
      };
    }>(
      `query($id: ID!) { creator(id: $id) {
        authenticity { score decidedBy verdict signals { key risk decisive } }
        accounts { authenticityHistory { score modelVersion } }
        priceGuidance { low { amountMinor } high { amountMinor } authenticityDiscount { factor authenticityScore reason } }
      } }`,
      { id: id(1) },
      tess,
    );
    expect(after.errors).toBeUndefined();
    const report = after.data!.creator.authenticity;
    expect(report.score).toBeLessThan(before.data!.creator.authenticity.score);
    // 100 % stock praise by the same six bots on every post: two strong signs, which decide; their factors
    // (0.4 × 0.4) take the score below even their cap of 40 (v1 took 15 + 15 points off)
    expect(report.score).toBeLessThan(50);
    expect(report.decidedBy).toEqual(['generic_comments', 'engagement_pods']);
    expect(report.signals.find((s) => s.key === 'generic_comments')).toMatchObject({ risk: 1, decisive: true });
    expect(report.verdict).toMatch(
      /^Strong signs of fakery: Generic comments \(risk 1\.00\), Engagement pods \(risk 1\.00\); with every factor .* = 16\.0, below the cap of 40; /,
    );
    // and price guidance follows it down: 750 engaged followers × $0.10 … × $1.00 × the discount factor
    const discount = after.data!.creator.priceGuidance.authenticityDiscount;
    const factor = 1 - ((80 - report.score) / 60) * 0.9;
    expect(discount.factor).toBeCloseTo(factor, 9);
    expect(discount).toMatchObject({
      authenticityScore: report.score,
      reason: expect.stringMatching(/is below 80: the guidance is multiplied by/),
    });
    expect(after.data!.creator.priceGuidance.low.amountMinor).toBe(Math.round(7_500 * factor));
    expect(after.data!.creator.priceGuidance.high.amountMinor).toBe(Math.round(75_000 * factor));
    expect(after.data!.creator.priceGuidance.high.amountMinor).toBeLessThan(75_000 / 2);
    expect(after.data!.creator.accounts[0].authenticityHistory).toEqual([
      { score: report.score, modelVersion: 'authenticity-v2' },
      { score: before.data!.creator.authenticity.score, modelVersion: 'authenticity-v2' },
    ]);
    const events = await sub.runtime.dataSource.query(`SELECT type FROM outbox WHERE key = $1 AND type = 'authenticity.scored'`, [id(1)]);
    expect(events).toHaveLength(2);
  });

  it('refuses bad stats with the field named and writes nothing', async () => {
    const ben = identities.creator(id(2));
    await sub.query(PROFILE, { input: { handle: 'ben.bakes', displayName: 'Ben', niches: ['food'], country: 'GB' } }, ben);
    const tables = ['platform_accounts', 'authenticity_reports', 'outbox'];
    const before = await Promise.all(tables.map(count));
    const cases: [Record<string, unknown>, string][] = [
      [{ followers: -5 }, 'input.followers'],
      [{ followers: 3e12 }, 'input.followers'],
      [{ followers: 1.5 }, 'input.followers'],
      [{ posts: [], engagementRate: 150 }, 'input.engagementRate'],
      [{ posts: posts(1, { likes: -1 }) }, 'input.posts.0.likes'],
      [{ posts: posts(1, { postedAt: '2099-01-01T00:00:00Z' }) }, 'input.posts.0.postedAt'],
      [{ audience: { countries: [{ country: 'XX', percent: 50 }] } }, 'input.audience.countries.0.country'],
      [
        {
          audience: {
            countries: [
              { country: 'US', percent: 80 },
              { country: 'CA', percent: 50 },
            ],
          },
        },
        'input.audience.countries',
      ],
      [{ audience: { ages: [{ key: 'elderly', share: 0.5 }] } }, 'input.audience.ages.0.key'],
      [{ audience: { countries: [{ country: 'US', percent: 140 }] } }, 'input.audience.countries.0.percent'],
      [{ audience: { countries: [{ country: 'US', percent: 60, share: 0.6 }] } }, 'input.audience.countries.0.share'],
      [{ followerHistory: [{ date: 'yesterday', followers: 1 }] }, 'input.followerHistory.0.date'],
    ];
    for (const [overrides, field] of cases) {
      const r = await sub.query(ACCOUNT, { input: { ...tessAccount, ...overrides } }, tess);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const unknownPlatform = await sub.query(ACCOUNT, { input: { ...tessAccount, platform: 'MYSPACE' } }, tess);
    expect(unknownPlatform.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // Another creator claiming the same Instagram handle.
    const taken = await sub.query(ACCOUNT, { input: { ...tessAccount, handle: 'trail.tess' } }, ben);
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.handle' });
    // Without a profile there is nothing to attach an account to.
    const noProfile = await sub.query(ACCOUNT, { input: { ...tessAccount, handle: 'ghost' } }, identities.creator(id(3)));
    expect(noProfile.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // A brand cannot write a creator's stats.
    const brand = await sub.query(ACCOUNT, { input: tessAccount }, identities.brandMember(id(900)));
    expect(brand.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect(await Promise.all(tables.map(count))).toEqual(before);
  });

  it('finds lookalikes with their reasons', async () => {
    const make = async (n: number, handle: string, niches: string[], followers: number) => {
      const who = identities.creator(id(n));
      await sub.query(PROFILE, { input: { handle, displayName: handle, niches, country: 'US' } }, who);
      const r = await sub.query(ACCOUNT, { input: { ...tessAccount, handle, followers } }, who);
      expect(r.errors).toBeUndefined();
    };
    await make(10, 'ridge.runner', ['running', 'outdoors'], 18_000);
    await make(11, 'city.chef', ['food'], 15_000);
    await make(12, 'huge.hiker', ['outdoors'], 5_000_000);
    const r = await sub.query<{ creator: { lookalikes: { creator: { handle: string }; score: number; reasons: string[] }[] } }>(
      `query($id: ID!) { creator(id: $id) { lookalikes(first: 5) { creator { handle } score reasons parts { niche size } } } }`,
      { id: id(1) },
    );
    expect(r.errors).toBeUndefined();
    const found = r.data!.creator.lookalikes;
    // A different niche, or 300× the size, is no lookalike.
    expect(found.map((l) => l.creator.handle)).toEqual(['ridge.runner']);
    expect(found[0].score).toBeGreaterThan(70);
    expect(found[0].reasons.join(' ')).toMatch(/niche/);
  });

  it('keeps discovery’s copy of the rate card from payments events, for the price filter and the media kit', async () => {
    const data: RateCardUpdatedData = { creatorId: id(1), platform: 'instagram', format: 'reel', priceMinor: 500, currency: 'USD' };
    const event = createEvent('payments', { type: 'ratecard.updated', subject: id(1), data });
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.payment}`, event, 2);
    // $5 a reel: below everyone else's guidance (at least 750 engaged followers × $0.10 = $75).
    const search = `{ searchCreators(filter: { price: { maxMinor: 1000 } }) { edges { node { handle } } } }`;
    const found = await eventually(
      async () => {
        const r = await sub.query<{ searchCreators: { edges: { node: { handle: string } }[] } }>(search);
        return r.data!.searchCreators.edges.length > 0 ? r.data!.searchCreators.edges.map((e) => e.node.handle) : undefined;
      },
      30_000,
      'the rate card to reach discovery',
    );
    expect(found).toEqual(['trail.tess']);
    expect((await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [event.id]))[0].n).toBe(1);
  });

  it('publishes a media kit with only the chosen sections, hidden until published', async () => {
    const KIT = `query($handle: String!) { mediaKit(handle: $handle) { handle published path stats { followers engagementRate } audience { countries { key } } rates { format price { formatted } } bestPosts { engagements } } }`;
    const hidden = await sub.query(KIT, { handle: 'trail.tess' }, null);
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const preview = await sub.query<{ mediaKit: { published: boolean } }>(KIT, { handle: 'trail.tess' }, tess);
    expect(preview.data!.mediaKit.published).toBe(false);

    const set = await sub.query(
      `mutation { setMyMediaKit(input: { published: true, sections: [STATS, RATES, BEST_POSTS] }) { published sections } }`,
      {},
      tess,
    );
    expect(set.errors).toBeUndefined();
    const kit = await sub.query<{ mediaKit: Json }>(KIT, { handle: 'trail.tess' }, null);
    expect(kit.errors).toBeUndefined();
    expect(kit.data!.mediaKit).toMatchObject({
      handle: 'trail.tess',
      published: true,
      path: '/media-kits/trail.tess',
      stats: { followers: 15_000 },
      audience: null,
      rates: [{ format: 'REEL', price: { formatted: '$5.00' } }],
    });
    expect(kit.data!.mediaKit.bestPosts).toHaveLength(3);
  });

  it('rescores authenticity when the creator’s markets change, since they decide which audience is foreign', async () => {
    const signal = async () => {
      const r = await sub.query<{ creator: { authenticity: { score: number; signals: { key: string; measured: number | null }[] } } }>(
        `query($id: ID!) { creator(id: $id) { authenticity { score signals { key measured } } } }`,
        { id: id(1) },
        tess,
      );
      const report = r.data!.creator.authenticity;
      return { score: report.score, foreign: report.signals.find((x) => x.key === 'foreign_audience')!.measured };
    };
    const inUs = await signal();
    const profile = { handle: 'trail.tess', displayName: 'Tess', niches: ['outdoors', 'running'] };
    // Moving to Germany makes the 85 % of her audience in the US and Canada foreign.
    expect((await sub.query(PROFILE, { input: { ...profile, country: 'DE' } }, tess)).errors).toBeUndefined();
    const inGermany = await signal();
    expect(inGermany.foreign).toBeGreaterThan(inUs.foreign!);
    expect(inGermany.score).toBeLessThan(inUs.score);
    // Declaring the US and Canada as her markets makes all of the listed audience hers (in the US alone, the 15 % in Canada was foreign).
    expect(inUs.foreign).toBe(15);
    expect((await sub.query(PROFILE, { input: { ...profile, country: 'DE', markets: ['US', 'CA'] } }, tess)).errors).toBeUndefined();
    expect((await signal()).foreign).toBe(0);
  });
  it('saves an account as a partial update: left out keeps, null clears, the first save needs handle and followers', async () => {
    const pia = identities.creator(id(77));
    ok(await sub.query(PROFILE, { input: { handle: 'partial.pia', displayName: 'Pia', niches: ['outdoors'], country: 'SE' } }, pia));
    const READ = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) {
      handle followers following postCount engagement { postsCounted } audience { countries { key share } } } }`;
    type Saved = {
      saveMyPlatformAccount: {
        handle: string;
        followers: number;
        following: number;
        postCount: number;
        engagement: { postsCounted: number };
        audience: unknown;
      };
    };
    const first = await sub.query(READ, { input: { platform: 'TIKTOK', followers: 20 } }, pia);
    expect(first.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.handle' });
    const full = ok(
      await sub.query<Saved>(
        READ,
        {
          input: {
            platform: 'TIKTOK',
            handle: 'pia.paddles',
            followers: 21_000,
            following: 300,
            postCount: 140,
            posts: tessAccount.posts,
            audience: { countries: [{ country: 'SE', percent: 70 }] },
          },
        },
        pia,
      ),
    ).saveMyPlatformAccount;
    expect(full.engagement.postsCounted).toBe(12);
    const onlyFollowers = ok(await sub.query<Saved>(READ, { input: { platform: 'TIKTOK', followers: 22_000 } }, pia)).saveMyPlatformAccount;
    expect(onlyFollowers).toEqual({ ...full, followers: 22_000 });
    const cleared = ok(
      await sub.query<Saved>(READ, { input: { platform: 'TIKTOK', audience: null, following: null } }, pia),
    ).saveMyPlatformAccount;
    expect(cleared).toMatchObject({
      handle: 'pia.paddles',
      followers: 22_000,
      following: 0,
      postCount: 140,
      audience: null,
      engagement: { postsCounted: 12 },
    });
    expect((await sub.query(READ, { input: { platform: 'TIKTOK', handle: null } }, pia)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.handle',
    });
  });
});
