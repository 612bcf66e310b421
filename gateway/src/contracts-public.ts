import type { Express, Request, Response } from 'express';
import { fileBody, Logger } from '@influenceflow/kit';
import { relayAnswer } from './relay';

/** Where the platform publishes the keys of its certificates of completion (the JWKS), on its public origin. */
export const CONTRACT_KEYS_PATH = '/.well-known/contracts/jwks.json';
/** Public verification of a contract: `GET /verify?sha256=<hex>`, or `POST /verify` with the document or PDF. */
export const VERIFY_PATH = '/verify';
/** The largest document or PDF the gateway passes on to be verified (the contracts service's own limit). */
const VERIFY_BODY_LIMIT = 20 * 1024 * 1024;

/**
 * The contracts service's public routes on the platform's origin, as the tracking links are: the
 * certificate keys (CONTRACT_KEYS_PATH → the service's /.well-known/jwks.json; the gateway's own
 * /.well-known/jwks.json, in development, holds the token issuer's keys, which certificates never use)
 * and the verification (VERIFY_PATH). Nothing of the client's request but the query, the body and its
 * media type reaches the service, and its answer is handed back as it is.
 */
export function mountContractsPublic(app: Express, contractsGraphqlUrl: string, timeoutMs: number, logger: Logger): void {
  const origin = new URL(contractsGraphqlUrl).origin;
  const pass = async (req: Request, res: Response, path: string, body?: Buffer) => {
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    try {
      const answer = await fetch(`${origin}${path}${query}`, {
        method: req.method,
        headers: body ? { 'content-type': req.header('content-type') ?? 'application/octet-stream' } : {},
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await relayAnswer(res, answer, ['content-type', 'cache-control']);
    } catch (err) {
      logger.warn({ err }, 'contracts public route: the contracts service did not answer');
      res
        .status(503)
        .setHeader('cache-control', 'no-store')
        .json({ error: { code: 'UPSTREAM_FAILED', message: 'Try again in a moment.' } });
    }
  };
  app.get(CONTRACT_KEYS_PATH, (req, res) => pass(req, res, '/.well-known/jwks.json'));
  app.get(VERIFY_PATH, (req, res) => pass(req, res, VERIFY_PATH));
  app.post(
    VERIFY_PATH,
    // A body the gateway cannot read is answered as the route answers, not as a GraphQL error.
    fileBody(VERIFY_BODY_LIMIT, 'The body is over 20 MiB: send the document or the PDF', true),
    (req, res) => pass(req, res, VERIFY_PATH, req.body as Buffer),
  );
}
