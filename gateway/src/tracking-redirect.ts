import type { Express, Request } from 'express';
import type { Logger } from '@influenceflow/kit';

/** The public path of tracking links, answered by the campaign service's redirect. */
export const TRACKING_PATH = '/r/';

/** The request headers the redirect reads (who referred the visitor, what they run). */
const FORWARDED_HEADERS = ['user-agent', 'referer', 'accept-language'] as const;

/** X-Forwarded-For as a proxy writes it: what came in, then the address this request came from. */
function forwardedFor(req: Request): string | null {
  const peer = req.socket.remoteAddress;
  const incoming = req.header('x-forwarded-for');
  if (!peer) return incoming ?? null;
  return incoming ? `${incoming}, ${peer}` : peer;
}

/**
 * Tracking links on the platform's public origin: `GET`/`HEAD /r/<slug>` is passed to the campaign
 * service's redirect (beside its /graphql, CAMPAIGN_URL), and its answer (302 with Location, or 404) is
 * handed back as it is. The gateway adds the address it got the request from to `X-Forwarded-For`, so
 * the click is counted under the visitor's address when the campaign service trusts the gateway
 * (TRUSTED_PROXIES); nothing else of the client's request reaches the campaign service.
 */
export function mountTrackingRedirect(app: Express, campaignGraphqlUrl: string, timeoutMs: number, logger: Logger): void {
  const origin = new URL(campaignGraphqlUrl).origin;
  app.get(`${TRACKING_PATH}:slug`, async (req, res) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.header(name);
      if (value !== undefined) headers[name] = value;
    }
    const chain = forwardedFor(req);
    if (chain) headers['x-forwarded-for'] = chain;
    // The slug as it came (still percent-encoded): the campaign service judges it.
    const path = req.originalUrl.split('?')[0];
    try {
      const answer = await fetch(`${origin}${path}`, {
        method: req.method === 'HEAD' ? 'HEAD' : 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const location = answer.headers.get('location');
      res.status(answer.status);
      if (location) res.setHeader('location', location);
      res.setHeader('cache-control', answer.headers.get('cache-control') ?? 'no-store');
      const type = answer.headers.get('content-type');
      if (type) res.setHeader('content-type', type);
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(await answer.arrayBuffer()));
    } catch (err) {
      logger.warn({ err }, 'tracking redirect: the campaign service did not answer');
      res.status(503).setHeader('cache-control', 'no-store').type('text/plain').end('Try again in a moment.');
    }
  });
}
