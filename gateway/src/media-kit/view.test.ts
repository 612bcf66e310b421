import { parse } from 'graphql';
import { barChart } from '../pages/charts';
import { contentSecurityPolicy, renderPage, STYLE_HASH } from './template';
import { initialsOf, KitData, MEDIA_KIT_QUERY, pageView } from './view';

const kit = (overrides: Partial<KitData> = {}): KitData => ({
  handle: 'trail.tess',
  displayName: 'Tess Trailwood',
  bio: '',
  avatarUrl: null,
  niches: ['outdoors'],
  languages: [],
  country: 'US',
  region: null,
  city: 'Boulder',
  path: '/media-kits/trail.tess',
  stats: null,
  audience: null,
  rates: null,
  bestPosts: null,
  ...overrides,
});
const stats = {
  followers: 15_234,
  tier: 'MICRO',
  engagementRate: 5.125,
  authenticityScore: 82,
  authenticityConfidence: 0.85,
  accounts: [{ platform: 'TIKTOK', handle: 'tess', followers: 15_234, tier: 'MICRO', engagementRate: null }],
};

describe('media-kit page view', () => {
  it('asks for every section and figure in one valid query', () => {
    expect(() => parse(MEDIA_KIT_QUERY)).not.toThrow();
    expect(MEDIA_KIT_QUERY).toContain('price { amountMinor currency formatted }');
    expect(MEDIA_KIT_QUERY).toContain('authenticityScore authenticityConfidence');
  });

  it('leaves out every section that is not published or has nothing in it', () => {
    expect(pageView(kit()).sections).toEqual([]);
    const empty = pageView(
      kit({ rates: [], bestPosts: [], audience: { ages: [], genders: [{ key: 'male', percent: 0 }], countries: [], interests: [] } }),
    );
    expect(empty.sections).toEqual([]);
    const html = renderPage(empty);
    expect(html).not.toMatch(/<section/);
    expect(html).not.toMatch(/class="bio"/); // no bio, no paragraph
  });

  it('formats the headline figures and drops a figure with no value', () => {
    const view = pageView(kit({ stats }));
    expect(view.sections.map((s) => s.id)).toEqual(['figures', 'accounts']);
    const figures = view.sections[0].id === 'figures' ? view.sections[0].figures : [];
    expect(figures).toEqual([
      { label: 'Followers', value: '15.2K', note: '15,234 on the largest account' },
      { label: 'Engagement rate', value: '5.13 %', note: 'by followers' },
      { label: 'Authenticity', value: '82/100', note: 'confidence 85 %' },
      { label: 'Tier', value: 'Micro', note: '10k–100k followers' },
    ]);
    const unscored = pageView(kit({ stats: { ...stats, engagementRate: null, authenticityScore: null } })).sections[0];
    expect(unscored.id === 'figures' && unscored.figures.map((f) => f.label)).toEqual(['Followers', 'Tier']);
  });

  it('groups rates by platform with the price the API formatted for its currency', () => {
    const view = pageView(
      kit({
        rates: [
          { platform: 'INSTAGRAM', format: 'STORY', price: { amountMinor: 15_000, currency: 'USD', formatted: '$150.00' } },
          { platform: 'YOUTUBE', format: 'SHORT', price: { amountMinor: 30_000, currency: 'JPY', formatted: '¥30,000' } },
          { platform: 'INSTAGRAM', format: 'REEL', price: { amountMinor: 40_000, currency: 'EUR', formatted: '€400.00' } },
        ],
      }),
    );
    expect(view.sections[0]).toMatchObject({
      id: 'rates',
      groups: [
        {
          platform: 'Instagram',
          rates: [
            { format: 'Story', price: '$150.00' },
            { format: 'Reel', price: '€400.00' },
          ],
        },
        { platform: 'YouTube', rates: [{ format: 'Short', price: '¥30,000' }] },
      ],
    });
  });

  it('links only https post URLs and shows the photo only from an https URL', () => {
    const post = {
      platform: 'INSTAGRAM',
      format: 'REEL',
      postedAt: '2026-11-20T18:00:00.000Z',
      caption: ' ',
      engagements: 10,
      engagementRate: null,
    };
    const view = pageView(
      kit({
        avatarUrl: 'javascript:alert(1)',
        bestPosts: [
          { ...post, url: 'https://www.instagram.com/p/a/' },
          { ...post, url: 'javascript:alert(1)' },
          { ...post, url: null },
        ],
      }),
    );
    expect(view.avatarUrl).toBeNull();
    const posts = view.sections[0].id === 'posts' ? view.sections[0].posts : [];
    expect(posts.map((p) => [p.url, p.caption, p.date])).toEqual([
      ['https://www.instagram.com/p/a/', null, 'Nov 20, 2026'],
      [null, null, 'Nov 20, 2026'],
      [null, null, 'Nov 20, 2026'],
    ]);
    const html = renderPage(view);
    expect(html).not.toContain('javascript:');
    expect(html.match(/<a href=/g)).toHaveLength(2); // one post link and the JSON link
  });

  it('escapes every text a creator wrote, in the body and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const html = renderPage(
      pageView(
        kit({
          displayName: hostile,
          bio: hostile,
          niches: [hostile],
          city: hostile,
          stats: { ...stats, accounts: [{ ...stats.accounts[0], handle: hostile }] },
          audience: { ages: [], genders: [], countries: [{ key: hostile, percent: 50 }], interests: [hostile] },
          bestPosts: [
            {
              platform: 'INSTAGRAM',
              format: 'REEL',
              postedAt: '2026-11-20T18:00:00.000Z',
              caption: hostile,
              url: null,
              engagements: 1,
              engagementRate: 1,
            },
          ],
        }),
      ),
    );
    expect(html).not.toContain('<script');
    // name (title, h1, og:title, description), bio, niche, city, account, country label, aria-label, interest, caption
    expect(html.split('&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;').length - 1).toBeGreaterThanOrEqual(10);
  });

  it('draws bars to the scale of the largest share and leaves out a chart of zeros', () => {
    const chart = barChart(
      'Age',
      [
        { key: '18-24', percent: 20 },
        { key: '25-34', percent: 40 },
        { key: '35-44', percent: 0 },
      ],
      (k) => k,
    )!;
    expect(chart.bars.map((b) => [b.label, b.value])).toEqual([
      ['18-24', '20 %'],
      ['25-34', '40 %'],
    ]);
    expect(chart.bars[1].width).toBe(chart.trackWidth);
    expect(chart.bars[0].width).toBeCloseTo(chart.trackWidth / 2, 1);
    expect(barChart('Age', [{ key: 'x', percent: 0 }], (k) => k)).toBeNull();
  });

  it('names the place and the languages in words', () => {
    const view = pageView(kit({ languages: ['en', 'es'], region: 'Colorado' }));
    expect([view.location, view.languages]).toEqual(['Boulder, Colorado, United States', 'English, Spanish']);
    expect(renderPage(view)).toContain('<p class="location languages">Speaks English, Spanish</p>');
    expect(pageView(kit({ city: null, country: null })).location).toBeNull();
  });

  it('makes initials from the first and last word', () => {
    expect(initialsOf('Tess Trailwood')).toBe('TT');
    expect(initialsOf('bea')).toBe('B');
    expect(initialsOf('Ana María de la Cruz')).toBe('AC');
    expect(initialsOf('   ')).toBe('?');
  });

  it('allows the inline style by its hash and images only from the photo’s origin', () => {
    expect(contentSecurityPolicy(null)).toBe(
      `default-src 'none'; style-src ${STYLE_HASH}; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(contentSecurityPolicy('https://cdn.example.com/a/b.jpg?x=1')).toContain("img-src https://cdn.example.com; base-uri 'none'");
  });
});
