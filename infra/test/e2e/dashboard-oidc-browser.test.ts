import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { BrowserContext, chromium } from 'playwright-core';
import { createEphemeralDevIssuer, DevIssuer } from '@influenceflow/kit';
import { repoRoot } from '../../src/repo';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/testing/chromium';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { webDist } from '../../src/web-build';

const CLIENT_ID = 'influenceflow-dashboard';

const base64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const bodyOf = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => resolve(text));
  });

/**
 * A production deployment's sign-in: the dashboard signs in through an OpenID Connect provider with the
 * authorization code flow and PKCE, and sends the provider's access token to the gateway. The provider here is
 * a small one of the test's own on another port (another origin, which the dashboard's CSP must allow):
 * discovery, an authorization endpoint that signs the visitor in at once, a token endpoint that checks the PKCE
 * verifier against the challenge, the key set the gateway verifies access tokens with, an end-session endpoint.
 */
describe('the web dashboard signing in through OpenID Connect (production)', () => {
  let stack: TestStack;
  let provider: Server;
  let issuer: DevIssuer;
  let providerOrigin: string;
  let context: BrowserContext;
  let profileDir: string;
  const seen: { challengeMethod?: string; verifierMatched?: boolean; redirectUri?: string; clientId?: string; loggedOut?: boolean } = {};
  const consoleErrors: string[] = [];
  let brandId = '';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: bash scripts/test.sh installs it`);
    if (!existsSync(join(webDist(repoRoot()), 'index.html')))
      throw new Error('web/dist is missing: the test command builds the dashboard first');
    // the provider's access tokens: what the gateway accepts (iss, aud, roles, brandIds), verified by its key set
    issuer = await createEphemeralDevIssuer();
    const idKey = await generateKeyPair('ES256');
    const codes = new Map<string, { challenge: string; nonce: string | null }>();
    provider = createServer((req, res) => {
      const url = new URL(req.url ?? '/', providerOrigin);
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(body));
      if (req.method === 'OPTIONS')
        return res
          .writeHead(204, {
            'access-control-allow-origin': '*',
            'access-control-allow-headers': 'content-type',
            'access-control-allow-methods': 'GET, POST',
          })
          .end();
      if (url.pathname === '/.well-known/openid-configuration')
        return json(200, {
          issuer: providerOrigin,
          authorization_endpoint: `${providerOrigin}/authorize`,
          token_endpoint: `${providerOrigin}/token`,
          jwks_uri: `${providerOrigin}/jwks.json`,
          end_session_endpoint: `${providerOrigin}/logout`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        });
      if (url.pathname === '/jwks.json') return json(200, issuer.jwks);
      if (url.pathname === '/authorize') {
        seen.challengeMethod = url.searchParams.get('code_challenge_method') ?? undefined;
        seen.redirectUri = url.searchParams.get('redirect_uri') ?? undefined;
        seen.clientId = url.searchParams.get('client_id') ?? undefined;
        const code = base64url(createHash('sha256').update(String(Math.random())).digest());
        codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', nonce: url.searchParams.get('nonce') });
        const back = new URL(seen.redirectUri ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        return res.writeHead(302, { location: back.toString() }).end();
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        void bodyOf(req).then(async (text) => {
          const form = new URLSearchParams(text);
          const grant = codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          seen.verifierMatched = !!grant && base64url(createHash('sha256').update(verifier).digest()) === grant.challenge;
          if (!grant || !seen.verifierMatched) return json(400, { error: 'invalid_grant' });
          codes.delete(form.get('code')!);
          const now = Math.floor(Date.now() / 1000);
          const idToken = await new SignJWT({ name: 'Olivia Oidc', ...(grant.nonce ? { nonce: grant.nonce } : {}) })
            .setProtectedHeader({ alg: 'ES256' })
            .setIssuer(providerOrigin)
            .setAudience(CLIENT_ID)
            .setSubject('oidc-olivia')
            .setIssuedAt(now)
            .setExpirationTime(now + 600)
            .sign(idKey.privateKey);
          const accessToken = await issuer.sign({ sub: 'oidc-olivia', roles: ['brand_member'], brandIds: [brandId] });
          return json(200, {
            access_token: accessToken,
            id_token: idToken,
            token_type: 'Bearer',
            expires_in: 600,
            scope: 'openid profile',
          });
        });
        return;
      }
      if (url.pathname === '/logout') {
        seen.loggedOut = true;
        return res.writeHead(302, { location: url.searchParams.get('post_logout_redirect_uri') ?? '/' }).end();
      }
      json(404, { error: 'not_found' });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    providerOrigin = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;

    stack = await startTestStack({
      gateway: {
        nodeEnv: 'production',
        graphiql: false,
        jwksUrl: `${providerOrigin}/jwks.json`,
        jwtIssuer: issuer.issuer,
        jwtAudience: issuer.audience,
        web: { dir: webDist(repoRoot()), oidc: { issuer: providerOrigin, clientId: CLIENT_ID, scope: 'openid profile' } },
      },
      subgraphs: { nodeEnv: 'production' },
    });
    const brand = await stack.subgraphs.campaign.query<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Oak & Otter", websiteUrl: "https://oak.example" }) { id } }`,
      {},
      { sub: 'admin', roles: ['admin'], brandIds: [], creatorId: null },
    );
    expect(brand.errors).toBeUndefined();
    brandId = brand.data!.createBrand.id;

    profileDir = mkdtempSync(join(tmpdir(), 'dashboard-oidc-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    await context.route('**/*', (route) =>
      (/^http:\/\/127\.0\.0\.1(:\d+)?\//.test(route.request().url()) ? route.continue() : route.abort()).catch(() => undefined),
    );
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await stack?.close();
    await new Promise((resolve) => provider?.close(resolve));
  });

  it('signs in with the authorization code and PKCE, calls the API with the access token, and signs out at the provider', async () => {
    const origin = new URL(stack.gateway.url).origin;
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    // no development sign-in in production
    expect((await page.request.get(`${origin}/dev/users`)).status()).toBe(404);

    await page.goto(`${origin}/app/campaigns`);
    await page.waitForURL(/\/app\/sign-in\?next=%2Fcampaigns$/);
    expect(await page.getByRole('button', { name: /^Sign in as/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    // to the provider and back, then to the page asked for
    await page.waitForURL(new RegExp(`^${origin}/app/campaigns$`));
    await page.getByText('Oak & Otter has no campaign yet.').waitFor();
    expect(seen).toMatchObject({
      challengeMethod: 'S256',
      verifierMatched: true,
      redirectUri: `${origin}/app/callback`,
      clientId: CLIENT_ID,
    });
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Olivia Oidc');
    // the access token is in this tab's sessionStorage only, and the API took it (me and campaigns answered)
    const stored = await page.evaluate<string | null>("sessionStorage.getItem('influenceflow.session')");
    expect(JSON.parse(stored!)).toMatchObject({ via: 'oidc', label: 'Olivia Oidc' });
    expect(await page.locator('nav[aria-label="Main"] a').allInnerTexts()).toContain('Discover');

    const toProvider = page.waitForRequest((r) => r.url().startsWith(`${providerOrigin}/logout?`));
    await page.getByRole('button', { name: 'Sign out' }).click();
    const logout = new URL((await toProvider).url());
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${origin}/app/sign-in`);
    await page.waitForURL(new RegExp(`^${origin}/app/sign-in$`));
    await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
    expect(seen.loggedOut).toBe(true);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('influenceflow.session')")).toBeNull();
    // the CSP let the app reach the provider (a refusal would be a console error)
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
