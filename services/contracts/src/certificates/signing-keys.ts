import { createHash, createPrivateKey, JsonWebKey, KeyObject, webcrypto } from 'node:crypto';
import canonicalize from 'canonicalize';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, JWK, KeyLike } from 'jose';
import { DataSource, EntityManager } from 'typeorm';
import { SigningKey } from './signing-key.entity';

export type CertificateAlgorithm = 'ES256' | 'EdDSA';

/** A private key the operator configured (CONTRACTS_CERTIFICATE_KEY): it stays in the environment; only its public half is stored. */
export interface ConfiguredSigningKey {
  kid: string;
  alg: CertificateAlgorithm;
  /** Public parameters only, with kid, alg and use. */
  publicJwk: JWK;
  privateJwk: JWK;
}

export interface SigningKeysOptions {
  /** A configured key (see `parseConfiguredKey`); without one, keys are generated and kept in the database. */
  configuredKey?: ConfiguredSigningKey | null;
  /** `iss` of the certificates: the platform's public origin (PUBLIC_BASE_URL). */
  issuer?: string;
  /** The algorithm of generated keys (default ES256, which every JOSE library verifies). */
  algorithm?: CertificateAlgorithm;
}

/** A key operation that cannot be done (rotating a configured key, signing with a revoked one, a bad configured key). */
export class SigningKeyError extends Error {
  constructor(
    readonly code: 'KEY_CONFIGURED' | 'KEY_REVOKED' | 'KEY_CONFLICT' | 'KEY_INVALID' | 'KEY_UNKNOWN' | 'KEY_ACTIVE',
    message: string,
  ) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

const KID_PATTERN = /^[A-Za-z0-9._~-]{1,200}$/;

/** Who changed a key and why, as the key log records it (`signing_key_events`). */
export interface KeyChange {
  reason: string;
  /** The operator (the command line's user), or `service` for the service's own changes. */
  actor: string;
}

const SERVICE: KeyChange = { reason: 'the service needed an active key', actor: 'service' };

/** One key as operators see it (`keys list`): never its private half. */
export interface KeyListing {
  kid: string;
  alg: string;
  source: 'generated' | 'configured';
  status: 'active' | 'retired' | 'revoked';
  createdAt: Date;
  retiredAt: Date | null;
  revokedAt: Date | null;
  /** Whether it is published in the JWKS (active and retired keys). */
  published: boolean;
}

/** One line of the key log. */
export interface KeyEvent {
  kid: string;
  action: 'generated' | 'configured' | 'retired' | 'revoked';
  reason: string;
  actor: string;
  at: Date;
}

/** The public half of a private JWK, as published: key parameters, kid, alg, use. */
function publicOf(jwk: JWK, kid: string, alg: CertificateAlgorithm): JWK {
  const base = jwk.kty === 'EC' ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  return { ...base, kid, alg, use: 'sig' };
}

/** RFC 7638 thumbprint (SHA-256, base64url) of an EC or OKP key: its required members, canonical JSON. */
function thumbprint(jwk: JWK): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(canonicalize(members)!, 'utf8').digest('base64url');
}

/**
 * A configured private key: a JWK (JSON) or a PEM (PKCS#8, or SEC 1 for P-256), P-256 (ES256) or Ed25519
 * (EdDSA). Its kid is the JWK's own `kid`, else the RFC 7638 thumbprint. Throws SigningKeyError KEY_INVALID
 * (without echoing the key) for anything else.
 */
export function parseConfiguredKey(value: string): ConfiguredSigningKey {
  const textValue = value.trim();
  let key: KeyObject;
  let declaredKid: unknown;
  try {
    if (textValue.startsWith('{')) {
      const jwk = JSON.parse(textValue) as JWK;
      declaredKid = jwk.kid;
      if (typeof jwk.d !== 'string') throw new Error('not private');
      key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } else {
      key = createPrivateKey({ key: textValue, format: 'pem' });
    }
  } catch {
    throw new SigningKeyError('KEY_INVALID', 'must be a private key: a JWK (JSON with "d") or a PEM (PKCS#8)');
  }
  let alg: CertificateAlgorithm;
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') alg = 'ES256';
  else if (key.asymmetricKeyType === 'ed25519') alg = 'EdDSA';
  else throw new SigningKeyError('KEY_INVALID', 'must be a P-256 (ES256) or Ed25519 (EdDSA) key');
  const exported = key.export({ format: 'jwk' }) as JWK;
  if (declaredKid !== undefined && (typeof declaredKid !== 'string' || !KID_PATTERN.test(declaredKid))) {
    throw new SigningKeyError('KEY_INVALID', 'its "kid" must be 1 to 200 letters, digits or . _ ~ -');
  }
  const kid = (declaredKid as string | undefined) ?? thumbprint(exported);
  return { kid, alg, publicJwk: publicOf(exported, kid, alg), privateJwk: { ...exported, kid, alg } };
}

/** Whether two public JWKs are the same key (their RFC 7638 members). */
const sameKey = (a: JWK, b: JWK) => thumbprint(a) === thumbprint(b);

