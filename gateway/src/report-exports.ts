import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Express } from 'express';
import { IDENTITY_HEADER, Logger, REQUEST_ID_HEADER, signGatewayGet } from '@influenceflow/kit';
import { ContextOf, failDownload, signedInCaller } from './downloads';
import { passHeaders } from './relay';

/** The analytics reports as CSV files: `GET /exports/campaign-report.csv?campaignId=…` and the others (docs/analytics-csv.md). */
export const EXPORTS_PATH = '/exports';
/** How long a file may take to stream once analytics has answered (a large brand-orders.csv): past it, cut off. */
const EXPORT_STREAM_MAX_MS = 10 * 60_000;
/** What of analytics's answer reaches the client. */
const PASSED_HEADERS = ['content-type', 'content-disposition', 'cache-control', 'x-content-type-options'];

/**
 * The report downloads: the caller's token is verified as for /graphql (signedInCaller, as the statement
 * downloads do), then the request goes to analytics's own route with the caller's identity signed for
 * that very path and query (kit `signGatewayGet`), and analytics's CSV is streamed back as it comes.
 * Analytics decides who reads what, exactly as it does for the GraphQL reports.
 */
export function mountReportExports(
  app: Express,
  analyticsGraphqlUrl: string,
  secret: string,
  timeoutMs: number,
  contextOf: ContextOf,
  logger: Logger,
): void {
  const origin = new URL(analyticsGraphqlUrl).origin;
  app.get(`${EXPORTS_PATH}/:file`, async (req, res) => {
    const context = await signedInCaller(req, res, contextOf);
    if (!context) return;
    const pathAndQuery = req.originalUrl;
    let answer: Response;
    // the subgraph's timeout is for its answer to begin; the file then streams for as long as it takes (up
    // to EXPORT_STREAM_MAX_MS): one signal with a timeout would cut a long file off mid-way
    const controller = new AbortController();
    let deadline = setTimeout(() => controller.abort(), timeoutMs);
    try {
      answer = await fetch(`${origin}${pathAndQuery}`, {
        headers: {
          [IDENTITY_HEADER]: signGatewayGet(context.identity, { subgraph: 'analytics', pathAndQuery, client: context.client }, secret),
          [REQUEST_ID_HEADER]: context.requestId,
        },
        signal: controller.signal,
      });
    } catch (err) {
      clearTimeout(deadline);
      logger.warn({ err }, 'report export: analytics did not answer');
      return failDownload(res, 503, 'UPSTREAM_FAILED', 'Try again in a moment.');
    }
    clearTimeout(deadline);
    deadline = setTimeout(() => controller.abort(), EXPORT_STREAM_MAX_MS);
    res.status(answer.status);
    passHeaders(res, answer, PASSED_HEADERS);
    try {
      if (!answer.body) return res.end();
      await pipeline(Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>), res);
    } catch (err) {
      logger.warn({ err }, 'report export: the stream broke off');
      res.destroy();
    } finally {
      clearTimeout(deadline);
    }
  });
}
