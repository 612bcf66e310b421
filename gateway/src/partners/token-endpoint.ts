import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { IDENTITY_HEADER, Logger, REQUEST_ID_HEADER, requestIdOf, signGatewayUpload } from '@influenceflow/kit';
import { PARTNER_SCOPE, PartnerClaims, PartnerTokens } from './partner-tokens';

export const TOKEN_PATH = '/oauth/token';
export const PARTNER_JWKS_PATH = '/.well-known/partner-jwks.json';
/** campaign's route that checks a client's id and secret (services/campaign/src/partners/partner-credentials.route.ts). */
const CREDENTIALS_PATH = '/internal/partner-credentials';
const BODY_LIMIT = 4096;
const REALM = 'Basic realm="influenceflow-partners", charset="UTF-8"';

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable';

export interface TokenEndpointOptions {
  tokens: PartnerTokens | null;
  campaignGraphqlUrl: string;
  signingSecret: string;
  timeoutMs: number;
  ratePerMinute: number;
  addressOf: (req: Request) => string | null;
  logger: Logger;
}

/**
 * The OAuth 2.0 token endpoint of the client credentials grant (RFC 6749 §4.4; docs/partners.md): a
 * partner sends its client id and secret (HTTP Basic, or `client_id`/`client_secret` in the form) and gets
 * a short-lived bearer token. Answers and errors are the RFC's (§5.1, §5.2), never a GraphQL body; every
 * wrong credential is the same `invalid_client`. Limited per client address, before any secret is checked.
 */
export function mountTokenEndpoint(app: Express, options: TokenEndpointOptions): void {
  const { tokens, logger } = options;
  if (tokens) {
    const jwks = tokens.jwks;
    app.get(PARTNER_JWKS_PATH, (_req, res) => {
      res.set('cache-control', 'public, max-age=300').json(jwks);
    });
  }
  const limiter = new RateLimiterMemory({ points: options.ratePerMinute, duration: 60 });
  const origin = new URL(options.campaignGraphqlUrl).origin;

  const limited = (req: Request, res: Response, next: () => void) => {
    limiter.consume(options.addressOf(req) ?? 'unknown').then(
      () => next(),
      (refused: unknown) => {
        const seconds = refused instanceof RateLimiterRes ? Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) : 60;
        res.setHeader('retry-after', String(seconds));
        fail(res, 429, 'temporarily_unavailable', `Too many token requests: try again in ${seconds} s`);
      },
    );
  };
  const tooBig: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
    if (err.type === 'entity.too.large') return fail(res, 413, 'invalid_request', `The body is over ${BODY_LIMIT} bytes`);
    if (err.status && err.status < 500) return fail(res, 400, 'invalid_request', 'The body could not be read');
    next(err);
  };

  app.post(TOKEN_PATH, limited, express.raw({ type: () => true, limit: BODY_LIMIT }), tooBig, async (req: Request, res: Response) => {
    if (!tokens)
      return fail(res, 503, 'temporarily_unavailable', 'Partner access is not configured on this server (PARTNER_TOKEN_KEY_FILE)');
    const form = parseForm(req);
    if (typeof form === 'string') return fail(res, 400, 'invalid_request', form);
    const basic = basicCredentials(req.header('authorization'));
    if (basic === 'malformed')
      return fail(res, 401, 'invalid_client', 'The Authorization header must be HTTP Basic with the client id and secret', true);
    const inForm = form.get('client_id') !== null || form.get('client_secret') !== null;
    if (basic && inForm) return fail(res, 400, 'invalid_request', 'Authenticate the client one way only: HTTP Basic or the form fields');
    const grantType = form.get('grant_type');
    if (grantType === null) return fail(res, 400, 'invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials')
      return fail(res, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported');
    const scope = form.get('scope');
    if (scope !== null && scope.split(' ').some((s) => s !== PARTNER_SCOPE)) {
      return fail(res, 400, 'invalid_scope', `The only scope is "${PARTNER_SCOPE}": brands' grants decide what a partner receives`);
    }
    const clientId = basic ? basic.clientId : form.get('client_id');
    const clientSecret = basic ? basic.clientSecret : form.get('client_secret');
    if (!clientId || !clientSecret) return fail(res, 401, 'invalid_client', 'Send the client id and secret', !!basic);

    let claims: PartnerClaims | null;
    try {
      claims = await checkCredentials(origin, options, clientId, clientSecret, requestIdOf(req.header(REQUEST_ID_HEADER)));
    } catch (err) {
      logger.warn({ err }, 'partner credentials: campaign did not answer');
      return fail(res, 503, 'temporarily_unavailable', 'Try again in a moment');
    }
    // who asked and what came of it, for an operator following a leak (never the secret)
    const address = options.addressOf(req);
    if (!claims) {
      logger.info({ clientId: clientId.slice(0, 64), address, outcome: 'invalid_client' }, 'partner token refused');
      return fail(res, 401, 'invalid_client', 'The client id or secret is not valid, or the client is disabled', true);
    }
    const accessToken = await tokens.mint(claims);
    logger.info({ clientId: claims.clientId, partnerClientId: claims.partnerClientId, address, outcome: 'issued' }, 'partner token issued');
    res
      .status(200)
      .set({ 'cache-control': 'no-store', pragma: 'no-cache' })
      .json({ access_token: accessToken, token_type: 'Bearer', expires_in: tokens.lifetimeSeconds, scope: PARTNER_SCOPE });
  });
}

