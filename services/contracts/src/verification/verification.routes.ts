import type { Express, Response } from 'express';
import { AppError, badInput, fileBody, Logger } from '@influenceflow/kit';
import type { ContractsServices } from '../services';
import { verificationView } from './verification.resolver';
import type { Verification } from './verification.service';

/** The largest document or PDF POST /verify hashes. */
export const VERIFY_BODY_LIMIT = 20 * 1024 * 1024;

/** The answer as JSON, named as the GraphQL query names it (parties BRAND / CREATOR). */
function answer(v: Verification) {
  const view = verificationView(v);
  return { ...view, signers: view.signers.map((s) => ({ ...s, party: s.party.toUpperCase() })) };
}

function refuse(res: Response, err: unknown, logger: Logger): void {
  if (err instanceof AppError && err.code === 'BAD_USER_INPUT') {
    res.status(400).json({ error: { code: err.code, message: err.message, field: err.field ?? null, ...(err.details ?? {}) } });
    return;
  }
  logger.error({ err }, 'public verification failed');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Verification failed; try again later' } });
}

/**
 * Public routes of the contracts service (the gateway serves them on the platform's origin):
 * - `GET /.well-known/jwks.json`: the keys certificates of completion are signed with (active and retired);
 * - `GET /verify?sha256=<hex>`: the verification of a document or sealed PDF by its SHA-256;
 * - `POST /verify` with the document's or PDF's bytes as the body: the same, hashed here; with a JSON body
 *   `{ "certificate": … }` or `{ "sha256": … }`: by that certificate or hash.
 * The answers hold what the certificate of completion holds (no subjects) and the contract's standing.
 */
export function mountVerificationRoutes(app: Express, services: ContractsServices, logger: Logger): void {
  app.get('/.well-known/jwks.json', async (_req, res) => {
    try {
      res.setHeader('cache-control', 'public, max-age=300');
      res.json(await services.certificates.jwks());
    } catch (err) {
      refuse(res, err, logger);
    }
  });
  app.get('/verify', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    const sha256 = typeof req.query.sha256 === 'string' ? req.query.sha256 : '';
    try {
      res.json(answer(await services.verification.byHash(sha256, 'sha256')));
    } catch (err) {
      refuse(res, err, logger);
    }
  });
  // A body that cannot be read (over the limit, a broken encoding) is answered in this route's shape.
  const readBody = fileBody(VERIFY_BODY_LIMIT, 'The body is over 20 MiB: send the document or the PDF', true);
  app.post('/verify', readBody, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (body.length === 0) {
      res
        .status(400)
        .json({ error: { code: 'BAD_USER_INPUT', message: 'send the document or the PDF as the request body', field: 'body' } });
      return;
    }
    try {
      if (JSON_MEDIA_TYPE.test(req.header('content-type') ?? '')) {
        const asked = jsonQuestion(body);
        res.json(
          answer(
            'certificate' in asked
              ? await services.verification.byCertificate(asked.certificate)
              : await services.verification.byHash(asked.sha256, 'sha256'),
          ),
        );
        return;
      }
      res.json(answer(await services.verification.byBytes(body)));
    } catch (err) {
      refuse(res, err, logger);
    }
  });
}

/** `application/json` (or `…+json`): a question about a certificate or a hash, not bytes to hash. */
const JSON_MEDIA_TYPE = /^\s*application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * A JSON body of POST /verify: `{ "certificate": "<compact JWS>" }` or `{ "sha256": "<hex>" }`, exactly
 * one. Anything else is BAD_USER_INPUT on `body` (the value is never echoed).
 */
function jsonQuestion(body: Buffer): { certificate: string } | { sha256: string } {
  const shape = 'send {"certificate": "<certificate>"} or {"sha256": "<hex>"} as JSON, or the document or PDF with its own media type';
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw badInput('body', `is not valid JSON: ${shape}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput('body', `must be a JSON object: ${shape}`);
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  if (keys.length !== 1 || (typeof v.certificate !== 'string' && typeof v.sha256 !== 'string')) {
    throw badInput('body', `must hold exactly one of certificate and sha256, as a string: ${shape}`);
  }
  return typeof v.certificate === 'string' ? { certificate: v.certificate } : { sha256: v.sha256 as string };
}
