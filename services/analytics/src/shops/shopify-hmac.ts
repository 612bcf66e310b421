import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether `header` (X-Shopify-Hmac-Sha256) is the base64 HMAC-SHA256 of the raw body under one of the
 * shop's secrets (current, and previous while it lasts). Compared in constant time; a missing header or
 * one of the wrong length is simply false.
 */
export function verifyShopifyHmac(rawBody: Buffer, header: string | undefined, secrets: string[]): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  const given = Buffer.from(header, 'utf8');
  let ok = false;
  for (const secret of secrets) {
    const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('base64'), 'utf8');
    // Every secret is tried, so the time taken does not say which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}
