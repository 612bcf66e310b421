import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { parse } from 'acorn';
import express from 'express';
import { closeServer, createLogger, jsonErrorHandler, listen, notFoundHandler } from '@influenceflow/kit';
import { CLICK_KEEPER_SOURCE, landingScript, landingScriptRoute, LANDING_SCRIPT_PATH } from './landing-script.route';

const es2017 = (code: string) => parse(code, { ecmaVersion: 2017, sourceType: 'script' });

describe('the click keeper as analytics serves it (GET /t.js)', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // The route as analytics's module mounts it, on an app of its own (no database needed).
    const app = express();
    landingScriptRoute(app);
    app.use(notFoundHandler);
    app.use(jsonErrorHandler(createLogger('analytics-test', 'silent')));
    const listening = await listen(app, 0, '127.0.0.1');
    server = listening.server;
    url = `http://127.0.0.1:${listening.port}${LANDING_SCRIPT_PATH}`;
  });
  afterAll(() => closeServer(server));

  it('serves the minified script as JavaScript, cacheable for an hour, with a strong ETag and nosniff', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(res.headers.get('etag')).toBe(landingScript().etag);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(landingScript().body)).toBe(true);
    expect(body.length).toBeLessThan(3 * 1024);
    expect(body.length).toBeLessThan(readFileSync(CLICK_KEEPER_SOURCE).length / 2);
  });

  // A browser revalidating sends `Cache-Control: max-age=0` (fetch would send no-cache with a validator).
  const revalidate = (ifNoneMatch: string, cacheControl = 'max-age=0') =>
    fetch(url, { headers: { 'if-none-match': ifNoneMatch, 'cache-control': cacheControl } });

  it('answers 304 without a body to a matching If-None-Match, in a list or weak, and 200 otherwise', async () => {
    const { etag } = landingScript();
    for (const ifNoneMatch of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
      const res = await revalidate(ifNoneMatch);
      expect({ ifNoneMatch, status: res.status }).toEqual({ ifNoneMatch, status: 304 });
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
      expect(await res.text()).toBe('');
    }
    for (const ifNoneMatch of ['"other"', etag.slice(0, -2) + '"', 'x'.repeat(6000), 'W/"\u00e9"']) {
      const res = await revalidate(ifNoneMatch);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(landingScript().body.length);
    }
  });

  it('sends the whole script to a forced reload (Cache-Control: no-cache), its tag matching or not', async () => {
    const res = await revalidate(landingScript().etag, 'no-cache');
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(landingScript().body.length);
  });

  it('answers HEAD with the headers alone, and ignores whatever query a page adds', async () => {
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(landingScript().etag);
    expect(await head.text()).toBe('');
    const odd = await fetch(`${url}?v=%3Cscript%3E&v=${'a'.repeat(4000)}&%00=1`);
    expect(odd.status).toBe(200);
    expect(Buffer.from(await odd.arrayBuffer()).equals(landingScript().body)).toBe(true);
  });

  it('serves nothing else at that path: other methods get the JSON 404', async () => {
    const res = await fetch(url, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('is ES2017, source and served alike, and makes no network calls', () => {
    const source = readFileSync(CLICK_KEEPER_SOURCE, 'utf8');
    const served = landingScript().body.toString('utf8');
    expect(() => es2017(source)).not.toThrow();
    expect(() => es2017(served)).not.toThrow();
    // The check bites: syntax after ES2017 is refused.
    expect(() => es2017('const a = {}; const b = { ...a }; a?.b;')).toThrow();
    expect(() => es2017('try {} catch {}')).toThrow();
    for (const code of [source, served]) {
      expect(code).not.toMatch(/\b(fetch|XMLHttpRequest|sendBeacon|WebSocket|EventSource|importScripts|Image|open)\s*\(|\.src\s*=|new\s+(Image|Worker)\b/);
    }
  });
});
