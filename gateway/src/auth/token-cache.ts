import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';

export interface TokenCacheOptions {
  /** At most this many tokens are remembered; the least recently used goes first. */
  maxEntries: number;
  /** A verified token is trusted again without verification for at most this long (and never past its exp). */
  maxAgeMs: number;
  /** The clock, in ms (tests pass their own). */
  now?: () => number;
}

export const DEFAULT_TOKEN_CACHE: TokenCacheOptions = { maxEntries: 10_000, maxAgeMs: 60_000 };

interface Entry<T> {
  value: T;
  /** ms: the token's exp or maxAgeMs after its verification, whichever comes first. */
  until: number;
}

/** Freezes what is shared between requests: one request cannot change another's identity. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Remembers what `verify` answered for a token, so a client's every request does not pay for an ES256
 * verification (the costliest step of a gateway request after the subgraph call, see
 * docs/gateway-bench.md). Only successes are kept, by the SHA-256 of the exact token (a different token
 * never matches another's entry, and no token is held in memory), until the token's own `exp` (the clock
 * tolerance the verifier allows is not extended to cached tokens) and at most `maxAgeMs`: a key the
 * identity provider withdraws stops being trusted for cached tokens within that time too. Concurrent
 * requests with the same new token share one verification.
 */
export function cachedVerifier<T>(verify: (token: string) => Promise<T>, options: TokenCacheOptions = DEFAULT_TOKEN_CACHE) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<T>>();
  const pending = new Map<string, Promise<T>>();
  const cached = (token: string): Promise<T> => {
    const key = createHash('sha256').update(token).digest('base64url');
    const entry = entries.get(key);
    if (entry) {
      entries.delete(key);
      if (now() < entry.until) {
        entries.set(key, entry); // most recently used last
        return Promise.resolve(entry.value);
      }
    }
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const verifying = verify(token).then(
      (value) => {
        pending.delete(key);
        // verify accepted it, so it is a JWT with an exp (the verifier requires one)
        const exp = decodeJwt(token).exp;
        const until = Math.min(typeof exp === 'number' ? exp * 1000 : 0, now() + options.maxAgeMs);
        if (until > now()) {
          entries.set(key, { value: deepFreeze(value), until });
          if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
        }
        return value;
      },
      (err: unknown) => {
        pending.delete(key);
        throw err;
      },
    );
    pending.set(key, verifying);
    return verifying;
  };
  return Object.assign(cached, { size: () => entries.size });
}
