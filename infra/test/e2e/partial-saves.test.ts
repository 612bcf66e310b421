import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, codeOf, createBrand, daysFromToday, expectNoLeak, ok } from './support';

/**
 * Saves that don't wipe what was not sent, through the gateway with real tokens (issue 12): a brief's
 * next version starts from the previous one, a profile save with only a new bio keeps the rest, an
 * account save with only new followers keeps the rest; an explicit null clears; what may not be cleared
 * is refused on its field. And figures in explanations are rounded for people.
 */
describe('partial saves through the gateway', () => {
  let stack: TestStack;
  let brandId: string;
  let member: string;
  const creatorId = '00000000-0000-4000-8000-0000000e1501';
  const peerId = '00000000-0000-4000-8000-0000000e1502';
  let creator: string;
  let peer: string;

  beforeAll(async () => {
    stack = await startTestStack();
    brandId = await createBrand(stack, 'Partial Save Co');
    member = await stack.token({ sub: 'partial-member', roles: ['brand_member'], brandIds: [brandId] });
    creator = await stack.token({ sub: 'partial-pia', roles: ['creator'], creatorId });
    peer = await stack.token({ sub: 'partial-per', roles: ['creator'], creatorId: peerId });
  }, 120_000);
  afterAll(() => stack?.close());

  describe('a brief', () => {
    const BRIEF_FIELDS = `version brandStory targetAudience keyMessages productDetails tone dos donts examples requiredHashtags requiredMentions requiredLinks forbiddenWords creativeFreedom deliverables { platform format count dueOn }`;
    const PUBLISH = `mutation($id: ID!, $input: PublishBriefInput!) { publishBrief(campaignId: $id, input: $input) { ${BRIEF_FIELDS} } }`;
    let campaignId: string;
    const v1 = {
      brandStory: 'Rain shells for city cyclists',
      targetAudience: 'Commuters, 25–40',
      keyMessages: ['Packs into its own pocket'],
      productDetails: 'Three colours, recycled nylon',
      tone: 'Warm and witty',
      dos: ['Show it in real rain'],
      donts: ['No studio shots'],
      examples: ['https://examples.partial.example/reel'],
      requiredHashtags: ['#PartialShell'],
      requiredMentions: ['@partial.co'],
      requiredLinks: ['https://partial.example/shell'],
      forbiddenWords: ['cheap'],
      creativeFreedom: 'Your route, your music',
    };
    const publish = (input: Record<string, unknown>, token = member) =>
      stack.query<{ publishBrief: Record<string, unknown> }>(PUBLISH, { id: campaignId, input }, token);

    beforeAll(async () => {
      campaignId = (
        await ok<{ createCampaign: { id: string } }>(
          stack,
          `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
          { input: campaignInput(brandId, { name: 'Partial shells' }) },
          member,
        )
      ).createCampaign.id;
    });

    it('starts version 2 from version 1: only the field sent changes, tone and creative freedom stay', async () => {
      const deliverables = [{ platform: 'INSTAGRAM', format: 'REEL', count: 2, dueOn: daysFromToday(50) }];
      const first = (
        await ok<{ publishBrief: Record<string, unknown> }>(stack, PUBLISH, { id: campaignId, input: { ...v1, deliverables } }, member)
      ).publishBrief;
      expect(first).toMatchObject({
        version: 1,
        tone: 'Warm and witty',
        requiredHashtags: ['partialshell'],
        requiredMentions: ['partial.co'],
      });
      const second = (
        await ok<{ publishBrief: Record<string, unknown> }>(
          stack,
          PUBLISH,
          { id: campaignId, input: { brandStory: 'Rain shells that pack small' } },
          member,
        )
      ).publishBrief;
      expect(second).toEqual({ ...first, version: 2, brandStory: 'Rain shells that pack small' });
    });

    it('clears a field sent as null, and keeps the earlier versions as they were', async () => {
      const third = (
        await ok<{ publishBrief: Record<string, unknown> }>(
          stack,
          PUBLISH,
          { id: campaignId, input: { tone: null, requiredHashtags: null, dos: null } },
          member,
        )
      ).publishBrief;
      expect(third).toMatchObject({
        version: 3,
        tone: '',
        requiredHashtags: [],
        dos: [],
        creativeFreedom: 'Your route, your music',
        brandStory: 'Rain shells that pack small',
        requiredMentions: ['partial.co'],
      });
      const versions = await ok<{
        campaign: { briefVersions: { version: number; tone: string; brandStory: string }[]; brief: { version: number } };
      }>(
        stack,
        `query($id: ID!) { campaign(id: $id) { brief { version } briefVersions { version tone brandStory } } }`,
        { id: campaignId },
        member,
      );
      expect(versions.campaign.brief.version).toBe(3);
      expect(versions.campaign.briefVersions.map((b) => [b.version, b.tone, b.brandStory]).sort()).toEqual([
        [1, 'Warm and witty', 'Rain shells for city cyclists'],
        [2, 'Warm and witty', 'Rain shells that pack small'],
        [3, '', 'Rain shells that pack small'],
      ]);
    });

    it('refuses to clear what a brief always has, on its field, and publishes nothing', async () => {
      for (const [input, field] of [
        [{ brandStory: null }, 'input.brandStory'],
        [{ deliverables: null }, 'input.deliverables'],
        [{ brandStory: '   ' }, 'input.brandStory'],
      ] as const) {
        const r = await publish(input);
        expect(r.data ?? null).toBeNull();
        expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expectNoLeak(r);
      }
      // Nor may anyone outside the brand's members publish (the analyst reads; others do not see it).
      const analyst = await stack.token({ sub: 'partial-analyst', roles: ['analyst'], brandIds: [brandId] });
      expect(codeOf(await publish({ tone: 'Loud' }, analyst))).toMatchObject({ code: 'FORBIDDEN' });
      expect(codeOf(await publish({ tone: 'Loud' }, creator))).toMatchObject({ code: 'NOT_FOUND' });
      expect(codeOf(await stack.query(PUBLISH, { id: campaignId, input: { tone: 'Loud' } }))).toMatchObject({ code: 'UNAUTHENTICATED' });
      const latest = await ok<{ campaign: { brief: { version: number; tone: string } } }>(
        stack,
        `query($id: ID!) { campaign(id: $id) { brief { version tone } } }`,
        { id: campaignId },
        member,
      );
      expect(latest.campaign.brief).toEqual({ version: 3, tone: '' });
    });
  });

  describe('a creator profile and a platform account', () => {
    const PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) {
      handle displayName bio niches contentStyles languages country region city markets } }`;
    const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) {
      handle followers following postCount engagement { byFollowers postsCounted } recentPosts { likes } followerHistory { followers } } }`;
    const full = {
      handle: 'partial.pia',
      displayName: 'Pia P.',
      bio: 'Cycling through Lisbon',
      niches: ['cycling', 'travel'],
      contentStyles: ['vlog', 'tutorial'],
      languages: ['pt', 'en'],
      country: 'PT',
      region: 'Lisbon',
      city: 'Lisbon',
      markets: ['PT', 'ES'],
    };

    it('keeps content styles, languages, markets, country and city when only a new bio is sent', async () => {
      const first = await ok<{ saveMyCreatorProfile: Record<string, unknown> }>(stack, PROFILE, { input: full }, creator);
      expect(first.saveMyCreatorProfile).toEqual(full);
      const bioOnly = await ok<{ saveMyCreatorProfile: Record<string, unknown> }>(
        stack,
        PROFILE,
        { input: { bio: 'Cycling through Lisbon and Porto' } },
        creator,
      );
      expect(bioOnly.saveMyCreatorProfile).toEqual({ ...full, bio: 'Cycling through Lisbon and Porto' });
      // What brands read through the gateway is the same.
      const seen = await ok<{ creator: Record<string, unknown> }>(
        stack,
        `query($id: ID!) { creator(id: $id) { handle displayName bio niches contentStyles languages country region city markets } }`,
        { id: creatorId },
        member,
      );
      expect(seen.creator).toEqual(bioOnly.saveMyCreatorProfile);
    });

    it('clears a field sent as null, and refuses to clear what a profile always has', async () => {
      const cleared = await ok<{ saveMyCreatorProfile: Record<string, unknown> }>(
        stack,
        PROFILE,
        { input: { city: null, region: null, contentStyles: null } },
        creator,
      );
      expect(cleared.saveMyCreatorProfile).toMatchObject({
        city: null,
        region: null,
        contentStyles: [],
        country: 'PT',
        languages: ['pt', 'en'],
        markets: ['PT', 'ES'],
      });
      for (const [input, field] of [
        [{ handle: null }, 'input.handle'],
        [{ displayName: null }, 'input.displayName'],
        [{ niches: null }, 'input.niches'],
      ] as const) {
        const r = await stack.query(PROFILE, { input: { bio: 'should not be kept', ...input } }, creator);
        expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expectNoLeak(r);
      }
      const now = await ok<{ creator: { bio: string; handle: string } }>(
        stack,
        `query($id: ID!) { creator(id: $id) { bio handle } }`,
        { id: creatorId },
        member,
      );
      expect(now.creator).toEqual({ bio: 'Cycling through Lisbon and Porto', handle: 'partial.pia' });
      // Only a creator saves their own profile.
      for (const [token, code] of [
        [member, 'FORBIDDEN'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        expect(codeOf(await stack.query(PROFILE, { input: { bio: 'hijacked' } }, token))).toMatchObject({ code });
      }
    });

    it('keeps an account’s posts, history and counts when only new followers are sent; null clears the posts', async () => {
      const posts = [0, 1, 2, 3].map((i) => ({
        postedAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
        format: 'REEL',
        likes: 400 + i,
        comments: 20,
      }));
      const first = await ok<{ saveMyPlatformAccount: Record<string, unknown> }>(
        stack,
        ACCOUNT,
        {
          input: {
            platform: 'INSTAGRAM',
            handle: 'partial.pia',
            followers: 10_000,
            following: 321,
            postCount: 87,
            posts,
            followerHistory: [
              { date: '2026-10-01', followers: 9_000 },
              { date: '2026-11-01', followers: 9_600 },
            ],
          },
        },
        creator,
      );
      const followersOnly = await ok<{ saveMyPlatformAccount: Record<string, unknown> & { engagement: { postsCounted: number } } }>(
        stack,
        ACCOUNT,
        { input: { platform: 'INSTAGRAM', followers: 10_400 } },
        creator,
      );
      expect(followersOnly.saveMyPlatformAccount).toMatchObject({
        handle: 'partial.pia',
        followers: 10_400,
        following: 321,
        postCount: 87,
        recentPosts: (first.saveMyPlatformAccount.recentPosts as unknown[]).map(() => expect.anything()),
      });
      expect(followersOnly.saveMyPlatformAccount.recentPosts).toEqual(first.saveMyPlatformAccount.recentPosts);
      expect(followersOnly.saveMyPlatformAccount.engagement.postsCounted).toBe(4);
      expect((followersOnly.saveMyPlatformAccount.followerHistory as unknown[]).length).toBeGreaterThanOrEqual(2);

      const cleared = await ok<{ saveMyPlatformAccount: { recentPosts: unknown[]; following: number; handle: string } }>(
        stack,
        ACCOUNT,
        { input: { platform: 'INSTAGRAM', posts: null } },
        creator,
      );
      expect(cleared.saveMyPlatformAccount).toMatchObject({ recentPosts: [], following: 321, handle: 'partial.pia' });
      for (const [input, field] of [
        [{ handle: null }, 'input.handle'],
        [{ followers: null }, 'input.followers'],
      ] as const) {
        const r = await stack.query(ACCOUNT, { input: { platform: 'INSTAGRAM', ...input } }, creator);
        expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      // A first save of another platform needs its handle and followers.
      expect(codeOf(await stack.query(ACCOUNT, { input: { platform: 'TIKTOK', following: 5 } }, creator))).toMatchObject({
        code: 'BAD_USER_INPUT',
      });
    });
  });

  describe('explanations', () => {
    /** Every text meant for people in a value: explanations, verdicts, reasons, labels. */
    function sentences(value: unknown, key = ''): string[] {
      if (typeof value === 'string') return /^(explanation|verdict|reasons?|label|text|message|warnings?)$/.test(key) ? [value] : [];
      if (Array.isArray(value)) return value.flatMap((v) => sentences(v, key));
      if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => sentences(v, k));
      return [];
    }

    it('rounds the figures in authenticity reports and lookalike reasons for people', async () => {
      // Figures made to produce floating-point noise: 1,003 + 7i likes on 12,345 followers, thirds.
      const noisyPosts = Array.from({ length: 12 }, (_, i) => ({
        postedAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(),
        format: 'REEL',
        likes: 1_003 + i * 7,
        comments: 31 + i,
        shares: 3,
        caption: i % 3 === 0 ? 'Thanks to our partner #ad' : 'A morning ride',
        hashtags: i % 3 === 0 ? ['ad'] : [],
        paidPartnership: i % 3 === 0,
        commentSamples: [
          { author: 'fan.one', text: 'Nice!' },
          { author: 'fan.two', text: 'Love the route through Sintra, which road was that?' },
          { author: 'fan.three', text: '🔥🔥' },
        ],
      }));
      for (const [token, handle, followers] of [
        [creator, 'partial.pia', 12_345],
        [peer, 'partial.per', 13_001],
      ] as const) {
        if (token === peer) {
          await ok(
            stack,
            `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`,
            { input: { handle, displayName: 'Per', niches: ['cycling', 'travel'], country: 'PT' } },
            peer,
          );
        }
        await ok(
          stack,
          `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`,
          {
            input: {
              platform: 'INSTAGRAM',
              handle,
              followers,
              following: 997,
              postCount: 333,
              posts: noisyPosts,
              followerHistory: [
                { date: '2026-08-01', followers: Math.round(followers / 3) },
                { date: '2026-09-01', followers: Math.round(followers / 1.7) },
                { date: '2026-10-01', followers },
              ],
            },
          },
          token,
        );
      }
      const r = await ok<{ creator: Record<string, unknown> }>(
        stack,
        `query($id: ID!) { creator(id: $id) {
          engagementRate
          authenticity { verdict signals { label explanation } }
          accounts { authenticity { verdict signals { explanation } } sponsoredPerformance { explanation } }
          lookalikes(first: 5) { creator { handle } reasons }
        } }`,
        { id: creatorId },
        member,
      );
      const texts = sentences(r.creator);
      // Enough text, with figures in it, to mean something.
      expect(texts.length).toBeGreaterThan(10);
      expect(texts.some((t) => /\d\.\d\d?\b/.test(t))).toBe(true); // figures with decimals, rounded
      expect(texts.filter((t) => /\d\.\d{3,}/.test(t))).toEqual([]);
      expect((r.creator.lookalikes as { creator: { handle: string } }[]).map((l) => l.creator.handle)).toContain('partial.per');
    });
  });
});