/** The form's parameters, or why it is refused (RFC 6749 §3.2: form-encoded, each parameter at most once). */
function parseForm(req: Request): URLSearchParams | string {
  const type = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return 'Send the request as application/x-www-form-urlencoded';
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return 'The body is not UTF-8';
  }
  const form = new URLSearchParams(text);
  const seen = new Set<string>();
  for (const [name, value] of form) {
    if (seen.has(name)) return `${name.slice(0, 40)} is sent more than once`;
    seen.add(name);
    if (value.includes('\u0000')) return `${name.slice(0, 40)} holds a NUL character`;
  }
  return form;
}

/** HTTP Basic client authentication (RFC 6749 §2.3.1: id and secret form-encoded, then Basic). */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null | 'malformed' {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return 'malformed';
  try {
    const clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    const clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    if (clientId.includes('\u0000') || clientSecret.includes('\u0000')) return 'malformed';
    return { clientId, clientSecret };
  } catch {
    return 'malformed';
  }
}

async function checkCredentials(
  origin: string,
  options: TokenEndpointOptions,
  clientId: string,
  clientSecret: string,
  requestId: string,
): Promise<PartnerClaims | null> {
  const body = Buffer.from(JSON.stringify({ clientId, clientSecret }));
  const answer = await fetch(`${origin}${CREDENTIALS_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [IDENTITY_HEADER]: signGatewayUpload(null, { subgraph: 'campaign', pathAndQuery: CREDENTIALS_PATH, body }, options.signingSecret),
      [REQUEST_ID_HEADER]: requestId,
    },
    body,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  if (answer.status === 401 || answer.status === 400) {
    const reason = ((await answer.json().catch(() => ({}))) as { error?: string }).error;
    if (reason === 'invalid_client' || reason === 'invalid_request') return null;
    throw new Error(`campaign refused the gateway's call (${answer.status} ${reason ?? ''})`);
  }
  if (!answer.ok) throw new Error(`campaign answered ${answer.status}`);
  return (await answer.json()) as PartnerClaims;
}

function fail(res: Response, status: number, error: OAuthError, description: string, challenge = false): void {
  if (status === 401 || challenge) res.setHeader('www-authenticate', REALM);
  res.status(status).set({ 'cache-control': 'no-store', pragma: 'no-cache' }).json({ error, error_description: description });
}
