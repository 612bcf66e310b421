import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Express, Response } from 'express';
import type { Logger, Role, TokenClaims } from '@influenceflow/kit';

/** Where the web dashboard's build is when WEB_DIR is not set: the workspace's web/dist. */
export const DEFAULT_WEB_DIR = join(__dirname, '..', '..', 'web', 'dist');

/** Immutable: Vite names every asset by its content's hash. */
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';

export interface WebOidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

/** A demo user the development sign-in page offers (DEV_USERS_FILE, written by the start command). */
export interface DevUser {
  id: string;
  label: string;
  claims: TokenClaims;
}

export interface DevSignIn {
  sign(claims: TokenClaims): Promise<string>;
  /** Read at each request: the start command writes the file after seeding, once the gateway is up. */
  users(): DevUser[];
}

/**
 * The dashboard's Content-Security-Policy: its own scripts and styles only (Vite emits no inline script),
 * images from its origin and https (creators' photos), requests to its own origin (GraphQL over HTTP and
 * WebSocket) and the OpenID Connect provider's (discovery, token endpoint); no framing, no plugins.
 */
export function webContentSecurityPolicy(oidcIssuer?: string): string {
  const connect = ["'self'", ...(oidcIssuer ? [new URL(oidcIssuer).origin] : [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

const ROLES: readonly Role[] = ['brand_member', 'creator', 'analyst', 'admin'];

/** The demo users of a DEV_USERS_FILE: only well-formed entries, the admin always there. */
export function parseDevUsers(text: string | null): DevUser[] {
  const users: DevUser[] = [];
  if (text) {
    try {
      const list = JSON.parse(text) as unknown;
      if (Array.isArray(list))
        for (const u of list as Partial<DevUser>[]) {
          const c = u?.claims;
          if (
            typeof u?.id === 'string' &&
            /^[a-z0-9-]{1,64}$/.test(u.id) &&
            typeof u.label === 'string' &&
            c &&
            typeof c.sub === 'string' &&
            Array.isArray(c.roles) &&
            c.roles.every((r) => ROLES.includes(r))
          )
            users.push({ id: u.id, label: u.label, claims: c });
        }
    } catch {
      /* an unreadable file offers the admin only */
    }
  }
  if (!users.some((u) => u.id === 'admin'))
    users.push({ id: 'admin', label: 'Platform admin', claims: { sub: 'demo-admin', roles: ['admin'] } });
  return users;
}

export function devUsersFromFile(file: string | undefined): () => DevUser[] {
  return () => {
    let text: string | null = null;
    if (file)
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = null;
      }
    return parseDevUsers(text);
  };
}

function noStore(res: Response): void {
  res.setHeader('cache-control', 'no-store');
}

/**
 * The development sign-in: `GET /dev/users` lists the demo users, `POST /dev/token` `{ "user": id }` signs
 * a token for one with the development issuer. Mounted only outside production, where the development issuer
 * is trusted anyway (anyone who can reach the gateway could mint its tokens with `pnpm token`).
 */
export function mountDevSignIn(app: Express, dev: DevSignIn, logger: Logger): void {
  app.get('/dev/users', (_req, res) => {
    noStore(res);
    res.json({ users: dev.users().map((u) => ({ id: u.id, label: u.label, roles: u.claims.roles })) });
  });
  app.post('/dev/token', express.json({ limit: '1kb' }), async (req, res) => {
    noStore(res);
    const id = (req.body as { user?: unknown } | undefined)?.user;
    const user = typeof id === 'string' ? dev.users().find((u) => u.id === id) : undefined;
    if (!user) {
      res.status(400).json({ errors: [{ message: 'No such demo user', extensions: { code: 'BAD_USER_INPUT', field: 'user' } }] });
      return;
    }
    const token = await dev.sign(user.claims);
    logger.info({ user: user.id }, 'development sign-in');
    res.json({ token, user: { id: user.id, label: user.label, roles: user.claims.roles } });
  });
}

/**
 * The web dashboard at `/app/` when its build exists (docs/web.md): hashed assets cached for a year,
 * index.html never cached and answered for every client route (history fallback), the configuration the
 * app signs in with at `/app/config.json`, the strict CSP on everything.
 */
export function mountWebApp(
  app: Express,
  options: { dir?: string; production: boolean; devSignIn: boolean; oidc?: WebOidcSettings; logger: Logger },
): { dir: string } | null {
  const dir = resolve(options.dir ?? DEFAULT_WEB_DIR);
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile) || !statSync(indexFile).isFile()) {
    if (options.dir)
      options.logger.warn(
        { dir },
        'WEB_DIR has no index.html: the dashboard is not served (build it: pnpm --filter @influenceflow/web build)',
      );
    return null;
  }
  const csp = webContentSecurityPolicy(options.oidc?.issuer);
  const secure: express.RequestHandler = (_req, res, next) => {
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('x-frame-options', 'DENY');
    next();
  };
  // (Express matches "/app" and "/app/" alike: only the bare one is redirected)
  app.get('/app', (req, res, next) => (req.path === '/app' && !req.originalUrl.startsWith('/app/') ? res.redirect(301, '/app/') : next()));
  app.get('/app/config.json', secure, (_req, res) => {
    noStore(res);
    res.json({
      signIn: options.oidc ? 'oidc' : !options.production && options.devSignIn ? 'development' : 'none',
      ...(options.oidc ? { oidc: { authority: options.oidc.issuer, clientId: options.oidc.clientId, scope: options.oidc.scope } } : {}),
    });
  });
  app.use(
    '/app/assets',
    secure,
    express.static(join(dir, 'assets'), {
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader('cache-control', HASHED_ASSET_CACHE),
    }),
  );
  // Files beside index.html (not hashed): revalidated each time.
  app.use(
    '/app',
    secure,
    express.static(dir, { index: false, redirect: false, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }),
  );
  const index = () => readFileSync(indexFile);
  app.get(/^\/app\/.*/, secure, (req, res, next) => {
    // A path with an extension is a file that is not there: 404, not the page.
    if (/\.[a-z0-9]+$/i.test(req.path)) return next();
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(index());
  });
  return { dir };
}
