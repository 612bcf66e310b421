import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createLogger } from '@influenceflow/kit';
import { mountDevSignIn, mountWebApp, parseDevUsers, webContentSecurityPolicy } from './web-app';

const logger = createLogger('gateway', 'silent');

describe('the web dashboard at /app/', () => {
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'web-app-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>app</title><script type="module" src="/app/assets/index-abc123.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'persisted-operations.json'), '{}');
    const app = express();
    mountDevSignIn(
      app,
      {
        sign: async (claims) => `token-for-${claims.sub}`,
        users: () =>
          parseDevUsers(JSON.stringify([{ id: 'brand-member', label: 'Alice', claims: { sub: 'alice', roles: ['brand_member'] } }])),
      },
      logger,
    );
    mountWebApp(app, { dir, production: false, devSignIn: true, logger });
    app.use((_req, res) => res.status(404).json({ error: 'not found' }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers index.html for every client route, never cached, with the strict CSP', async () => {
    for (const path of ['/app/', '/app/discover', '/app/creators/00000000-0000-4000-8000-000000000001', '/app/campaigns/new']) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>app</title>');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const bare = await fetch(`${base}/app`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/app/');
  });

  it('caches hashed assets for a year, and answers a missing file 404, not the page', async () => {
    const asset = await fetch(`${base}/app/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    for (const path of ['/app/assets/gone-000.js', '/app/missing.png'])
      expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 404]);
    // a file beside index.html is revalidated each time
    expect((await fetch(`${base}/app/persisted-operations.json`)).headers.get('cache-control')).toBe('no-cache');
  });

  it('tells the app how to sign in', async () => {
    const res = await fetch(`${base}/app/config.json`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ signIn: 'development' });
  });

  it('lists the demo users and signs in as one of them, and only them', async () => {
    const users = (await (await fetch(`${base}/dev/users`)).json()) as { users: { id: string }[] };
    expect(users.users.map((u) => u.id)).toEqual(['brand-member', 'admin']);
    const ok = await fetch(`${base}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"user":"brand-member"}',
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { token: string }).token).toBe('token-for-alice');
    const unknown = await fetch(`${base}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"user":"root"}',
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: { extensions: { field: string } }[] }).errors[0].extensions.field).toBe('user');
  });
});

describe('mountWebApp without a build', () => {
  it('serves nothing when the directory has no index.html', () => {
    const empty = mkdtempSync(join(tmpdir(), 'web-empty-'));
    try {
      expect(mountWebApp(express(), { dir: empty, production: true, devSignIn: false, logger })).toBeNull();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('parseDevUsers', () => {
  it('keeps well-formed users only, and always offers the admin', () => {
    const users = parseDevUsers(
      JSON.stringify([
        { id: 'creator-tess', label: 'Tess', claims: { sub: 'tess', roles: ['creator'], creatorId: 'x' } },
        { id: 'Bad Id', label: 'x', claims: { sub: 'x', roles: ['admin'] } },
        { id: 'partner', label: 'x', claims: { sub: 'x', roles: ['partner'] } },
        { id: 'nolabel', claims: { sub: 'x', roles: ['admin'] } },
      ]),
    );
    expect(users.map((u) => u.id)).toEqual(['creator-tess', 'admin']);
    expect(parseDevUsers('not json').map((u) => u.id)).toEqual(['admin']);
    expect(parseDevUsers(null).map((u) => u.id)).toEqual(['admin']);
  });
});

describe('webContentSecurityPolicy', () => {
  it("lets the app reach its own origin and the OpenID Connect provider's, nothing else", () => {
    expect(webContentSecurityPolicy()).toContain("connect-src 'self';");
    expect(webContentSecurityPolicy('https://id.example.com/realms/acme')).toContain("connect-src 'self' https://id.example.com;");
    expect(webContentSecurityPolicy()).toContain("default-src 'none'");
  });
});
