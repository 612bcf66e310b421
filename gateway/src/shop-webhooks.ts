import type { Express } from 'express';
import { fileBody, Logger } from '@influenceflow/kit';
import { relayAnswer } from './relay';

/** Where shops post their order webhooks, on the platform's public origin: `/webhooks/shopify/<shopId>`. */
export const SHOPIFY_WEBHOOK_PATH = '/webhooks/shopify/';
/** The analytics service's own limit; a bigger body is refused here already. */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** What the analytics service reads of Shopify's request besides the body. */
const FORWARDED_HEADERS = [
  'content-type',
  'x-shopify-hmac-sha256',
  'x-shopify-topic',
  'x-shopify-webhook-id',
  'x-shopify-shop-domain',
  'x-shopify-api-version',
  'x-shopify-triggered-at',
];

/**
 * Shopify's webhooks are passed to the analytics service (beside its /graphql, ANALYTICS_URL) with the
 * body's bytes untouched (the HMAC is over them: nothing here parses or re-encodes it) and the
 * X-Shopify-* headers; its answer is handed back as it is. The service verifies everything.
 */
export function mountShopWebhooks(app: Express, analyticsGraphqlUrl: string, timeoutMs: number, logger: Logger): void {
  const origin = new URL(analyticsGraphqlUrl).origin;
  app.post(
    `${SHOPIFY_WEBHOOK_PATH}:shopId`,
    // No inflate: Shopify sends plain JSON, and the signature is over the bytes as sent.
    fileBody(WEBHOOK_BODY_LIMIT, 'The body is over 1 MiB'),
    async (req, res) => {
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = req.header(name);
        if (value !== undefined) headers[name] = value;
      }
      // The shop id as it came (still percent-encoded): the analytics service judges it.
      const path = req.originalUrl.split('?')[0];
      try {
        const answer = await fetch(`${origin}${path}`, {
          method: 'POST',
          headers,
          body: req.body as Buffer,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await relayAnswer(res, answer, ['content-type', 'cache-control']);
      } catch (err) {
        logger.warn({ err }, 'shop webhook: the analytics service did not answer');
        // Not 2xx: Shopify retries the delivery.
        res
          .status(503)
          .setHeader('cache-control', 'no-store')
          .json({ error: { code: 'UPSTREAM_FAILED', message: 'Try again in a moment.' } });
      }
    },
  );
}
