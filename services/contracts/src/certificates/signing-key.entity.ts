import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JWK } from 'jose';

export type SigningKeyStatus = 'active' | 'retired' | 'revoked';
/** `generated`: made and kept here (private JWK in this table); `configured`: the private key lives in the environment only. */
export type SigningKeySource = 'generated' | 'configured';

/**
 * A key the platform signs certificates of completion with. One is active; retired keys stay published in
 * the JWKS so certificates they signed still verify; revoked keys are no longer published. The private
 * JWK is never selected unless asked for (`select: false`) and never leaves the service.
 */
@Entity({ name: 'signing_keys' })
export class SigningKey {
  /** The RFC 7638 thumbprint of the public key (or the configured JWK's own `kid`). */
  @PrimaryColumn({ type: 'text' })
  kid: string;

  /** 'ES256' or 'EdDSA'. */
  @Column({ type: 'text' })
  alg: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: JWK;

  @Column({ name: 'private_jwk', type: 'jsonb', nullable: true, select: false })
  privateJwk: JWK | null;

  @Column({ type: 'text' })
  source: SigningKeySource;

  @Column({ type: 'text' })
  status: SigningKeyStatus;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', precision: 3, nullable: true })
  retiredAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;
}
