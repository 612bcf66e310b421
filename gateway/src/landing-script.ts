import type { Express } from 'express';
import type { Logger } from '@influenceflow/kit';
import { relayAnswer } from './relay';

/** The click keeper brands put on their landing pages (docs/landing-script.md), on the public origin. */
export const LANDING_SCRIPT_PATH = '/t.js';

/** What of the analytics service's answer reaches the browser: the script's type, caching and tag. */
const ANSWER_HEADERS = ['content-type', 'cache-control', 'etag', 'x-content-type-options', 'cross-origin-resource-policy'] as const;

/**
 * `GET`/`HEAD /t.js` passed to the analytics service (beside its /graphql, ANALYTICS_URL), as the
 * tracking links are passed to campaign: analytics owns the script and makes its ETag, so both
 * addresses serve the same bytes under the same tag, and the gateway holds no copy that could go stale
 * (it may not import a service, and may run where the service's files are not). Browsers keep the script
 * for an hour and then revalidate: only `If-None-Match` (and `Cache-Control`, which tells a reload from a
 * revalidation) of the client's request is passed on, so a 304 comes back as a 304.
 */
export function mountLandingScript(app: Express, analyticsGraphqlUrl: string, timeoutMs: number, logger: Logger): void {
  const url = `${new URL(analyticsGraphqlUrl).origin}${LANDING_SCRIPT_PATH}`;
  app.get(LANDING_SCRIPT_PATH, async (req, res) => {
    const headers: Record<string, string> = {};
    const ifNoneMatch = req.header('if-none-match');
    if (ifNoneMatch) {
      headers['if-none-match'] = ifNoneMatch;
      // fetch adds `Cache-Control: no-cache` to a request with a validator (a reload: never a 304);
      // the browser's own says whether it is one.
      headers['cache-control'] = req.header('cache-control') ?? 'max-age=0';
    }
    try {
      const answer = await fetch(url, {
        method: req.method === 'HEAD' ? 'HEAD' : 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await relayAnswer(res, answer, ANSWER_HEADERS, req.method !== 'HEAD' && answer.status !== 304);
    } catch (err) {
      logger.warn({ err }, 'landing script: the analytics service did not answer');
      res.status(503).setHeader('cache-control', 'no-store').type('text/plain').end('Try again in a moment.');
    }
  });
}
