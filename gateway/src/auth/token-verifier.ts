import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, JWK, errors as joseErrors } from 'jose';
import { Identity, identityFromClaims } from '@influenceflow/kit';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** A remote JWKS (production: the identity provider's). */
  jwksUrl?: string;
  /** A local key set (the built-in development issuer, tests). */
  jwks?: { keys: JWK[] };
  /** The longest lifetime a token may have (exp − iat, or exp − now without iat). */
  maxLifetimeSeconds: number;
}

/** Clocks of the issuer and the gateway may differ by this much. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export type TokenVerifier = (token: string) => Promise<Identity>;

/** Verifies an OIDC-style JWT (ES256/RS256) against a JWKS and returns the caller's identity. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5000 })
    : options.jwks
      ? createLocalJWKSet(options.jwks)
      : null;
  if (!keys) throw new Error('createTokenVerifier needs jwksUrl or jwks');
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['ES256', 'RS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      });
      // A token that never expires, or only in a hundred years, is a stolen key for ever: refuse it. jose
      // checks exp (and nbf) itself; an iat in the future it accepts, which would stretch the lifetime.
      const now = Math.floor(Date.now() / 1000);
      if (payload.iat !== undefined && payload.iat > now + CLOCK_TOLERANCE_SECONDS) {
        throw new InvalidTokenError('the token was issued in the future (iat)');
      }
      const issuedAt = payload.iat ?? now;
      if (payload.exp! - issuedAt > options.maxLifetimeSeconds + CLOCK_TOLERANCE_SECONDS) {
        throw new InvalidTokenError(`the token lives longer than ${options.maxLifetimeSeconds} seconds (exp)`);
      }
      const identity = identityFromClaims(payload as Record<string, unknown>);
      if (!identity) throw new InvalidTokenError('the token has no subject');
      return identity;
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('the token has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'exp') {
        throw new InvalidTokenError('the token has no expiry (exp)');
      }
      if (err instanceof joseErrors.JOSEError) throw new InvalidTokenError(whyInvalid(err));
      throw err;
    }
  };
}

/** Why jose refused a token, in words (its error codes and class names are the library's, not ours). */
export function whyInvalid(err: InstanceType<typeof joseErrors.JOSEError>): string {
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token is not valid: its signature does not verify';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `the token is not valid: its ${err.claim} claim is refused`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the token is not valid: its algorithm is not accepted';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'the token is not valid: it was not signed by a key we know';
  return 'the token is not valid: it is not a signed token we can read';
}
