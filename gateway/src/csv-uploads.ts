import type { Express, RequestHandler } from 'express';
import type { GatewayContext } from './context';
import { fileBody, IDENTITY_HEADER, Logger, REQUEST_ID_HEADER, signGatewayUpload } from '@influenceflow/kit';
import { ContextOf, failDownload, signedInCaller } from './downloads';
import { relayAnswer } from './relay';

/** Orders and refunds files: `POST /imports/orders.csv?brandId=…` with the file as a text/csv body (docs/analytics-csv.md). */
export const IMPORTS_PATH = '/imports';
/** Analytics's own limit (CSV_LIMITS.uploadBytes); a bigger file is refused here already. */
const UPLOAD_LIMIT = 5 * 1024 * 1024;

/**
 * The CSV uploads: the caller's token is verified as for /graphql, then the file goes to analytics's own
 * route with the caller's identity signed for that path and query and those very bytes (kit
 * `signGatewayUpload`), and its answer is handed back. Analytics decides who may record what.
 */
export function mountCsvUploads(
  app: Express,
  analyticsGraphqlUrl: string,
  secret: string,
  timeoutMs: number,
  contextOf: ContextOf,
  logger: Logger,
): void {
  const origin = new URL(analyticsGraphqlUrl).origin;
  // the caller first: nobody gets 5 MiB read (and held) without a valid token
  const caller: RequestHandler = async (req, res, next) => {
    const context = await signedInCaller(req, res, contextOf);
    if (!context) return;
    res.locals.caller = context;
    next();
  };
  app.post(`${IMPORTS_PATH}/:file`, caller, fileBody(UPLOAD_LIMIT, 'The file is over 5 MiB: split it'), async (req, res) => {
    const context = res.locals.caller as GatewayContext;
    const pathAndQuery = req.originalUrl;
    const body = req.body as Buffer;
    try {
      const answer = await fetch(`${origin}${pathAndQuery}`, {
        method: 'POST',
        headers: {
          'content-type': req.header('content-type') ?? 'application/octet-stream',
          [IDENTITY_HEADER]: signGatewayUpload(
            context.identity,
            { subgraph: 'analytics', pathAndQuery, body, client: context.client },
            secret,
          ),
          [REQUEST_ID_HEADER]: context.requestId,
        },
        body,
        // a file of 10,000 rows is recorded in one transaction: longer than a GraphQL call may take
        signal: AbortSignal.timeout(Math.max(timeoutMs, 120_000)),
      });
      await relayAnswer(res, answer, ['content-type', 'cache-control']);
    } catch (err) {
      logger.warn({ err }, 'csv upload: analytics did not answer');
      failDownload(res, 503, 'UPSTREAM_FAILED', 'Try again in a moment: a file is recorded in full or not at all.');
    }
  });
}
