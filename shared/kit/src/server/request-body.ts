import express, { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '../errors/codes';
import type { Logger } from '../logging/logger';

/** What a client may send to the gateway in one request, in bytes. */
export const CLIENT_BODY_LIMIT = 1024 * 1024;
/** What the gateway may send to a subgraph in one call (entity representations of big pages included). */
export const SUBGRAPH_BODY_LIMIT = 4 * 1024 * 1024;

/** An HTTP-level refusal, answered as a GraphQL error body (never an HTML page). */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = ErrorCode.BAD_REQUEST,
  ) {
    super(message);
    this.name = 'HttpRefusal';
  }
}

/** Writes `{ errors: [{ message, extensions: { code } }] }` with the status. */
export function sendGraphQLError(res: Response, status: number, code: string, message: string): void {
  if (res.headersSent) return;
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * Reads the raw body (up to `limit` bytes) without parsing it: a subgraph checks the gateway's signature
 * over these exact bytes before anything is parsed. Compressed bodies are refused where `inflate` is off.
 * A body announced larger than the limit is refused at once, and the connection closed: body-parser would
 * otherwise wait for all of it to arrive before answering 413.
 */
export function rawBody(limit: number, inflate = true): RequestHandler[] {
  const tooLarge: RequestHandler = (req, res, next) => {
    const announced = Number(req.headers['content-length'] ?? 0);
    if (announced > limit) {
      res.setHeader('connection', 'close');
      return next(new HttpRefusal(413, 'The body is too large'));
    }
    next();
  };
  return [tooLarge, express.raw({ type: () => true, limit, inflate })];
}

/**
 * The raw body of a route that takes a file or a webhook (not GraphQL), up to `limit` bytes, answered in
 * such routes' JSON shape when it cannot be read: `{"error":{"code":"BAD_REQUEST","message"}}`, 413 with
 * `tooLarge` (refused on the announced length before reading, and the connection closed) or 400. Then
 * `req.body` is a Buffer, empty when nothing was sent. `inflate`: whether a gzip/deflate body is taken
 * (off where a signature is over the bytes as sent).
 */
export function fileBody(limit: number, tooLarge: string, inflate = false): RequestHandler {
  const raw = express.raw({ type: () => true, limit, inflate });
  const refuse = (res: Response, status: number, message: string) =>
    res
      .status(status)
      .setHeader('cache-control', 'no-store')
      .json({ error: { code: ErrorCode.BAD_REQUEST, message } });
  return (req, res, next) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      res.setHeader('connection', 'close');
      return refuse(res, 413, tooLarge);
    }
    raw(req, res, (err?: unknown) => {
      if (err) {
        const over = (err as { type?: string }).type === 'entity.too.large';
        return refuse(res, over ? 413 : 400, over ? tooLarge : 'The body could not be read');
      }
      if (!Buffer.isBuffer(req.body)) req.body = Buffer.alloc(0);
      next();
    });
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns the raw body into the JSON object Apollo expects as `req.body`, refusing what is not a GraphQL
 * request in JSON: another media type or charset (415), bytes that are not UTF-8, text that is not JSON,
 * and JSON that is not an object or a list of them (400). GET and bodiless requests get an empty body
 * (Apollo reads GET operations from the query string).
 */
export const parseJsonBody: RequestHandler = (req, _res, next) => {
  const raw = req.body as unknown;
  if (!Buffer.isBuffer(raw) || raw.length === 0) {
    if (req.method === 'POST') return next(new HttpRefusal(400, 'The request has no body: send a JSON GraphQL request'));
    req.body = {};
    return next();
  }
  const contentType = req.headers['content-type'] ?? '';
  const [mediaType, ...params] = contentType.split(';').map((s) => s.trim().toLowerCase());
  if (mediaType !== 'application/json') {
    return next(new HttpRefusal(415, 'Send the request as application/json'));
  }
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return next(new HttpRefusal(415, 'Send the request in UTF-8'));
  }
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return next(new HttpRefusal(400, 'The body is not valid UTF-8'));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return next(new HttpRefusal(400, 'The body is not valid JSON'));
  }
  if (parsed === null || typeof parsed !== 'object') {
    return next(new HttpRefusal(400, 'The body must be a JSON object: { "query": "…", "variables": { … } }'));
  }
  req.body = parsed;
  next();
};

/** body-parser's error types (http-errors with `type`), in words a client can act on. */
function refusalOf(err: unknown): HttpRefusal | null {
  if (err instanceof HttpRefusal) return err;
  const e = err as { type?: string; status?: number; expose?: boolean };
  switch (e?.type) {
    case 'entity.too.large':
      return new HttpRefusal(413, 'The body is too large');
    case 'encoding.unsupported':
      return new HttpRefusal(415, 'Send the body without a content encoding');
    case 'request.aborted':
    case 'request.size.invalid':
      return new HttpRefusal(400, 'The body was cut short');
    case 'charset.unsupported':
      return new HttpRefusal(415, 'Send the request in UTF-8');
    default:
      // http-errors of the 4xx range (Express's router on a bad %-escape in the path sets 400 without
      // `expose`): the client's fault all the same.
      if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
        return new HttpRefusal(e.status, 'The request could not be read');
      }
      return null;
  }
}

/**
 * The last error handler of every HTTP app: a client's fault is a JSON GraphQL error with its status and
 * a warning line; anything else is INTERNAL, logged once. Express's default page (HTML with the stack and
 * absolute paths) is never shown.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const refusal = refusalOf(err);
    if (refusal) {
      logger.warn({ status: refusal.status, method: req.method, path: req.path, reason: refusal.message }, 'request refused');
      sendGraphQLError(res, refusal.status, refusal.code, refusal.message);
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    sendGraphQLError(res, 500, ErrorCode.INTERNAL, 'Internal server error');
  };
}

/** Unknown paths: a JSON 404 rather than Express's HTML page. */
export const notFoundHandler: RequestHandler = (_req, res) => {
  sendGraphQLError(res, 404, ErrorCode.NOT_FOUND, 'Nothing is served at this path');
};
