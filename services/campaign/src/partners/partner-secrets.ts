import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client ids and secrets of partner clients. A secret is 32 random bytes: with that much entropy a
 * plain SHA-256 is enough to store it (nothing to brute-force, unlike a password), as with report share
 * links; the comparison is constant-time.
 */
export const CLIENT_ID_PREFIX = 'pc_';
export const CLIENT_SECRET_PREFIX = 'pcs_';

export function newClientId(): string {
  return CLIENT_ID_PREFIX + randomBytes(12).toString('base64url');
}

export function newClientSecret(): string {
  return CLIENT_SECRET_PREFIX + randomBytes(32).toString('base64url');
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True when `secret` hashes to `storedHash` (hex), in constant time for equal lengths. */
export function secretMatches(secret: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const given = Buffer.from(hashClientSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
