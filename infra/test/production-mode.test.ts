import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEphemeralDevIssuer, DevIssuer, GatewayConfig } from '@influenceflow/kit';
import { gatewayCallHeaders } from '@influenceflow/kit/testing';
import { startGateway } from '@influenceflow/gateway';
import { startTestStack, TestStack } from '../src/testing/stack';

/**
 * NODE_ENV=production is strict: no introspection, no suggestions, no GraphiQL unless asked for (and never
 * with a token in the page), no development issuer, nothing internal in errors; and it refuses to start
 * with the development conveniences.
 */
const root = join(__dirname, '..', '..');
const SECRET = 'p'.repeat(48);

function startGatewayProcess(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(root, 'gateway', 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', GATEWAY_PORT: '0', NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr };
}

describe('production mode', () => {
  it('refuses to start the gateway with the development secret, the development issuer or a GraphiQL token file', () => {
    const noSecret = startGatewayProcess({ JWKS_URL: 'https://id.example/.well-known/jwks.json' });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain('GATEWAY_SIGNING_SECRET: the development default must not be used in production');
    const noIssuer = startGatewayProcess({ GATEWAY_SIGNING_SECRET: SECRET });
    expect(noIssuer.code).toBe(1);
    expect(noIssuer.stderr).toContain('JWKS_URL');
    const tokenPage = startGatewayProcess({
      GATEWAY_SIGNING_SECRET: SECRET,
      JWKS_URL: 'https://id.example/.well-known/jwks.json',
      GRAPHIQL_HEADERS_FILE: '/tmp/headers.json',
    });
    expect(tokenPage.code).toBe(1);
    expect(tokenPage.stderr).toContain('GRAPHIQL_HEADERS_FILE');
    for (const { stderr } of [noSecret, noIssuer, tokenPage]) expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  describe('a running production stack', () => {
    let stack: TestStack;
    let jwks: Server;
    let issuer: DevIssuer;
    let jwksUrl: string;
    let member: string;
    let webDir: string;

    beforeAll(async () => {
      // a dashboard build (its index.html is all the gateway needs to serve it)
      webDir = mkdtempSync(join(tmpdir(), 'prod-web-'));
      writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>dashboard</title>');
      // A real issuer's key set, over HTTP like an identity provider's.
      issuer = await createEphemeralDevIssuer();
      jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks)));
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
      stack = await startTestStack({
        gateway: {
          nodeEnv: 'production',
          jwksUrl,
          graphiql: false,
          jwtIssuer: issuer.issuer,
          jwtAudience: issuer.audience,
          web: { dir: webDir, oidc: { issuer: 'https://id.example.com/realms/acme', clientId: 'dashboard', scope: 'openid profile' } },
        },
        subgraphs: { nodeEnv: 'production' },
        // offered to the gateway, which must not mount it in production
        devUsers: [{ id: 'brand-member', label: 'x', claims: { sub: 'x', roles: ['brand_member'] } }],
      });
      member = await issuer.sign({ sub: 'm', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-000000000009'] });
    }, 120_000);
    afterAll(async () => {
      await stack?.close();
      await new Promise((resolve) => jwks?.close(resolve));
      if (webDir) rmSync(webDir, { recursive: true, force: true });
    });

    it('has no development sign-in: the dashboard signs in through the OpenID Connect provider', async () => {
      const base = stack.gateway.url.replace('/graphql', '');
      expect((await fetch(`${base}/dev/users`)).status).toBe(404);
      const token = await fetch(`${base}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'admin' }),
      });
      expect(token.status).toBe(404);
      expect(JSON.stringify(await token.json())).not.toMatch(/eyJ/);
      const config = await fetch(`${base}/app/config.json`);
      expect(await config.json()).toEqual({
        signIn: 'oidc',
        oidc: { authority: 'https://id.example.com/realms/acme', clientId: 'dashboard', scope: 'openid profile' },
      });
      const page = await fetch(`${base}/app/campaigns`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>dashboard</title>');
      expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' https://id.example.com;");
      expect(stack.gateway.webUrl).toBe(`${base}/app/`);
    });

    it('accepts tokens of the configured issuer only (not the development one)', async () => {
      expect((await stack.query('{ __typename }', {}, member)).errors).toBeUndefined();
      const devToken = await stack.token({ sub: 'm', roles: ['admin'] });
      expect((await stack.query('{ __typename }', {}, devToken)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('answers no introspection, at the gateway nor at a subgraph', async () => {
      for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Query") { fields { name } } }']) {
        const res = await stack.query(q, {}, member);
        expect(res.data ?? null).toBeNull();
        expect(res.errors?.[0].message).toMatch(/introspection/i);
      }
      const body = JSON.stringify({ query: '{ __schema { types { name } } }' });
      const res = await fetch(stack.subgraphs.discovery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...gatewayCallHeaders('discovery', body, null, stack.subgraphs.discovery.config.gatewaySigningSecret),
        },
        body,
      });
      expect(((await res.json()) as { errors?: { message: string }[] }).errors?.[0].message).toMatch(/introspection/i);
    });

    it('suggests no field names', async () => {
      const res = await stack.query('{ creatorz(id: "00000000-0000-4000-8000-000000000001") { id } }');
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).not.toMatch(/Did you mean/);
    });

    it('serves no GraphiQL and no development key set', async () => {
      const base = stack.gateway.url.replace('/graphql', '');
      for (const path of ['/', '/graphql']) {
        const res = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
        expect(await res.text()).not.toMatch(/GraphiQL/);
      }
      expect((await fetch(`${base}/.well-known/jwks.json`)).status).toBe(404);
    });

    it('names no subgraph in errors', async () => {
      const res = await stack.query(`{ campaign(id: "00000000-0000-4000-8000-000000000001") { id } }`, {}, member);
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      // Development adds `serviceName: "campaign"` to help debugging; production does not.
      expect(Object.keys(res.errors![0].extensions!).sort()).toEqual(['code', 'entity', 'id']);
    });

    it('serves GraphiQL when asked for, never with a token, and refuses the development issuer at start', async () => {
      const base: GatewayConfig = {
        nodeEnv: 'production',
        logLevel: 'silent',
        kafka: stack.subgraphs.campaign.config.kafka,
        gatewaySigningSecret: stack.subgraphs.campaign.config.gatewaySigningSecret,
        bindHost: '127.0.0.1',
        port: 0,
        subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([n, s]) => [n, s.url])) as GatewayConfig['subgraphUrls'],
        jwtIssuer: issuer.issuer,
        jwtAudience: issuer.audience,
        devIssuerKeyDir: '',
        subgraphTimeoutMs: 10_000,
        graphiql: true,
        jwtMaxLifetimeSeconds: 3600,
      };
      await expect(startGateway(base, { devJwks: issuer.jwks })).rejects.toThrow(/JWKS_URL is required in production/);
      await expect(startGateway({ ...base, jwksUrl, graphiqlHeadersFile: '/tmp/headers.json' })).rejects.toThrow(/GRAPHIQL_HEADERS_FILE/);
      const gateway = await startGateway({ ...base, jwksUrl });
      try {
        const page = await (await fetch(gateway.url.replace('/graphql', '/'), { headers: { accept: 'text/html' } })).text();
        expect(page).toMatch(/GraphiQL/);
        expect(page).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT
      } finally {
        await gateway.stop();
      }
    });
  });
});
