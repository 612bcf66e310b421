import type { Request, Response } from 'express';
import { AppError, requestIdOf, REQUEST_ID_HEADER } from '@influenceflow/kit';
import type { GatewayContext } from './context';

/** Who calls a route: the bearer token verified as for /graphql (none: anonymous). */
export type ContextOf = (req: Request, requestId: string) => Promise<GatewayContext>;

/** A file route's JSON error with the status of its code, and the input at fault when there is one. */
export function failDownload(res: Response, status: number, code: string, message: string, field?: unknown): void {
  res
    .status(status)
    .setHeader('cache-control', 'no-store')
    .json({ error: { code, message, ...(typeof field === 'string' ? { field } : {}) } });
}

/**
 * The signed-in caller of a file download (statements, report exports), verified exactly as for
 * /graphql; null once a 401 is answered (a bad token, or none: files are never anonymous).
 */
export async function signedInCaller(req: Request, res: Response, contextOf: ContextOf): Promise<GatewayContext | null> {
  const requestId = requestIdOf(req.header(REQUEST_ID_HEADER));
  let context: GatewayContext;
  try {
    context = await contextOf(req, requestId);
  } catch (err) {
    failDownload(res, 401, 'UNAUTHENTICATED', err instanceof AppError ? err.message : 'The token could not be verified');
    return null;
  }
  if (!context.identity) {
    failDownload(res, 401, 'UNAUTHENTICATED', 'Sign in: send Authorization: Bearer <token>');
    return null;
  }
  return context;
}
