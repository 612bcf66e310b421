import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike, SignJWT } from 'jose';
import { Role } from './identity';

export interface TokenClaims {
  sub: string;
  roles: Role[];
  brandIds?: string[];
  creatorId?: string | null;
}

export interface DevIssuer {
  issuer: string;
  audience: string;
  jwks: { keys: JWK[] };
  sign(claims: TokenClaims, expiresIn?: string): Promise<string>;
  /** Signs exactly these claims (iss and aud added): tests of what the gateway refuses (no exp, a future iat). */
  signPayload(payload: Record<string, unknown>): Promise<string>;
}

const ALG = 'ES256';

async function issuerFrom(privateJwk: JWK, issuer: string, audience: string): Promise<DevIssuer> {
  const key = (await importJWK(privateJwk, ALG)) as KeyLike;
  const { d: _private, ...publicJwk } = privateJwk;
  return {
    issuer,
    audience,
    jwks: { keys: [{ ...publicJwk, alg: ALG, use: 'sig' }] },
    sign: (claims, expiresIn = '12h') =>
      new SignJWT({ roles: claims.roles, brandIds: claims.brandIds ?? [], creatorId: claims.creatorId ?? null })
        .setProtectedHeader({ alg: ALG, kid: privateJwk.kid })
        .setSubject(claims.sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(key),
    signPayload: (payload) =>
      new SignJWT(payload).setProtectedHeader({ alg: ALG, kid: privateJwk.kid }).setIssuer(issuer).setAudience(audience).sign(key),
  };
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `dev-${Date.now().toString(36)}`, alg: ALG };
}

/** A development issuer whose key lives only in memory (tests). */
export async function createEphemeralDevIssuer(issuer = 'influenceflow-dev', audience = 'influenceflow') {
  return issuerFrom(await newPrivateJwk(), issuer, audience);
}

/**
 * The built-in development issuer: its key pair is generated on first start and kept in `keyDir`, so
 * tokens printed by the CLI stay valid across restarts. Never used when JWKS_URL points to a real issuer.
 */
export async function loadOrCreateDevIssuer(keyDir: string, issuer = 'influenceflow-dev', audience = 'influenceflow') {
  const file = join(keyDir, 'private.jwk.json');
  if (!existsSync(file)) {
    mkdirSync(keyDir, { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(await newPrivateJwk()), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return issuerFrom(JSON.parse(readFileSync(file, 'utf8')) as JWK, issuer, audience);
}
