import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { landingScript } from '@influenceflow/analytics';
import { closeServer } from '@influenceflow/kit';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../src/testing/chromium';

/**
 * The click keeper (analytics' /t.js) on a brand's pages, in Debian's Chromium: a visitor lands on page A
 * with a click id and UTM values, browses to page B, and the id is still there (cookie, localStorage,
 * every form, later forms too); ids of the wrong shape are ignored; it works with cookies or localStorage
 * refused; a newer click replaces an older; links are decorated for the listed domains only. No page
 * error, and nothing requested but the pages and the script.
 */
// The page functions below run in Chromium; these are their globals, declared for this file only (the tests
// compile without the DOM library, which would change Node's types for every other test).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const localStorage: any;
declare const Document: any;
type HTMLInputElement = { value: string; type: string };
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The script's API as a page sees it (the casts are the tests' types only: page functions run as they are). */
type WithKeeper = { InfluenceFlow: { clickId(): string | null; utm(): Record<string, string>; decorate(url: string): string } };

describe('the click keeper in a browser', () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let requested: string[] = [];
  let pageErrors: string[] = [];

  const ID = '01938f6e-7c1a-7d2b-9f00-5a6b7c8d9e0f';
  const NEWER = 'Xy_9-abcdefgh1234';
  const TAG = (attrs: string) => `<script src="/t.js" async ${attrs}></script>`;
  const LINKS = `
    <a id="shop" href="https://shop.example/cart?x=1#top">shop</a>
    <a id="www-shop" href="https://www.shop.example/">www shop</a>
    <a id="lookalike" href="https://myshop.example/">myshop</a>
    <a id="eu" href="https://brand-eu.example/de?ifclid=old">eu</a>
    <a id="other" href="https://other.example/">other</a>
    <a id="here" href="/b.html">page b</a>
    <a id="mail" href="mailto:hi@shop.example">mail</a>`;
  const PAGES: Record<string, string> = {
    '/a.html': `${TAG('data-days="30" data-decorate-links="same-site" data-domains="shop.example, *.brand-eu.example, not a domain"')}
      <h1>A</h1>${LINKS}<form id="early"><input name="email"></form>`,
    '/b.html': `${TAG('data-days="30" data-domains="shop.example"')}
      <h1>B</h1>${LINKS}
      <form id="signup" method="post" action="/signup"><input name="email"></form>
      <form id="own"><input type="hidden" name="ifclid" value=""></form>
      <form id="kept"><input type="hidden" name="ifclid" value="the-brands-own-value"></form>`,
    '/short.html': `${TAG('data-days="2"')}<h1>short</h1>`,
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM_PATH}: the test command installs it (bash scripts/test.sh), or apt-get install chromium`,
      );
    }
    const script = landingScript();
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      requested.push(path);
      if (path === '/t.js') {
        res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', etag: script.etag }).end(script.body);
      } else if (PAGES[path]) {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<!doctype html><html><head><meta charset="utf-8"></head><body>${PAGES[path]}</body></html>`);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    if (server) await closeServer(server, 1000);
  });

  beforeEach(() => {
    requested = [];
    pageErrors = [];
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
    expect(requested.filter((p) => !['/a.html', '/b.html', '/short.html', '/t.js', '/favicon.ico'].includes(p))).toEqual([]);
  });

  /** A fresh visitor (its own cookies and storage); `refuse` makes that storage throw, as blocked storage does. */
  async function visitor(refuse: { cookies?: boolean; localStorage?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    if (refuse.cookies) {
      await context.addInitScript(() => {
        const refused = () => {
          throw new DOMException('The document is sandboxed', 'SecurityError');
        };
        Object.defineProperty(Document.prototype, 'cookie', { get: refused, set: refused, configurable: true });
      });
    }
    if (refuse.localStorage) {
      await context.addInitScript(() => {
        Object.defineProperty(window, 'localStorage', {
          get: () => {
            throw new DOMException('Access is denied for this document', 'SecurityError');
          },
          configurable: true,
        });
      });
    }
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) requested.push(r.url());
    });
    return page;
  }

  /** Opens a page and waits for the script, which loads async. */
  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${base}${path}`);
    await page.waitForFunction(() => typeof (window as { InfluenceFlow?: unknown }).InfluenceFlow === 'object');
  }

  const clickId = (page: Page) => page.evaluate(() => (window as unknown as WithKeeper).InfluenceFlow.clickId());
  const hiddenValue = (page: Page, form: string) =>
    page.evaluate((id) => (document.querySelector(`#${id} input[name="ifclid"]`) as HTMLInputElement | null)?.value ?? null, form);
  const cookie = async (page: Page) => (await page.context().cookies()).find((c) => c.name === '_ifclid');

  it('keeps the click id and UTM values from the landing page to the next, in a cookie, localStorage and every form', async () => {
    const page = await visitor();
    await open(page, `/a.html?ifclid=${ID}&utm_campaign=x&utm_source=influenceflow&utm_content=ella.runs&other=1`);
    expect(await clickId(page)).toBe(ID);
    expect(await hiddenValue(page, 'early')).toBe(ID);

    const kept = await cookie(page);
    expect(kept).toMatchObject({ value: ID, path: '/', sameSite: 'Lax', secure: false, httpOnly: false });
    const days = (kept!.expires * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    await open(page, '/b.html');
    expect(page.url()).toBe(`${base}/b.html`);
    expect(await clickId(page)).toBe(ID);
    expect(await page.evaluate(() => (window as unknown as WithKeeper).InfluenceFlow.utm())).toEqual({
      utm_campaign: 'x',
      utm_source: 'influenceflow',
      utm_content: 'ella.runs',
    });
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('_ifclid')!));
    expect(stored).toMatchObject({ id: ID, utm: { utm_campaign: 'x' } });

    // The form on B, hidden and posted with it; the brand's own empty field filled, a value of its own kept.
    expect(await hiddenValue(page, 'signup')).toBe(ID);
    expect(await page.$eval('#signup input[name="ifclid"]', (i) => (i as HTMLInputElement).type)).toBe('hidden');
    expect(await page.$$eval('#own input[name="ifclid"]', (i) => i.map((x) => (x as HTMLInputElement).value))).toEqual([ID]);
    expect(await hiddenValue(page, 'kept')).toBe('the-brands-own-value');

    // A form the page adds later, alone or inside something else.
    await page.evaluate(() => {
      const late = document.createElement('form');
      late.id = 'late';
      document.body.appendChild(late);
      const box = document.createElement('div');
      box.innerHTML = '<section><form id="nested"><input name="email"></form></section>';
      document.body.appendChild(box);
    });
    await page.waitForFunction(
      () => !!document.querySelector('#late input[name="ifclid"]') && !!document.querySelector('#nested input[name="ifclid"]'),
    );
    expect(await hiddenValue(page, 'late')).toBe(ID);
    expect(await hiddenValue(page, 'nested')).toBe(ID);

    // decorate(): any address, the id put before the fragment, an older one replaced, garbage left alone.
    expect(
      await page.evaluate(() =>
        (window as unknown as WithKeeper).InfluenceFlow.decorate('https://pay.example/checkout?ifclid=old&a=1#step'),
      ),
    ).toBe(`https://pay.example/checkout?ifclid=${ID}&a=1#step`);
    expect(await page.evaluate(() => (window as unknown as WithKeeper).InfluenceFlow.decorate('http://[::1'))).toBe('http://[::1');
    expect(await page.evaluate(() => (window as unknown as WithKeeper).InfluenceFlow.decorate('javascript:alert(1)'))).toBe(
      'javascript:alert(1)',
    );
  });

  it('ignores a click id of the wrong shape, and keeps the good one it had', async () => {
    const page = await visitor();
    for (const bad of [
      '<script>alert(1)</script>',
      'a'.repeat(500),
      'short',
      'abc\u0000defghij',
      'abc def ghij',
      'ab"c;d=e,fgh',
      'ünïcödé-id-123',
    ]) {
      await open(page, `/a.html?ifclid=${encodeURIComponent(bad)}&utm_campaign=bad`);
      expect({ bad, id: await clickId(page) }).toEqual({ bad, id: null });
      expect(await page.evaluate(() => (window as unknown as WithKeeper).InfluenceFlow.utm())).toEqual({});
      expect(await page.$$('input[name="ifclid"]')).toHaveLength(0);
      expect(await page.$eval('#shop', (a) => a.getAttribute('href'))).toBe('https://shop.example/cart?x=1#top');
    }
    expect(await cookie(page)).toBeUndefined();
    expect(await page.evaluate(() => localStorage.getItem('_ifclid'))).toBeNull();

    await open(page, `/a.html?ifclid=${ID}`);
    await open(page, `/b.html?ifclid=${'x'.repeat(65)}&utm_campaign=${'y'.repeat(300)}`);
    expect(await clickId(page)).toBe(ID);

    // A tampered store is not believed either.
    await page.context().clearCookies();
    await page.evaluate(() => localStorage.setItem('_ifclid', JSON.stringify({ id: '<img src=x>', utm: {}, at: Date.now() })));
    await open(page, '/b.html');
    expect(await clickId(page)).toBeNull();
    await page.evaluate(() => localStorage.setItem('_ifclid', '{not json'));
    await open(page, '/b.html');
    expect(await clickId(page)).toBeNull();
  });

  it('works with cookies refused (localStorage) and with localStorage refused (the cookie)', async () => {
    const noCookies = await visitor({ cookies: true });
    await open(noCookies, `/a.html?ifclid=${ID}&utm_campaign=x`);
    await open(noCookies, '/b.html');
    expect(await clickId(noCookies)).toBe(ID);
    expect(await noCookies.evaluate(() => (window as unknown as WithKeeper).InfluenceFlow.utm())).toEqual({ utm_campaign: 'x' });
    expect(await hiddenValue(noCookies, 'signup')).toBe(ID);
    expect(await cookie(noCookies)).toBeUndefined();

    const noStorage = await visitor({ localStorage: true });
    await open(noStorage, `/a.html?ifclid=${ID}&utm_campaign=x`);
    await open(noStorage, '/b.html');
    expect(await clickId(noStorage)).toBe(ID);
    expect(await hiddenValue(noStorage, 'signup')).toBe(ID);
    expect((await cookie(noStorage))?.value).toBe(ID);

    // Neither: the id is there on the landing page itself, and nothing throws.
    const neither = await visitor({ cookies: true, localStorage: true });
    await open(neither, `/a.html?ifclid=${ID}`);
    expect(await clickId(neither)).toBe(ID);
    expect(await hiddenValue(neither, 'early')).toBe(ID);
    await open(neither, '/b.html');
    expect(await clickId(neither)).toBeNull();
  });

  it('replaces an older click with a newer one, and writes a lost cookie again for what is left of its days', async () => {
    const page = await visitor();
    await open(page, `/a.html?ifclid=${ID}&utm_content=first`);
    await open(page, `/a.html?ifclid=${NEWER}&utm_content=second`);
    await open(page, '/b.html');
    expect(await clickId(page)).toBe(NEWER);
    expect(await page.evaluate(() => (window as unknown as WithKeeper).InfluenceFlow.utm())).toEqual({ utm_content: 'second' });
    expect((await cookie(page))?.value).toBe(NEWER);

    await open(page, `/short.html?ifclid=${ID}`);
    const twoDays = (await cookie(page))!;
    expect((twoDays.expires * 1000 - Date.now()) / 86_400_000).toBeLessThanOrEqual(2);
    await page.context().clearCookies();
    await open(page, '/short.html');
    expect(await clickId(page)).toBe(ID);
    const again = (await cookie(page))!;
    expect(again.value).toBe(ID);
    expect(again.expires).toBeLessThanOrEqual(twoDays.expires + 1);
  });

  it('adds the id to links to the listed domains only, when asked to, and to links added later', async () => {
    const page = await visitor();
    await open(page, `/a.html?ifclid=${ID}`);
    const href = (id: string) => page.$eval(`#${id}`, (a) => a.getAttribute('href'));
    expect(await href('shop')).toBe(`https://shop.example/cart?x=1&ifclid=${ID}#top`);
    expect(await href('www-shop')).toBe(`https://www.shop.example/?ifclid=${ID}`);
    expect(await href('eu')).toBe(`https://brand-eu.example/de?ifclid=${ID}`);
    expect(await href('lookalike')).toBe('https://myshop.example/');
    expect(await href('other')).toBe('https://other.example/');
    expect(await href('here')).toBe('/b.html');
    expect(await href('mail')).toBe('mailto:hi@shop.example');

    await page.evaluate(() => {
      const link = document.createElement('a');
      link.id = 'late';
      link.href = 'https://shop.example/late';
      document.body.appendChild(link);
    });
    await page.waitForFunction(() => document.querySelector('#late')!.getAttribute('href')!.includes('ifclid='));
    expect(await href('late')).toBe(`https://shop.example/late?ifclid=${ID}`);

    // B lists a domain but does not ask for decoration: its links stay as they are.
    await open(page, '/b.html');
    expect(await clickId(page)).toBe(ID);
    expect(await href('shop')).toBe('https://shop.example/cart?x=1#top');
  });
});
