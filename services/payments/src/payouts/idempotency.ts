import { createHash } from 'node:crypto';
import { badInput } from '@influenceflow/kit';

/** Stripe's limit: a key is at most 255 characters. */
export const MAX_KEY_LENGTH = 255;
const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * A client's idempotency key: 1–255 printable ASCII characters (a UUID is the usual choice), not blank.
 * Anything else (control characters, NUL bytes, other scripts, longer keys) is refused with the field.
 */
export function assertIdempotencyKey(key: string, field: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || !PRINTABLE.test(key) || key.trim() === '') {
    throw badInput(field, `must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters (a UUID, for instance)`);
  }
  return key;
}

/**
 * The fingerprint of a request: SHA-256 of its normalized parameters in a fixed order (JSON of an array),
 * so the same request gives the same fingerprint whatever the order or case it was sent in, and a key
 * reused with other parameters is told apart.
 */
export function fingerprint(parts: readonly (string | number | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
