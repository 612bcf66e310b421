import { createHash } from 'node:crypto';

/**
 * Whose id a customer id is. A shop's own customer ids (Shopify's) mean something in that shop only, so
 * they are scoped to the connected shop (its row, which a reconnection keeps: docs/shops.md). Ids handed in
 * through the API or a CSV file are the brand's own, one space for the whole brand.
 */
export type CustomerIdScope = { shopId: string } | 'brand';

/** Who ordered, as the shop or the brand says it; either may be missing. */
export interface CustomerRef {
  id: string | null | undefined;
  scope: CustomerIdScope;
  email: string | null | undefined;
}

/**
 * What each kind of key hashes, before the id or the e-mail. `api:` for the brand's own ids is the prefix
 * the first keys were made with (the API's), kept so that keys already stored still match.
 */
const PREFIX = { brandId: 'api:', shopId: 'shop:', email: 'email:' } as const;

/** An e-mail as it keys a customer: trimmed and lower-cased, wherever it came from. */
export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The one key of a customer (OrderReceived.customerKey), from every source alike: SHA-256 (hex) of the
 * customer id in its scope, else of the normalised e-mail, so the same e-mail from Shopify, the API and a
 * CSV file is the same customer. Null when neither is given (the order is then neither new nor returning).
 */
export function customerKey(customer: CustomerRef): string | null {
  const id = customer.id?.trim();
  const email = customer.email?.trim();
  const material = id
    ? customer.scope === 'brand'
      ? `${PREFIX.brandId}${id}`
      : `${PREFIX.shopId}${customer.scope.shopId}:${id}`
    : email
      ? `${PREFIX.email}${normalEmail(email)}`
      : null;
  return material === null ? null : createHash('sha256').update(material).digest('hex');
}
