import { AppError, badInput, isUuid } from '@influenceflow/kit';
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, JWK, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { SigningKeys } from './signing-keys';

/**
 * The certificate of completion of an executed contract: these claims in a JWT signed with the platform's
 * key (ES256 or EdDSA), verifiable by anyone with the published JWKS alone. docs/contracts.md,
 * "Certificate of completion", shows how to check one with any JOSE library.
 */
export interface CompletionClaims {
  contractId: string;
  version: number;
  title: string;
  /** SHA-256 (hex) of the exact rendered document bytes both parties signed. */
  documentSha256: string;
  /**
   * Who signed: role, name, time and consent. No token subject (an internal identity, kept in the
   * contract's signatures and audit trail for its parties): certificates are shown to anyone.
   */
  signers: {
    role: 'brand' | 'creator';
    name: string;
    signedAt: string /* ISO */;
    consent: string /* the statement accepted */;
  }[];
  executedAt: string; // ISO
  /** The audit trail's head hash at execution. */
  auditHeadHash: string;
}

/** The JWS header's `typ`: a certificate is never mistaken for a token, nor a token for a certificate. */
export const CERTIFICATE_TYPE = 'influenceflow-certificate+jwt';
/** The algorithms a certificate may be signed with; anything else (`none`, HS256 …) is refused before any key is looked at. */
export const CERTIFICATE_ALGORITHMS = ['ES256', 'EdDSA'] as const;
/** The longest certificate accepted for verification (a real one is a few kilobytes). */
export const MAX_CERTIFICATE_LENGTH = 65_536;

/** Why a certificate does not verify: stable codes (docs/contracts.md lists them). */
export const CERTIFICATE_ERROR_CODES = [
  /** Not a compact JWS at all (or too long, or not readable). */
  'CERTIFICATE_MALFORMED',
  /** Signed with an algorithm certificates never use (`none`, HS256, RS256 …). */
  'CERTIFICATE_ALGORITHM_REFUSED',
  /** Its `kid` is not in the key set (never ours, or revoked). */
  'CERTIFICATE_UNKNOWN_KEY',
  /** The signature does not match the header and payload: edited or forged. */
  'CERTIFICATE_BAD_SIGNATURE',
  /** Its `typ` is not a certificate's (another JWT signed by someone). */
  'CERTIFICATE_WRONG_TYPE',
  /** Its issuer is not the one expected. */
  'CERTIFICATE_WRONG_ISSUER',
  /** Signed, but its claims are not a certificate of completion's. */
  'CERTIFICATE_INVALID_CLAIMS',
] as const;
export type CertificateErrorCode = (typeof CERTIFICATE_ERROR_CODES)[number];

const MESSAGES: Record<CertificateErrorCode, string> = {
  CERTIFICATE_MALFORMED: 'The certificate is not a compact JWS this platform issues',
  CERTIFICATE_ALGORITHM_REFUSED: 'The certificate is signed with an algorithm certificates never use',
  CERTIFICATE_UNKNOWN_KEY: 'The certificate is signed with a key the platform does not publish',
  CERTIFICATE_BAD_SIGNATURE: 'The certificate signature does not match its content: it was changed or forged',
  CERTIFICATE_WRONG_TYPE: 'The token is not a certificate of completion',
  CERTIFICATE_WRONG_ISSUER: 'The certificate was not issued by this platform',
  CERTIFICATE_INVALID_CLAIMS: 'The certificate does not hold the claims of a certificate of completion',
};

/** A certificate that does not verify (or claims that cannot be certified), with a stable `code`. */
export class CertificateError extends Error {
  constructor(
    readonly code: CertificateErrorCode,
    options: { cause?: unknown } = {},
  ) {
    super(MESSAGES[code], options);
    this.name = 'CertificateError';
  }
}

/** The client's error for a certificate that does not verify: BAD_USER_INPUT on `field`, the code as `reason`. */
export function certificateInputError(err: CertificateError, field = 'certificate'): AppError {
  return badInput(field, err.message, { reason: err.code });
}

const NO_NUL = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().min(1).max(max).refine(NO_NUL);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const isoTime = z.string().datetime({ offset: true });

const claimsSchema = z
  .object({
    contractId: z.string().refine(isUuid),
    version: z.number().int().min(1).max(1_000_000),
    title: text(500),
    documentSha256: sha256Hex,
    signers: z
      .array(
        z
          .object({
            role: z.enum(['brand', 'creator']),
            name: text(300),
            // Certificates issued before subjects were left out hold one: they still verify, and it is dropped.
            subject: text(300).optional(),
            signedAt: isoTime,
            consent: text(5_000),
          })
          .strict(),
      )
      .min(1)
      .max(10),
    executedAt: isoTime,
    auditHeadHash: sha256Hex,
  })
  .strict();

