import { AppError, badInput, ErrorCode, Logger } from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import { SHA256_HEX, sha256Hex } from '../contracts/contract-document';
import type { Certificates, CompletionClaims } from '../contracts/seams';

/**
 * What the public learns about a document or a certificate: whether it is an executed contract of this
 * platform, who signed it and when — only what the certificate of completion holds (no fees, no terms).
 */
export interface Verification {
  /** An executed contract of this platform matches (its document, its sealed PDF, or the certificate given). */
  executed: boolean;
  /** DOCUMENT, PDF or CERTIFICATE: what matched; null when nothing did. */
  matched: 'DOCUMENT' | 'PDF' | 'CERTIFICATE' | null;
  claims: CompletionClaims | null;
  /** The certificate of completion (compact JWS): check it offline with the JWKS. */
  certificate: string | null;
  /**
   * Why a document or PDF that matches an executed contract does not verify (its stored certificate's
   * code, e.g. CERTIFICATE_UNKNOWN_KEY once the key that signed it was revoked); null otherwise.
   */
  reason?: string | null;
}

export const CERTIFICATE_INVALID = 'CERTIFICATE_INVALID';

const NOTHING: Verification = { executed: false, matched: null, claims: null, certificate: null };

/** Public verification: by the SHA-256 of a document or PDF, by its bytes, or by a certificate. */
export class VerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly certificates: Certificates,
    private readonly logger: Logger,
  ) {}

  /** By the SHA-256 (hex) of the rendered document's bytes or of the sealed PDF's. */
  async byHash(sha256: string, field = 'documentSha256'): Promise<Verification> {
    const hash = sha256.trim().toLowerCase();
    if (!SHA256_HEX.test(hash)) throw badInput(field, 'must be a SHA-256 as 64 hexadecimal digits');
    const [row] = (await this.dataSource.query(
      `SELECT certificate_jws, (pdf_sha256 = $1) AS by_pdf FROM contracts
        WHERE (document_sha256 = $1 OR pdf_sha256 = $1) AND certificate_jws IS NOT NULL
        ORDER BY executed_at DESC LIMIT 1`,
      [hash],
    )) as { certificate_jws: string; by_pdf: boolean }[];
    if (!row) return NOTHING;
    // What is shown is what the certificate says, checked with the published keys.
    let claims: CompletionClaims;
    try {
      claims = await this.certificates.verify(row.certificate_jws);
    } catch (err) {
      // A certificate that no longer verifies (its key revoked, …) is an answer, not a failure.
      if (!(err instanceof AppError) || err.code !== ErrorCode.BAD_USER_INPUT) throw err;
      const reason = typeof err.details?.reason === 'string' ? err.details.reason : CERTIFICATE_INVALID;
      this.logger.warn({ reason }, 'a stored certificate does not verify with the published keys');
      return { ...NOTHING, reason };
    }
    return { executed: true, matched: row.by_pdf ? 'PDF' : 'DOCUMENT', claims, certificate: row.certificate_jws, reason: null };
  }

  /** By the bytes of the document (its text) or of the sealed PDF. */
  byBytes(bytes: Buffer): Promise<Verification> {
    return this.byHash(sha256Hex(bytes));
  }

  /**
   * By a certificate: valid only when its signature verifies with the published keys (a forged or edited
   * one, or one of a key never published, is BAD_USER_INPUT with `reason: CERTIFICATE_INVALID`).
   */
  async byCertificate(jws: string, field = 'certificate'): Promise<Verification> {
    const text = jws.trim();
    if (text.length === 0 || text.length > 64_000 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text)) {
      throw badInput(field, 'must be a certificate of completion (a compact JWS: three base64url parts)', { reason: CERTIFICATE_INVALID });
    }
    let claims: CompletionClaims;
    try {
      claims = await this.certificates.verify(text, field);
    } catch (err) {
      // The certificates' own refusal says why (extensions.reason: CERTIFICATE_BAD_SIGNATURE, …).
      if (err instanceof AppError) throw err;
      throw badInput(
        field,
        'is not a certificate of completion signed by this platform: it is forged, edited, or signed with an unknown key',
        {
          reason: CERTIFICATE_INVALID,
        },
      );
    }
    return { executed: true, matched: 'CERTIFICATE', claims, certificate: text };
  }
}
