import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, exportJWK, generateKeyPair, importPKCS8, JWK, jwtVerify, SignJWT } from 'jose';
import { Identity, isUuid, StartupError } from '@influenceflow/kit';
import { CLOCK_TOLERANCE_SECONDS, InvalidTokenError, TokenVerifier, whyInvalid } from '../auth/token-verifier';

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;

/** The one scope there is: what a partner may reach is decided by the brands' grants, read live. */
export const PARTNER_SCOPE = 'partner';
const ALGORITHM = 'ES256';

export interface PartnerTokenSettings {
  keyFile?: string;
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
}

/** Who a token is for: the campaign subgraph's answer for valid credentials. */
export interface PartnerClaims {
  partnerClientId: string;
  clientId: string;
  brandIds: string[];
}

/**
 * Partner access tokens (docs/partners.md): JWT access tokens in the RFC 9068 profile (`typ: at+jwt`),
 * ES256, signed by the gateway's own key and issuer, never the identity provider's. The gateway both mints
 * them (POST /oauth/token) and verifies them, so the private key stays in this process.
 */
export class PartnerTokens {
  private constructor(
    private readonly settings: PartnerTokenSettings,
    private readonly privateKey: SigningKey,
    readonly jwks: { keys: JWK[] },
    private readonly verifyKeys: ReturnType<typeof createLocalJWKSet>,
  ) {}

  /**
   * The key from PARTNER_TOKEN_KEY_FILE; without one, development and tests make a key for the process
   * (its tokens die with it: a partner asks for a new one), and production has no partner tokens (null).
   */
  static async load(settings: PartnerTokenSettings, production: boolean): Promise<PartnerTokens | null> {
    let privateKey: SigningKey;
    let publicJwk: JWK;
    if (settings.keyFile) {
      let pem: string;
      try {
        pem = readFileSync(settings.keyFile, 'utf8');
      } catch {
        throw new StartupError(`PARTNER_TOKEN_KEY_FILE: ${settings.keyFile} cannot be read`);
      }
      try {
        privateKey = await importPKCS8(pem, ALGORITHM, { extractable: true });
      } catch {
        throw new StartupError(
          'PARTNER_TOKEN_KEY_FILE must hold a P-256 private key in PKCS#8 PEM (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)',
        );
      }
      const { d: _private, ...pub } = await exportJWK(privateKey);
      void _private;
      publicJwk = pub;
    } else {
      if (production) return null;
      const pair = await generateKeyPair(ALGORITHM, { extractable: true });
      privateKey = pair.privateKey;
      publicJwk = await exportJWK(pair.publicKey);
    }
    const kid = `partner-${(publicJwk.x ?? '').slice(0, 16)}`;
    const jwks = { keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }] };
    return new PartnerTokens(settings, privateKey, jwks, createLocalJWKSet(jwks));
  }

  get issuer(): string {
    return this.settings.issuer;
  }

  get lifetimeSeconds(): number {
    return this.settings.lifetimeSeconds;
  }

  async mint(claims: PartnerClaims, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ client_id: claims.clientId, roles: ['partner'], brandIds: claims.brandIds, scope: PARTNER_SCOPE })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'at+jwt', kid: this.jwks.keys[0].kid })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(claims.partnerClientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.settings.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /** A partner's identity from its token: the partner role only, its client as `sub`, its brands at issue. */
  async verify(token: string): Promise<Identity> {
    try {
      const { payload } = await jwtVerify(token, this.verifyKeys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: [ALGORITHM],
        typ: 'at+jwt',
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
      });
      if (payload.iat! > Math.floor(Date.now() / 1000) + CLOCK_TOLERANCE_SECONDS) {
        throw new InvalidTokenError('the token was issued in the future (iat)');
      }
      if (payload.exp! - payload.iat! > this.settings.lifetimeSeconds + CLOCK_TOLERANCE_SECONDS) {
        throw new InvalidTokenError(`the token lives longer than ${this.settings.lifetimeSeconds} seconds (exp)`);
      }
      if (!isUuid(payload.sub)) throw new InvalidTokenError('the token has no partner subject');
      const brandIds = Array.isArray(payload.brandIds) ? [...new Set(payload.brandIds.filter(isUuid).map((b) => b.toLowerCase()))] : [];
      return { sub: payload.sub.toLowerCase(), roles: ['partner'], brandIds, creatorId: null };
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('the token has expired');
      if (err instanceof joseErrors.JOSEError) throw new InvalidTokenError(whyInvalid(err));
      throw err;
    }
  }
}

/**
 * One verifier for both kinds of token: the partner issuer's tokens by the gateway's own key, every
 * other by the identity provider's, which may never make a partner (its `partner` role is dropped: a
 * partner identity is only what POST /oauth/token issued after checking the client's secret).
 */
export function withPartnerTokens(identityProvider: TokenVerifier, partners: PartnerTokens | null): TokenVerifier {
  return async (token) => {
    if (partners) {
      let issuer: unknown;
      try {
        issuer = decodeJwt(token).iss;
      } catch {
        issuer = undefined; // not a JWT: the identity provider's verifier says why
      }
      if (issuer === partners.issuer) return partners.verify(token);
    }
    const identity = await identityProvider(token);
    return identity.roles.includes('partner') ? { ...identity, roles: identity.roles.filter((r) => r !== 'partner') } : identity;
  };
}

/**
 * The rate-limit bucket of a partner token: its client's (`p:<client UUID>`), so that asking for more
 * tokens buys no more requests. Verified first (remembered by the token cache), so nobody can spend a
 * partner's bucket with a forged token; anything else keeps its own bucket (null).
 */
export function partnerRateKey(partners: PartnerTokens | null, verify: TokenVerifier): (token: string) => Promise<string | null> {
  return async (token) => {
    if (!partners) return null;
    try {
      if (decodeJwt(token).iss !== partners.issuer) return null;
      return `p:${(await verify(token)).sub}`;
    } catch {
      return null; // not a JWT, or refused: refused again when the request is authenticated
    }
  };
}
