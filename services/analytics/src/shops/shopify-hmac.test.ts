import { verifyShopifyHmac } from './shopify-hmac';

/*
 * No body/secret/digest triple published by Shopify was found, so this one was computed independently:
 *   printf '%s' '<BODY>' | openssl dgst -sha256 -hmac 'hush' -binary | base64
 */
const BODY = Buffer.from('{"id":820982911946154508,"email":"jon@example.com","total_price":"254.98"}', 'utf8');
const SECRET = 'hush';
const DIGEST = 'gtPhVzwalO5wwOen0RsrC5+qBBLb8l1ByAzpN+a6shU=';

describe('verifyShopifyHmac', () => {
  it("accepts openssl's digest of the raw bytes, under the current or the previous secret", () => {
    expect(verifyShopifyHmac(BODY, DIGEST, [SECRET])).toBe(true);
    expect(verifyShopifyHmac(BODY, DIGEST, ['new-secret', SECRET])).toBe(true);
  });

  it('refuses another secret, another body, a missing header and no secrets', () => {
    expect(verifyShopifyHmac(BODY, DIGEST, ['hush!'])).toBe(false);
    expect(verifyShopifyHmac(Buffer.from(BODY.toString().replace('254.98', '254.99')), DIGEST, [SECRET])).toBe(false);
    expect(verifyShopifyHmac(BODY, undefined, [SECRET])).toBe(false);
    expect(verifyShopifyHmac(BODY, '', [SECRET])).toBe(false);
    expect(verifyShopifyHmac(BODY, DIGEST, [])).toBe(false);
  });

  it('refuses a hex digest, a truncated or padded one, and junk, without throwing', () => {
    const hex = Buffer.from(DIGEST, 'base64').toString('hex');
    for (const header of [hex, DIGEST.slice(0, -1), `${DIGEST}=`, ` ${DIGEST}`, 'x'.repeat(100_000), '\u0000'.repeat(44), 'é'.repeat(44)]) {
      expect(verifyShopifyHmac(BODY, header, [SECRET])).toBe(false);
    }
  });
});
