import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { eventually } from '@influenceflow/kit/testing';
import { repoRoot } from '../../src/repo';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/testing/chromium';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { saveCreator } from './support';

/**
 * The media-kit page as a person sees it, in Debian's Chromium: what is on the card, that a section with
 * nothing in it is not there, the audience charts' bars and labels, links to the posts, no console
 * errors (a CSP that blocked the page's own style would log one), nothing fetched from off this machine,
 * no sideways scrolling on a 390 px phone, and the print layout. Screenshots of a phone and a desktop are
 * saved in .test-results/media-kit/ to look at.
 */
describe('the media-kit page in a browser', () => {
  let stack: TestStack;
  let base: string;
  let context: BrowserContext;
  let profileDir: string;
  const shots = join(repoRoot(), '.test-results', 'media-kit');
  const AVATAR = 'https://cdn.example.com/avatars/tess.svg';
  const tess = { id: '00000000-0000-4000-8000-0000000f2001', handle: 'browser.tess' };
  const bea = { id: '00000000-0000-4000-8000-0000000f2002', handle: 'browser.bea' };
  /** Cy's photo is on a host that does not answer (the test refuses the request). */
  const cy = { id: '00000000-0000-4000-8000-0000000f2003', handle: 'browser.cy' };
  const UNREACHABLE = 'https://photos.example.org/cy.jpg';
  const POSTS = [
    {
      postedAt: '2026-11-20T18:00:00.000Z',
      format: 'REEL',
      likes: 1400,
      comments: 60,
      caption: 'Sunrise at Bear Peak: a 4 a.m. start, worth every step. What would you pack?',
      url: 'https://www.instagram.com/p/bear-peak/',
    },
    {
      postedAt: '2026-11-12T18:00:00.000Z',
      format: 'POST',
      likes: 1100,
      comments: 45,
      caption: 'Three knots every hiker should know',
      url: 'https://www.instagram.com/p/three-knots/',
    },
    { postedAt: '2026-11-02T18:00:00.000Z', format: 'STORY', likes: 700, comments: 20, caption: 'Trail mix, ranked' },
  ];

  /** Every request the page makes that is not to this machine; none reaches the network (see `open`). */
  let offMachine: string[] = [];
  let consoleErrors: string[] = [];

  async function open(path: string, width: number): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => {
      if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(r.url())) offMachine.push(r.url());
    });
    const res = await page.goto(`${base}${path}`);
    expect(res?.status()).toBe(200);
    return page;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM_PATH}: the test command installs it (bash scripts/test.sh), or apt-get install chromium`,
      );
    }
    stack = await startTestStack();
    base = stack.gateway.url.replace(/\/graphql$/, '');
    const tessToken = await stack.token({ sub: tess.handle, roles: ['creator'], creatorId: tess.id });
    const beaToken = await stack.token({ sub: bea.handle, roles: ['creator'], creatorId: bea.id });
    await saveCreator(
      stack,
      tessToken,
      {
        handle: tess.handle,
        displayName: 'Tess Trailwood',
        bio: 'Hiking the Rockies every weekend: gear reviews, trail guides and honest takes.',
        niches: ['outdoors', 'travel'],
        country: 'US',
        region: 'Colorado',
        city: 'Boulder',
        languages: ['en', 'es'],
        avatarUrl: AVATAR,
      },
      {
        handle: tess.handle,
        followers: 15_000,
        posts: POSTS,
        audience: {
          ages: [
            { ageBucket: 'AGE_18_24', percent: 30 },
            { ageBucket: 'AGE_25_34', percent: 45 },
            { ageBucket: 'AGE_35_44', percent: 15 },
          ],
          genders: [
            { gender: 'FEMALE', percent: 60 },
            { gender: 'MALE', percent: 38 },
          ],
          countries: [
            { country: 'US', percent: 60 },
            { country: 'CA', percent: 15 },
            { country: 'GB', percent: 10 },
          ],
          interests: ['hiking', 'camping'],
        },
      },
    );
    const tiktok = await stack.query(
      `mutation { saveMyPlatformAccount(input: { platform: TIKTOK, handle: "tess.trails", followers: 8200, engagementRate: 7.4 }) { id } }`,
      {},
      tessToken,
    );
    expect(tiktok.errors).toBeUndefined();
    for (const [platform, format, amountMinor, currency] of [
      ['INSTAGRAM', 'REEL', 40_000, 'USD'],
      ['INSTAGRAM', 'STORY', 15_000, 'USD'],
      ['TIKTOK', 'VIDEO', 35_000, 'JPY'],
    ] as const) {
      const r = await stack.query(
        `mutation($input: RateCardEntryInput!) { setRateCardEntry(input: $input) { id } }`,
        { input: { platform, format, price: { amountMinor, currency } } },
        tessToken,
      );
      expect(r.errors).toBeUndefined();
    }
    await saveCreator(
      stack,
      beaToken,
      { handle: bea.handle, displayName: 'Bea Baker', niches: ['food'], country: 'GB' },
      { handle: bea.handle, followers: 4_200, engagementRate: 6 },
    );
    const cyToken = await stack.token({ sub: cy.handle, roles: ['creator'], creatorId: cy.id });
    await saveCreator(
      stack,
      cyToken,
      { handle: cy.handle, displayName: 'Cy Ortega', niches: ['music'], country: 'MX', avatarUrl: UNREACHABLE },
      { handle: cy.handle, followers: 31_000, engagementRate: 3.2 },
    );
    for (const token of [tessToken, beaToken, cyToken]) {
      const r = await stack.query(
        `mutation { setMyMediaKit(input: { published: true, sections: [STATS, AUDIENCE, RATES, BEST_POSTS] }) { published } }`,
        {},
        token,
      );
      expect(r.errors).toBeUndefined();
    }
    await eventually(
      async () => {
        const body = (await (await fetch(`${base}/media-kits/${tess.handle}.json`)).json()) as { rates: unknown[] | null };
        return body.rates?.length === 3 ? true : undefined;
      },
      30_000,
      'the rate card to reach the media kit',
    );

    mkdirSync(shots, { recursive: true });
    profileDir = mkdtempSync(join(tmpdir(), 'media-kit-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    // The photo lives on the creator's host: the test answers for it, so nothing leaves this machine.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) return route.continue();
      if (url === AVATAR) {
        return route.fulfill({
          contentType: 'image/svg+xml',
          body: `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#0f766e"/><circle cx="48" cy="38" r="18" fill="#99f6e4"/><rect x="18" y="62" width="60" height="40" rx="30" fill="#99f6e4"/></svg>`,
        });
      }
      return route.abort();
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await stack?.close();
  });

  beforeEach(() => {
    offMachine = [];
    consoleErrors = [];
  });

  it('shows the whole card on a phone without sideways scrolling, and saves a screenshot', async () => {
    const page = await open(`/media-kits/${tess.handle}`, 390);
    expect(await page.title()).toBe('Tess Trailwood (@browser.tess) · Media kit');
    expect(await page.locator('h1').innerText()).toBe('Tess Trailwood');
    expect(await page.locator('.handle').innerText()).toBe('@browser.tess');
    expect(await page.locator('.niches li').allInnerTexts()).toEqual(['outdoors', 'travel']);
    expect(await page.locator('.location').first().innerText()).toBe('Boulder, Colorado, United States');
    expect(await page.locator('.languages').innerText()).toBe('Speaks English, Spanish');
    // The photo loaded (from the test's stand-in for the creator's host) and covers the initials.
    expect(
      await page.locator('.photo img').evaluate((img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth > 0;
      }),
    ).toBe(true);

    const figures = await page
      .locator('.figure')
      .evaluateAll((els) => els.map((e) => [e.querySelector('dt')!.textContent, e.querySelector('.value')!.textContent]));
    expect(figures.map(([label]) => label)).toEqual(['Followers', 'Engagement rate', 'Authenticity', 'Tier']);
    expect(figures[0][1]).toBe('15K');
    expect(figures[1][1]).toMatch(/^\d+\.\d\d %$/);
    expect(figures[2][1]).toMatch(/^\d{1,3}\/100$/);
    expect(figures[3][1]).toBe('Micro');
    expect(await page.locator('.figure .note').allInnerTexts()).toContain('10k–100k followers');
    expect(await page.locator('#accounts tbody tr td:first-child').allInnerTexts()).toEqual([
      'Instagram\n@browser.tess · Micro',
      'TikTok\n@tess.trails · Nano',
    ]);
    // A phone has no room for the tier column: the tier moves beside the handle.
    expect(await page.locator('#accounts th.tier').isVisible()).toBe(false);

    const charts = await page.locator('#audience figure.chart').evaluateAll((els) =>
      els.map((e) => {
        type Drawn = { textContent: string | null; getBoundingClientRect(): { width: number } };
        const all = (selector: string) => Array.from(e.querySelectorAll(selector) as unknown as ArrayLike<Drawn>);
        return {
          title: e.querySelector('figcaption')!.textContent,
          labels: all('text.label').map((t) => t.textContent),
          values: all('text.value').map((t) => t.textContent),
          bars: all('rect.fill').map((r) => r.getBoundingClientRect().width),
        };
      }),
    );
    expect(charts.map((c) => [c.title, c.labels, c.values])).toEqual([
      ['Age', ['18–24', '25–34', '35–44'], ['30 %', '45 %', '15 %']],
      ['Gender', ['Female', 'Male'], ['60 %', '38 %']],
      ['Top countries', ['United States', 'Canada', 'United Kingdom'], ['60 %', '15 %', '10 %']],
    ]);
    // Bars are drawn to scale: 25–34 (45 %) is three times 35–44 (15 %).
    const [young, core, older] = charts[0].bars;
    expect(core).toBeGreaterThan(young);
    expect(core / older).toBeCloseTo(3, 1);

    expect(await page.locator('#rates .rate-group h3').allInnerTexts()).toEqual(['Instagram', 'TikTok']);
    expect(await page.locator('#rates td').allInnerTexts()).toEqual(['Story', '$150.00', 'Reel', '$400.00', 'Video', '¥35,000']);

    const posts = page.locator('#posts .post');
    expect(await posts.count()).toBe(3);
    expect(await page.locator('#posts a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      'https://www.instagram.com/p/bear-peak/',
      'https://www.instagram.com/p/three-knots/',
    ]);
    expect(await posts.nth(2).locator('a').count()).toBe(0); // that post has no permalink

    // The page's DOM, as the browser sees it (this file is compiled without the DOM's types).
    const overflow = await page.evaluate<{ scroll: number; viewport: number }>(
      '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
    );
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.viewport);
    await page.screenshot({ path: join(shots, 'phone.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(offMachine).toEqual([AVATAR]);
    await page.close();
  });

  it('lays the card out for a desktop and for print', async () => {
    const page = await open(`/media-kits/${tess.handle}`, 1280);
    // Figures side by side on a wide screen.
    const tops = await page.locator('.figure').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    expect(await page.locator('#accounts td.tier').allInnerTexts()).toEqual(['Micro', 'Nano']);
    expect(await page.locator('#accounts .tier-inline').first().isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'desktop.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('footer').evaluate((f) => f.ownerDocument.defaultView!.getComputedStyle(f).display)).toBe('none');
    expect(await page.locator('body').evaluate((b) => b.ownerDocument.defaultView!.getComputedStyle(b).backgroundColor)).toBe(
      'rgb(255, 255, 255)',
    );
    // Printed, a post's link is written out after it.
    const printedLink = await page
      .locator('#posts a')
      .first()
      .evaluate((a) => a.ownerDocument.defaultView!.getComputedStyle(a, '::after').content);
    expect(printedLink).toBe('" (https://www.instagram.com/p/bear-peak/)"');
    const pdf = await page.pdf({ path: join(shots, 'print.pdf'), format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(consoleErrors).toEqual([]);
    expect(offMachine).toEqual([AVATAR]);
    await page.close();
  });

  it('leaves out what a creator has not got (rates, best posts, audience) and shows initials without a photo', async () => {
    const page = await open(`/media-kits/${bea.handle}`, 390);
    expect(await page.locator('h1').innerText()).toBe('Bea Baker');
    expect(await page.locator('.photo').innerText()).toBe('BB');
    expect(await page.locator('.photo img').count()).toBe(0);
    expect(await page.locator('section h2').allInnerTexts()).toEqual(['AT A GLANCE', 'ACCOUNTS']);
    for (const id of ['rates', 'posts', 'audience']) expect([id, await page.locator(`#${id}`).count()]).toEqual([id, 0]);
    expect(await page.getByText('Best posts').count()).toBe(0);
    // No posts: the engagement rate is the self-reported one.
    expect(await page.locator('.figure dt').allInnerTexts()).toContain('Engagement rate');
    await page.screenshot({ path: join(shots, 'phone-sparse.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(offMachine).toEqual([]);
    await page.close();
  });

  it('shows the initials, not a broken image, when the photo cannot be loaded', async () => {
    const page = await open(`/media-kits/${cy.handle}`, 390);
    const photo = page.locator('.photo img');
    expect(await photo.getAttribute('src')).toBe(UNREACHABLE);
    expect(await photo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(0);
    // The broken image draws its ::after over itself: the initials on the photo's background.
    const cover = await photo.evaluate((img) => {
      const style = img.ownerDocument.defaultView!.getComputedStyle(img, '::after');
      return { content: style.content, position: style.position };
    });
    expect(cover).toEqual({ content: '"CO"', position: 'absolute' });
    await page.locator('header').screenshot({ path: join(shots, 'phone-photo-unreachable.png') });
    // The one error is the refused photo, which the browser reports as a failed load.
    expect(consoleErrors).toHaveLength(1);
    expect(consoleErrors[0]).toMatch(/Failed to load resource/);
    expect(offMachine).toEqual([UNREACHABLE]);
    await page.close();
  });
});