const CLAIM_KEYS = Object.keys(claimsSchema.shape) as (keyof CompletionClaims)[];

/**
 * The claims as certified, in a fixed order (a signer's `subject`, which older certificates hold, is
 * left out: neither issued nor shown); throws CERTIFICATE_INVALID_CLAIMS for anything else.
 */
function checkedClaims(value: unknown): CompletionClaims {
  const parsed = claimsSchema.safeParse(value);
  if (!parsed.success) throw new CertificateError('CERTIFICATE_INVALID_CLAIMS', { cause: parsed.error });
  const c = parsed.data;
  return {
    contractId: c.contractId.toLowerCase(),
    version: c.version,
    title: c.title,
    documentSha256: c.documentSha256,
    signers: c.signers.map((s) => ({ role: s.role, name: s.name, signedAt: s.signedAt, consent: s.consent })),
    executedAt: c.executedAt,
    auditHeadHash: c.auditHeadHash,
  };
}

/**
 * A compact JWS (a JWT, typ CERTIFICATE_TYPE) holding the claims, `iss` (the keys' issuer: the public
 * origin), `sub` (the contract id) and `iat`, signed with the active key. No `exp`: a certificate of
 * completion does not expire; a revoked key's certificates stop verifying.
 */
export async function issueCertificate(keys: Pick<SigningKeys, 'active' | 'issuer'>, claims: CompletionClaims): Promise<string> {
  const checked = checkedClaims(claims);
  const key = await keys.active();
  return new SignJWT({ ...checked })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: CERTIFICATE_TYPE })
    .setIssuer(keys.issuer)
    .setSubject(checked.contractId)
    .setIssuedAt()
    .sign(key.privateKey);
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function fromJoseError(err: unknown): CertificateError {
  const code = (err as { code?: string }).code;
  const claim = (err as { claim?: string }).claim;
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new CertificateError('CERTIFICATE_BAD_SIGNATURE', { cause: err });
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new CertificateError('CERTIFICATE_UNKNOWN_KEY', { cause: err });
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new CertificateError('CERTIFICATE_ALGORITHM_REFUSED', { cause: err });
    case 'ERR_JWT_EXPIRED': // certificates have no `exp`: a token with a past one is not ours
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'typ') return new CertificateError('CERTIFICATE_WRONG_TYPE', { cause: err });
      if (claim === 'iss') return new CertificateError('CERTIFICATE_WRONG_ISSUER', { cause: err });
      return new CertificateError('CERTIFICATE_INVALID_CLAIMS', { cause: err });
    default:
      return new CertificateError('CERTIFICATE_MALFORMED', { cause: err });
  }
}

/**
 * Offline: verifies with a JWKS alone (jose createLocalJWKSet); throws a typed error (CertificateError) on
 * forged/edited/unknown kid. `options.issuer`: also require this `iss` (the platform's public origin).
 */
export async function verifyCertificate(jws: string, jwks: { keys: JWK[] }, options: { issuer?: string } = {}): Promise<CompletionClaims> {
  if (typeof jws !== 'string' || jws.length > MAX_CERTIFICATE_LENGTH || !COMPACT_JWS.test(jws.trim())) {
    throw new CertificateError('CERTIFICATE_MALFORMED');
  }
  const token = jws.trim();
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch (err) {
    throw new CertificateError('CERTIFICATE_MALFORMED', { cause: err });
  }
  // Checked before any key is chosen: `none`, and HMAC keyed with a public key, never get near a verifier.
  if (typeof header.alg !== 'string' || !(CERTIFICATE_ALGORITHMS as readonly string[]).includes(header.alg)) {
    throw new CertificateError('CERTIFICATE_ALGORITHM_REFUSED');
  }
  if (header.typ !== CERTIFICATE_TYPE) throw new CertificateError('CERTIFICATE_WRONG_TYPE');
  if (typeof header.kid !== 'string' || !jwks.keys.some((k) => k.kid === header.kid)) throw new CertificateError('CERTIFICATE_UNKNOWN_KEY');
  let payload: Record<string, unknown>;
  try {
    const keySet = createLocalJWKSet({ keys: jwks.keys });
    ({ payload } = await jwtVerify(token, keySet, {
      algorithms: [...CERTIFICATE_ALGORITHMS],
      typ: CERTIFICATE_TYPE,
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
    }));
  } catch (err) {
    if (!(err instanceof joseErrors.JOSEError)) throw err;
    throw fromJoseError(err);
  }
  const claims = Object.fromEntries(CLAIM_KEYS.filter((k) => k in payload).map((k) => [k, payload[k]]));
  const checked = checkedClaims(claims);
  if (payload.sub !== undefined && payload.sub !== checked.contractId) throw new CertificateError('CERTIFICATE_INVALID_CLAIMS');
  return checked;
}
