import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { saveCreator } from './support';

/**
 * Media kits through the gateway with real tokens (docs/discovery.md, "Media kits"): the price shape of
 * the GraphQL query and the JSON, who sees a published and an unpublished kit, hostile profile text on
 * the page, the photo and post links refused unless they are public https URLs, and handles that are not.
 */
describe('media kits through the gateway', () => {
  let stack: TestStack;
  let base: string;
  const tess = { id: '00000000-0000-4000-8000-0000000f1001', handle: 'kit.tess' };
  const hidden = { id: '00000000-0000-4000-8000-0000000f1002', handle: 'kit.hidden' };
  const hostile = { id: '00000000-0000-4000-8000-0000000f1003', handle: 'kit.hostile' };
  const tokens: Record<string, string> = {};
  const HOSTILE_NAME = `<script>alert("x")</script> O'Brien & "Co"`;
  const HOSTILE_BIO = `</p><img src=x onerror=alert(1)><style>*{display:none}</style> "quoted" 'single' & more`;

  const KIT = `query($handle: String!) { mediaKit(handle: $handle) {
    handle published avatarUrl rates { platform format price { amountMinor currency formatted } }
    bestPosts { url caption } stats { followers authenticityScore authenticityConfidence }
  } }`;
  type Kit = {
    mediaKit: {
      handle: string;
      published: boolean;
      avatarUrl: string | null;
      rates: { platform: string; format: string; price: { amountMinor: number; currency: string; formatted: string } }[] | null;
      bestPosts: { url: string | null; caption: string }[] | null;
      stats: { followers: number; authenticityScore: number | null; authenticityConfidence: number | null } | null;
    };
  };

  const posts = [
    { postedAt: '2026-11-20T18:00:00.000Z', format: 'REEL', likes: 900, comments: 40, url: 'https://www.instagram.com/p/kit-best/' },
    { postedAt: '2026-11-10T18:00:00.000Z', format: 'POST', likes: 300, comments: 10, caption: 'second' },
  ];

  beforeAll(async () => {
    stack = await startTestStack();
    base = stack.gateway.url.replace(/\/graphql$/, '');
    tokens.brand = await stack.token({ sub: 'alice', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0001'] });
    tokens.analyst = await stack.token({ sub: 'ana', roles: ['analyst'] });
    tokens.admin = await stack.token({ sub: 'root', roles: ['admin'] });
    for (const c of [tess, hidden, hostile]) {
      tokens[c.handle] = await stack.token({ sub: c.handle, roles: ['creator'], creatorId: c.id });
    }
    await saveCreator(
      stack,
      tokens[tess.handle],
      {
        handle: tess.handle,
        displayName: 'Tess Trailwood',
        niches: ['outdoors'],
        country: 'US',
        avatarUrl: 'https://cdn.example.com/tess.jpg',
      },
      { handle: tess.handle, followers: 15_000, posts },
    );
    await saveCreator(
      stack,
      tokens[hidden.handle],
      { handle: hidden.handle, displayName: 'Hidden', niches: ['food'] },
      { handle: hidden.handle, followers: 900 },
    );
    await saveCreator(
      stack,
      tokens[hostile.handle],
      { handle: hostile.handle, displayName: HOSTILE_NAME, bio: HOSTILE_BIO, niches: ['food'], city: '<b>Town</b>' },
      {
        handle: hostile.handle,
        followers: 2_000,
        posts: [{ ...posts[0], caption: '<a href="javascript:alert(1)">click</a>', url: undefined }],
      },
    );
    for (const [c, sections] of [
      [tess, '[STATS, RATES, BEST_POSTS]'],
      [hostile, '[STATS, BEST_POSTS]'],
    ] as const) {
      const r = await stack.query(
        `mutation { setMyMediaKit(input: { published: true, sections: ${sections} }) { published } }`,
        {},
        tokens[c.handle],
      );
      expect(r.errors).toBeUndefined();
    }
    // The hidden kit stays unpublished (the default): only its creator and admins see it.
    for (const [format, amountMinor, currency] of [
      ['REEL', 40_000, 'USD'],
      ['STORY', 30_000, 'JPY'],
    ] as const) {
      const priced = await stack.query(
        `mutation($price: MoneyInput!, $format: ContentFormat!) { setRateCardEntry(input: { platform: INSTAGRAM, format: $format, price: $price }) { id } }`,
        { price: { amountMinor, currency }, format },
        tokens[tess.handle],
      );
      expect(priced.errors).toBeUndefined();
    }
  }, 120_000);
  afterAll(() => stack?.close());

  it('gives prices as amount, currency and text, in GraphQL and in the JSON', async () => {
    const rates = await eventually(
      async () => {
        const r = await stack.query<Kit>(KIT, { handle: tess.handle });
        return r.data?.mediaKit.rates?.length === 2 ? r.data.mediaKit.rates : undefined;
      },
      30_000,
      'the rate card to reach discovery',
    );
    expect(rates).toEqual([
      { platform: 'INSTAGRAM', format: 'STORY', price: { amountMinor: 30_000, currency: 'JPY', formatted: '¥30,000' } },
      { platform: 'INSTAGRAM', format: 'REEL', price: { amountMinor: 40_000, currency: 'USD', formatted: '$400.00' } },
    ]);
    const res = await fetch(`${base}/media-kits/${tess.handle}.json`);
    expect(res.status).toBe(200);
    const json = (await res.json()) as Kit['mediaKit'];
    expect(json.rates).toEqual(rates);
    expect(json).toMatchObject({ avatarUrl: 'https://cdn.example.com/tess.jpg', audience: null });
    expect(json.bestPosts![0]).toMatchObject({ url: 'https://www.instagram.com/p/kit-best/' });
    expect(json.bestPosts![1]).toMatchObject({ url: null, caption: 'second' });
    // The score is qualified by how much of it was measured (engagement and likes-to-comments here).
    expect(json.stats!.authenticityConfidence).toBeGreaterThan(0);
    expect(json.stats!.authenticityConfidence).toBeLessThanOrEqual(1);
  });

  it('shows a published kit to every role and an unpublished one only to its creator and admins', async () => {
    const callers: [string, string | undefined][] = [
      ['anonymous', undefined],
      ['brand member', tokens.brand],
      ['analyst', tokens.analyst],
      ['admin', tokens.admin],
      ['another creator', tokens[hostile.handle]],
      ['its creator', tokens[tess.handle]],
    ];
    for (const [who, token] of callers) {
      const r = await stack.query<Kit>(KIT, { handle: tess.handle }, token);
      expect([who, r.errors]).toEqual([who, undefined]);
      expect([who, r.data!.mediaKit.published]).toEqual([who, true]);
    }
    for (const [who, token] of callers) {
      const r = await stack.query<Kit>(KIT, { handle: hidden.handle }, token);
      if (who === 'admin') {
        expect([who, r.errors, r.data!.mediaKit.published]).toEqual([who, undefined, false]);
      } else {
        // `its creator` here is Tess, not the hidden kit's creator.
        expect([who, r.errors?.[0].extensions?.code, r.data]).toEqual([who, 'NOT_FOUND', null]);
      }
    }
    const own = await stack.query<Kit>(KIT, { handle: hidden.handle }, tokens[hidden.handle]);
    expect(own.errors).toBeUndefined();
    expect(own.data!.mediaKit).toMatchObject({ handle: hidden.handle, published: false });
    // The page and the JSON are public: the gateway asks as an anonymous caller, whatever the request carries.
    for (const path of [`/media-kits/${hidden.handle}`, `/media-kits/${hidden.handle}.json`]) {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tokens[hidden.handle]}` } });
      expect([path, res.status]).toEqual([path, 404]);
    }
  });

  it('escapes hostile profile text on the page and sends a strict Content-Security-Policy', async () => {
    const res = await fetch(`${base}/media-kits/${hostile.handle}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'none'; base-uri 'none'/);
    expect(csp).not.toMatch(/unsafe|script-src/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script|<img|onerror=|<a href="javascript|<b>Town/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Brien &amp; &quot;Co&quot;');
    expect(html).toContain('&lt;/p&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&lt;style&gt;');
    expect(html).toContain('&lt;a href&#x3D;&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;');
    // The title and the link-preview tags carry the same text, escaped for an attribute.
    expect(html).toContain(
      '<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Brien &amp; &quot;Co&quot; (@kit.hostile) · Media kit</title>',
    );
    expect(html).toMatch(/<meta property="og:title" content="&lt;script&gt;[^"<>]*">/);
    // A kit without a rate card or an audience has no such section, not an empty one.
    expect(html).not.toMatch(/id="rates"|id="audience"|Best posts<\/h2>\s*<ol class="posts"><\/ol>/);
    expect(html).toContain('id="posts"');
  });

  it('refuses a photo or a post link that is not a public https URL, naming the field and writing nothing', async () => {
    const profile = { handle: tess.handle, displayName: 'Tess Trailwood', niches: ['outdoors'], country: 'US' };
    const save = (avatarUrl: string) =>
      stack.query(
        `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { avatarUrl } }`,
        { input: { ...profile, avatarUrl } },
        tokens[tess.handle],
      );
    for (const url of [
      'http://cdn.example.com/tess.jpg',
      'javascript:alert(1)',
      'https://localhost/x.png',
      'https://127.0.0.1/x.png',
      'https://user:pw@cdn.example.com/x.png',
      'data:image/png;base64,AAAA',
      `https://cdn.example.com/${'a'.repeat(3000)}`,
      'not a url',
    ]) {
      const r = await save(url);
      expect([url.slice(0, 60), r.errors?.[0].extensions?.code, r.errors?.[0].extensions?.field]).toEqual([
        url.slice(0, 60),
        'BAD_USER_INPUT',
        'input.avatarUrl',
      ]);
      expect(r.errors![0].message).not.toContain(url);
    }
    const post = await stack.query(
      `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`,
      { input: { platform: 'INSTAGRAM', handle: tess.handle, followers: 15_000, posts: [{ ...posts[0], url: 'https://192.168.1.1/p' }] } },
      tokens[tess.handle],
    );
    expect(post.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.posts.0.url' });
    const kit = await stack.query<Kit>(KIT, { handle: tess.handle });
    expect(kit.data!.mediaKit.avatarUrl).toBe('https://cdn.example.com/tess.jpg');
    expect(kit.data!.mediaKit.bestPosts![0].url).toBe('https://www.instagram.com/p/kit-best/');
  });

  it('refuses NUL bytes and oversized text in the profile before anything reaches the page', async () => {
    const profile = { handle: hostile.handle, displayName: 'ok', niches: ['food'] };
    for (const [field, value] of [
      ['displayName', 'Bad\u0000name'],
      ['bio', 'x'.repeat(2_001)],
      ['displayName', 'y'.repeat(101)],
    ] as const) {
      const r = await stack.query(
        `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`,
        { input: { ...profile, [field]: value } },
        tokens[hostile.handle],
      );
      expect([field, r.errors?.[0].extensions?.code]).toEqual([field, 'BAD_USER_INPUT']);
    }
    // Nothing was written: the page still shows the hostile name of before, escaped.
    const html = await (await fetch(`${base}/media-kits/${hostile.handle}`)).text();
    expect(html).toContain('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Brien &amp; &quot;Co&quot;</h1>');
  });

  it('answers a handle with no kit, or one that cannot be a handle, with NOT_FOUND and a 404 page', async () => {
    const missing = await stack.query<Kit>(KIT, { handle: 'nobody.here' });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.data).toBeNull();
    for (const handle of ['nobody.here', '%3Cscript%3E', 'x'.repeat(500)]) {
      const page = await fetch(`${base}/media-kits/${handle}`);
      expect([handle.slice(0, 20), page.status]).toEqual([handle.slice(0, 20), 404]);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      const text = await page.text();
      expect(text).toContain('No published media kit with this handle');
      expect(text).not.toContain('<script');
      const json = await fetch(`${base}/media-kits/${handle}.json`);
      expect(json.status).toBe(404);
      expect(await json.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No published media kit with this handle' } });
    }
  });
});
