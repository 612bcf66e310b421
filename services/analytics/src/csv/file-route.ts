import type { Request, Response } from 'express';
import {
  AppError,
  ErrorCode,
  HTTP_STATUS,
  Identity,
  REQUEST_ID_HEADER,
  RequestContext,
  requestIdOf,
  SignatureCheck,
  SubgraphRuntime,
} from '@influenceflow/kit';
import type { AnalyticsServices } from '../services';

/** A file route's JSON error: the code, the message, the input at fault and, for a file, all its problems. */
export function fail(res: Response, status: number, code: string, message: string, field?: string, problems?: unknown): void {
  res
    .status(status)
    .setHeader('cache-control', 'no-store')
    .json({ error: { code, message, ...(field ? { field } : {}), ...(problems ? { problems } : {}) } });
}

/**
 * The request context of a call the gateway signed (`verifyGatewayGet` / `verifyGatewayUpload`), or null
 * once a 401 is answered: a forged or stale signature, or no one signed in (files are never anonymous).
 */
export function signedContext(
  req: Request,
  res: Response,
  check: SignatureCheck,
  services: AnalyticsServices,
  runtime: SubgraphRuntime,
): RequestContext<AnalyticsServices> | null {
  if (!check.ok) {
    fail(res, 401, ErrorCode.UNAUTHENTICATED, `Subgraphs accept requests only from the gateway (${check.reason})`);
    return null;
  }
  if (!check.identity) {
    fail(res, 401, ErrorCode.UNAUTHENTICATED, 'Sign in: send Authorization: Bearer <token>');
    return null;
  }
  const requestId = requestIdOf(req.header(REQUEST_ID_HEADER));
  const identity: Identity = check.identity;
  return new RequestContext(requestId, identity, runtime.logger.child({ requestId }), runtime, services, check.callId, check.client);
}

/**
 * Answers a refusal with its status, code, field and problems; anything else is logged and answered as a
 * 500 without its message (which could name a table). `forbiddenAs404`: a report of another brand is not
 * confirmed to exist.
 */
export function failWith(res: Response, ctx: RequestContext, err: unknown, what: string, forbiddenAs404 = false): void {
  if (err instanceof AppError && err.code === ErrorCode.FORBIDDEN && forbiddenAs404)
    return fail(res, 404, ErrorCode.NOT_FOUND, `No such ${what}`);
  if (err instanceof AppError && err.code !== ErrorCode.INTERNAL) {
    const problems = (err.details as { problems?: unknown } | undefined)?.problems;
    return fail(res, HTTP_STATUS[err.code], err.code, err.message, err.field, problems);
  }
  ctx.logger.error({ err }, `${what} failed`);
  fail(res, 500, ErrorCode.INTERNAL, `The ${what} could not be made`);
}
