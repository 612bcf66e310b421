import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { repoRoot } from '../../src/repo';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/testing/chromium';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { BRAND, CAMPAIGN, EMPTY_CAMPAIGN, linksOnGateway, seedGoldenReport } from './report-support';

const SHARE = `mutation($id: ID!) { shareCampaignReport(campaignId: $id) { url } }`;
const SERIES = `query($id: ID!, $share: String!, $interval: ReportInterval) { sharedCampaignReport(campaignId: $id, share: $share, interval: $interval) {
  series { period } creators { label } } }`;

/** Width, height and colour type from a PNG's IHDR chunk (the first after the 8-byte signature). */
function pngHeader(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * The campaign report page as a person sees it, in Debian's Chromium, opened by a share link (no sign-in):
 * the tiles, one column per period of the series in each chart, the creators ranked, the sentiment
 * stacked; no console errors (a CSP that blocked the page's own style would log one), nothing fetched at
 * all but the page, no sideways scrolling on a 390 px phone, a print layout. Screenshots of a phone and a
 * desktop are saved in .test-results/report-page/ and checked to be a drawn page, not a blank one.
 */
describe('the campaign report page in a browser', () => {
  let stack: TestStack;
  let context: BrowserContext;
  let profileDir: string;
  let shareUrl: string;
  let emptyShareUrl: string;
  const shots = join(repoRoot(), '.test-results', 'report-page');
  let requests: string[] = [];
  let consoleErrors: string[] = [];

  async function open(url: string, width: number, height: number): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    return page;
  }

  /**
   * How many distinct colours a grid of pixels of the PNG holds, and whether its top and bottom halves
   * differ: drawn in a blank page's canvas (the report's CSP allows no images, rightly).
   */
  async function pixels(png: Buffer): Promise<{ width: number; height: number; colours: number; halvesDiffer: boolean }> {
    const probe = await context.newPage();
    try {
      return await probe.evaluate<{ width: number; height: number; colours: number; halvesDiffer: boolean }>(`(async () => {
        const img = new Image();
        img.src = 'data:image/png;base64,${png.toString('base64')}';
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const g = canvas.getContext('2d');
        g.drawImage(img, 0, 0);
        const seen = new Set();
        const half = (top) => {
          const out = [];
          for (let y = 0; y < 40; y++) for (let x = 0; x < 40; x++) {
            const px = Math.floor((x + 0.5) * canvas.width / 40);
            const py = Math.floor(((top ? 0 : canvas.height / 2) + (y + 0.5) * canvas.height / 80));
            const d = g.getImageData(px, py, 1, 1).data;
            const key = d[0] + ',' + d[1] + ',' + d[2];
            seen.add(key);
            out.push(key);
          }
          return out.join(';');
        };
        const top = half(true);
        const bottom = half(false);
        return { width: canvas.width, height: canvas.height, colours: seen.size, halvesDiffer: top !== bottom };
      })()`);
    } finally {
      await probe.close();
    }
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM_PATH}: the test command installs it (bash scripts/test.sh), or apt-get install chromium`,
      );
    }
    stack = await startTestStack();
    linksOnGateway(stack);
    await seedGoldenReport(stack);
    const member = await stack.token({ sub: 'browser-member', roles: ['brand_member'], brandIds: [BRAND] });
    const made = await stack.query<{ shareCampaignReport: { url: string } }>(SHARE, { id: CAMPAIGN }, member);
    expect(made.errors).toBeUndefined();
    shareUrl = made.data!.shareCampaignReport.url;
    const empty = await stack.query<{ shareCampaignReport: { url: string } }>(SHARE, { id: EMPTY_CAMPAIGN }, member);
    expect(empty.errors).toBeUndefined();
    emptyShareUrl = empty.data!.shareCampaignReport.url;

    mkdirSync(shots, { recursive: true });
    profileDir = mkdtempSync(join(tmpdir(), 'report-page-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    // Nothing is served from off this machine: the page must need nothing from anywhere.
    await context.route('**/*', (route) =>
      /^(http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:)/.test(route.request().url()) ? route.continue() : route.abort(),
    );
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await stack?.close();
  });

  beforeEach(() => {
    requests = [];
    consoleErrors = [];
  });

  /** The series and creators the page draws, as the API gives them to the same link. */
  async function seeded(interval: 'DAY' | 'WEEK') {
    const share = new URL(shareUrl).searchParams.get('share')!;
    const r = await stack.query<{ sharedCampaignReport: { series: { period: string }[]; creators: { label: string }[] } }>(SERIES, {
      id: CAMPAIGN,
      share,
      interval,
    });
    expect(r.errors).toBeUndefined();
    return r.data!.sharedCampaignReport;
  }

  it('draws the report on a phone without sideways scrolling, and saves a screenshot that is a drawn page', async () => {
    const { series, creators } = await seeded('DAY');
    expect(series.length).toBeGreaterThanOrEqual(8);
    const page = await open(shareUrl, 390, 844);
    expect(await page.title()).toBe('Spring · Campaign report');
    expect(await page.locator('h1').innerText()).toBe('Spring');
    expect(await page.locator('.status').innerText()).toBe('Draft');
    const tiles = await page
      .locator('.figure')
      .evaluateAll((els) => els.map((e) => [e.querySelector('dt')!.textContent, e.querySelector('.value')!.textContent]));
    expect(tiles).toEqual([
      ['Clicks', '4'],
      ['Orders', '3'],
      ['Revenue', '$190.00'],
      ['Spend', '$398.00'],
      ['CPA', '$132.67'],
      ['ROI', '0.48×'],
      ['CTR', '0.05 %'],
      ['Conversion rate', '75.00 %'],
      ['Engagement rate', '10.60 %'],
      ['Repeat-purchase rate', '66.67 %'],
      ['Goal progress', '75.00 %'],
    ]);
    // one column per period in each chart; spend and revenue side by side
    for (const key of ['clicks', 'orders', 'spend', 'revenue'])
      expect([key, await page.locator(`svg rect.bar.${key}`).count()]).toEqual([key, series.length]);
    // the columns are drawn: the busiest click day's column has a height on screen
    const heights = await page.locator('svg rect.bar.clicks').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeGreaterThan(20);
    // the creators ranked, the best one's bar the full track, the other without revenue none
    expect(await page.locator('#creators .label').allInnerTexts()).toEqual(creators.map((c, i) => `${i + 1}. ${c.label}`));
    expect(await page.locator('#creators .value').allInnerTexts()).toEqual(['$190.00', '$0.00']);
    const [best, none] = await page.locator('#creators rect.fill').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    const track = await page
      .locator('#creators rect.track')
      .first()
      .evaluate((e) => e.getBoundingClientRect().width);
    expect(best).toBeCloseTo(track, 0);
    expect(none).toBe(0);
    // one comment of each sentiment: three equal parts
    const parts = await page.locator('#sentiment rect.part').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBeCloseTo(parts[2], 0);
    expect(await page.locator('#sentiment .legend li').allInnerTexts()).toEqual([
      'Positive 1 · 33.33 %',
      'Neutral 1 · 33.33 %',
      'Negative 1 · 33.33 %',
    ]);
    expect(await page.locator('.empty').count()).toBe(0);

    const overflow = await page.evaluate<{ scroll: number; viewport: number }>(
      '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
    );
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.viewport);
    const png = await page.screenshot({ path: join(shots, 'phone.png'), fullPage: true });
    const header = pngHeader(png);
    expect(header.width).toBe(390);
    expect(header.height).toBeGreaterThan(844);
    const drawn = await pixels(png);
    expect(drawn).toMatchObject({ width: header.width, height: header.height, halvesDiffer: true });
    expect(drawn.colours).toBeGreaterThan(12);
    // the charts' own area is drawn too, in the series' colour
    const chart = await pixels(await page.locator('#activity figure.chart').first().screenshot());
    expect(chart.colours).toBeGreaterThan(4);

    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([shareUrl]);
    await page.close();
  });

  it('lays the report out for a desktop, weekly, and for print', async () => {
    const { series } = await seeded('WEEK');
    const page = await open(`${shareUrl}&interval=week`, 1280, 900);
    expect(await page.locator('#activity h2').innerText()).toBe('CLICKS AND ORDERS BY WEEK');
    expect(await page.locator('svg rect.bar.clicks').count()).toBe(series.length);
    expect(await page.locator('.intervals [aria-current="page"]').innerText()).toBe('Weekly');
    // tiles side by side on a wide screen: more than one in the first row
    const tops = await page.locator('.figure').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(tops.filter((t) => t === tops[0]).length).toBeGreaterThan(3);
    const png = await page.screenshot({ path: join(shots, 'desktop.png'), fullPage: true });
    expect(pngHeader(png).width).toBe(1280);
    const drawn = await pixels(png);
    expect(drawn.halvesDiffer).toBe(true);
    expect(drawn.colours).toBeGreaterThan(12);

    // the period link keeps the share token
    await page.locator('.intervals a').click();
    expect(page.url()).toBe(`${shareUrl}&interval=day`);
    expect(await page.locator('#activity h2').innerText()).toBe('CLICKS AND ORDERS BY DAY');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.intervals').evaluate((n) => n.ownerDocument.defaultView!.getComputedStyle(n).display)).toBe('none');
    expect(await page.locator('body').evaluate((b) => b.ownerDocument.defaultView!.getComputedStyle(b).backgroundColor)).toBe(
      'rgb(255, 255, 255)',
    );
    const pdf = await page.pdf({ path: join(shots, 'print.pdf'), format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([`${shareUrl}&interval=week`, `${shareUrl}&interval=day`]);
    await page.close();
  });

  it('shows an empty campaign cleanly, with a no-data note for each chart', async () => {
    const page = await open(emptyShareUrl, 390, 844);
    expect(await page.locator('h1').innerText()).toBe('Summer');
    expect(await page.locator('.empty').allInnerTexts()).toEqual([
      'No data yet: clicks and orders show here from the first one.',
      'No data yet: spend and revenue show here once accrued or ordered.',
      'No data yet: no creator has joined the campaign.',
      'No data yet: no comment has been classified.',
    ]);
    expect(await page.locator('svg').count()).toBe(0);
    expect(await page.locator('[data-kpi="roi"] .value').innerText()).toBe('—');
    const overflow = await page.evaluate<{ scroll: number; viewport: number }>(
      '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
    );
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.viewport);
    await page.screenshot({ path: join(shots, 'phone-empty.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([emptyShareUrl]);
    await page.close();
  });
});