/**
 * The platform's certificate signing keys, stored in the contracts database (`signing_keys`); private JWKs
 * never leave the service. One key is active; retired keys stay in the JWKS (certificates they signed still
 * verify); revoked keys leave it. With a configured key, that key is the active one (its public half is
 * recorded, the previous active key retired), and rotation means configuring another.
 */
export class SigningKeys {
  /** `iss` of the certificates issued with these keys. */
  readonly issuer: string;
  private readonly configured: ConfiguredSigningKey | null;
  private readonly algorithm: CertificateAlgorithm;
  private readonly imported = new Map<string, Promise<KeyLike>>();
  private recorded: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    options: SigningKeysOptions = {},
  ) {
    this.configured = options.configuredKey ?? null;
    this.issuer = options.issuer ?? 'influenceflow';
    this.algorithm = options.algorithm ?? 'ES256';
  }

  /** The active key, created on first use (ES256 or EdDSA, via `jose`). */
  async active(): Promise<{ kid: string; alg: string; privateKey: KeyLike | webcrypto.CryptoKey }> {
    if (this.configured) {
      await this.recordConfigured();
      const row = await this.dataSource.manager.findOne(SigningKey, { where: { kid: this.configured.kid } });
      if (row?.status === 'revoked')
        throw new SigningKeyError('KEY_REVOKED', 'the configured certificate key was revoked: configure another');
      return {
        kid: this.configured.kid,
        alg: this.configured.alg,
        privateKey: await this.importPrivate(this.configured.kid, this.configured.alg, this.configured.privateJwk),
      };
    }
    const row = (await this.activeGenerated(this.dataSource.manager)) ?? (await this.withLock((tx) => this.ensureGenerated(tx)));
    return { kid: row.kid, alg: row.alg, privateKey: await this.importPrivate(row.kid, row.alg as CertificateAlgorithm, row.privateJwk!) };
  }

  /** Every published key (active and retired, not revoked), as a public JWKS: the active key first, then the newest. */
  async jwks(): Promise<{ keys: JWK[] }> {
    if (this.configured) await this.recordConfigured();
    const rows = (await this.dataSource.query(
      `SELECT public_jwk FROM signing_keys WHERE status IN ('active', 'retired') ORDER BY status = 'active' DESC, created_at DESC, kid`,
    )) as { public_jwk: JWK }[];
    return { keys: rows.map((r) => r.public_jwk) };
  }

  /** A new active key; the previous one stays published (verifies old certificates). Returns the new kid. */
  async rotate(change: KeyChange = { reason: 'rotated', actor: 'service' }): Promise<string> {
    if (this.configured) {
      throw new SigningKeyError(
        'KEY_CONFIGURED',
        'the certificate key is configured (CONTRACTS_CERTIFICATE_KEY): configure another one to rotate',
      );
    }
    return this.withLock(async (tx) => {
      await this.retireActive(tx, change);
      return (await this.createGenerated(tx, change)).kid;
    });
  }

  /** Every key, the active one first, then the newest (what `keys list` prints). */
  async list(): Promise<KeyListing[]> {
    const rows = (await this.dataSource.query(
      `SELECT kid, alg, source, status, created_at, retired_at, revoked_at FROM signing_keys
       ORDER BY status = 'active' DESC, created_at DESC, kid`,
    )) as {
      kid: string;
      alg: string;
      source: KeyListing['source'];
      status: KeyListing['status'];
      created_at: Date;
      retired_at: Date | null;
      revoked_at: Date | null;
    }[];
    return rows.map((r) => ({
      kid: r.kid,
      alg: r.alg,
      source: r.source,
      status: r.status,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
      revokedAt: r.revoked_at,
      published: r.status !== 'revoked',
    }));
  }

  /** The key log, oldest first (of one key, or of all). */
  async events(kid?: string): Promise<KeyEvent[]> {
    const rows = (await this.dataSource.query(
      `SELECT kid, action, reason, actor, at FROM signing_key_events WHERE ($1::text IS NULL OR kid = $1) ORDER BY at, id`,
      [kid ?? null],
    )) as KeyEvent[];
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }

  /**
   * The operator's revocation (`keys revoke`): refuses an unknown kid, one revoked already, and the active
   * key (rotate first, then revoke the key that was active: certificates keep being issued meanwhile).
   */
  async revokeRetired(kid: string, change: KeyChange): Promise<void> {
    if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) throw new SigningKeyError('KEY_UNKNOWN', 'no key has this kid');
    await this.withLock(async (tx) => {
      const row = await tx.findOne(SigningKey, { where: { kid } });
      if (!row) throw new SigningKeyError('KEY_UNKNOWN', `no key has the kid ${kid}`);
      if (row.status === 'revoked') throw new SigningKeyError('KEY_REVOKED', `the key ${kid} is revoked already`);
      if (row.status === 'active') {
        throw new SigningKeyError(
          'KEY_ACTIVE',
          row.source === 'configured'
            ? `the key ${kid} is the active key, configured (CONTRACTS_CERTIFICATE_KEY): configure another key, restart the service, then revoke this one`
            : `the key ${kid} is the active key: rotate first (a new active key), then revoke it`,
        );
      }
      await this.markRevoked(tx, kid, change);
    });
    this.imported.delete(kid);
  }

  /**
   * Withdraws a key (compromised): it leaves the JWKS, so every certificate it signed stops verifying.
   * Revoking the active generated key makes the next certificate create a new one. False: no such key, or revoked already.
   */
  async revoke(kid: string, change: KeyChange = { reason: 'revoked', actor: 'service' }): Promise<boolean> {
    if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) return false;
    const revoked = await this.withLock((tx) => this.markRevoked(tx, kid, change));
    this.imported.delete(kid);
    return revoked;
  }

  private async markRevoked(tx: EntityManager, kid: string, change: KeyChange): Promise<boolean> {
    const result = (await tx.query(
      `UPDATE signing_keys SET status = 'revoked', revoked_at = now(), retired_at = coalesce(retired_at, now())
       WHERE kid = $1 AND status <> 'revoked' RETURNING kid`,
      [kid],
    )) as [unknown[], number];
    if (result[1] > 0) await this.log(tx, kid, 'revoked', change);
    return result[1] > 0;
  }

  private async log(tx: EntityManager, kid: string, action: KeyEvent['action'], change: KeyChange): Promise<void> {
    await tx.query(`INSERT INTO signing_key_events (kid, action, reason, actor) VALUES ($1, $2, $3, $4)`, [
      kid,
      action,
      change.reason.slice(0, 1000),
      change.actor.slice(0, 200),
    ]);
  }

  private withLock<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    // One key change at a time across replicas; readers (jwks, active) are not blocked.
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE`);
      return work(tx);
    });
  }

  private async activeGenerated(manager: EntityManager): Promise<SigningKey | null> {
    return manager
      .createQueryBuilder(SigningKey, 'k')
      .addSelect('k.privateJwk')
      .where(`k.status = 'active' AND k.source = 'generated'`)
      .getOne();
  }

  private async ensureGenerated(tx: EntityManager): Promise<SigningKey> {
    const existing = await this.activeGenerated(tx);
    if (existing) return existing;
    // None yet, or the active key is a configured one this process does not hold: a generated key takes over.
    await this.retireActive(tx, SERVICE);
    return this.createGenerated(tx, SERVICE);
  }

  private async retireActive(tx: EntityManager, change: KeyChange): Promise<void> {
    const retired = (await tx.query(
      `UPDATE signing_keys SET status = 'retired', retired_at = now() WHERE status = 'active' RETURNING kid`,
    )) as [{ kid: string }[], number];
    for (const r of retired[0]) await this.log(tx, r.kid, 'retired', change);
  }

  private async createGenerated(tx: EntityManager, change: KeyChange): Promise<SigningKey> {
    const { privateKey } = await generateKeyPair(this.algorithm, {
      extractable: true,
      crv: this.algorithm === 'EdDSA' ? 'Ed25519' : undefined,
    });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk, 'sha256');
    const row = tx.create(SigningKey, {
      kid,
      alg: this.algorithm,
      publicJwk: publicOf(jwk, kid, this.algorithm),
      privateJwk: { ...jwk, kid, alg: this.algorithm },
      source: 'generated',
      status: 'active',
      retiredAt: null,
      revokedAt: null,
    });
    await tx.insert(SigningKey, row);
    await this.log(tx, kid, 'generated', change);
    this.imported.set(kid, Promise.resolve(privateKey));
    return row;
  }

  /** Records the configured key's public half as the active key (once per process; again after a failure). */
  private recordConfigured(): Promise<void> {
    this.recorded ??= this.withLock(async (tx) => {
      const key = this.configured!;
      const existing = await tx.findOne(SigningKey, { where: { kid: key.kid } });
      if (existing && !sameKey(existing.publicJwk, key.publicJwk)) {
        throw new SigningKeyError('KEY_CONFLICT', 'another key is already published under the configured key id');
      }
      if (existing?.status === 'revoked') return; // active() refuses to sign; it stays out of the JWKS
      if (existing?.status === 'active') return;
      const change = { reason: 'configured (CONTRACTS_CERTIFICATE_KEY)', actor: 'service' };
      await this.retireActive(tx, change);
      if (existing) {
        await tx.query(`UPDATE signing_keys SET status = 'active', retired_at = NULL WHERE kid = $1`, [key.kid]);
      } else {
        await tx.insert(SigningKey, {
          kid: key.kid,
          alg: key.alg,
          publicJwk: key.publicJwk,
          privateJwk: null,
          source: 'configured',
          status: 'active',
          retiredAt: null,
          revokedAt: null,
        });
      }
      await this.log(tx, key.kid, 'configured', change);
    }).catch((err: unknown) => {
      this.recorded = null;
      throw err;
    });
    return this.recorded;
  }

  private importPrivate(kid: string, alg: CertificateAlgorithm, jwk: JWK): Promise<KeyLike> {
    let key = this.imported.get(kid);
    if (!key) {
      key = importJWK(jwk, alg) as Promise<KeyLike>;
      this.imported.set(kid, key);
    }
    return key;
  }
}
