import { AppError, badInput, ErrorCode, Logger } from '@influenceflow/kit';
import { decodeJwt } from 'jose';
import type { DataSource } from 'typeorm';
import { SHA256_HEX, sha256Hex } from '../contracts/contract-document';
import { ContractStatus } from '../contracts/contract-status';
import type { Certificates, CompletionClaims } from '../contracts/seams';

/**
 * Where an executed contract stands now, as far as it is public: in force since its execution, or
 * completed, terminated (when, never why or by whom) or superseded by a later version (which one) since
 * `since`. Nothing of its terms, fees or reasons.
 */
export interface Standing {
  state: 'IN_FORCE' | 'COMPLETED' | 'TERMINATED' | 'SUPERSEDED';
  since: Date;
  /** The version whose execution superseded it; null unless SUPERSEDED. */
  supersededByVersion: number | null;
}

/**
 * What the public learns about a document or a certificate: whether it is an executed contract of this
 * platform, who signed it and when — only what the certificate of completion holds (no fees, no terms,
 * no signer's token subject) — and where that contract stands now.
 */
export interface Verification {
  /** An executed contract of this platform matches (its document, its sealed PDF, or the certificate given). */
  executed: boolean;
  /** DOCUMENT, PDF or CERTIFICATE: what matched; null when nothing did. */
  matched: 'DOCUMENT' | 'PDF' | 'CERTIFICATE' | null;
  claims: CompletionClaims | null;
  /** The certificate of completion (compact JWS): check it offline with the JWKS. */
  certificate: string | null;
  /** Where the contract stands now; null when nothing executed matched (or this platform has no record of it). */
  standing: Standing | null;
  /**
   * Why a document or PDF that matches an executed contract does not verify (its stored certificate's
   * code, e.g. CERTIFICATE_UNKNOWN_KEY once the key that signed it was revoked); null otherwise.
   */
  reason?: string | null;
}

export const CERTIFICATE_INVALID = 'CERTIFICATE_INVALID';

/** Whether a (verified) certificate's payload names a signer's `subject`, as those of earlier releases do. */
function holdsSubjects(jws: string): boolean {
  const signers = (decodeJwt(jws) as { signers?: unknown }).signers;
  return Array.isArray(signers) && signers.some((s) => typeof s === 'object' && s !== null && 'subject' in s);
}

const NOTHING: Verification = { executed: false, matched: null, claims: null, certificate: null, standing: null };

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
    return {
      executed: true,
      matched: row.by_pdf ? 'PDF' : 'DOCUMENT',
      claims,
      // A certificate of an earlier release holds the signers' token subjects: it is not handed to whoever
      // knows a hash (its parties have it, as Contract.certificate and on the PDF).
      certificate: holdsSubjects(row.certificate_jws) ? null : row.certificate_jws,
      standing: await this.standingOf(claims),
      reason: null,
    };
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
    return { executed: true, matched: 'CERTIFICATE', claims, certificate: text, standing: await this.standingOf(claims) };
  }

  /**
   * The standing of the contract a verified certificate is about: its row (the id, version and document
   * the certificate names, executed) and, once superseded, the version that superseded it.
   */
  private async standingOf(claims: CompletionClaims): Promise<Standing | null> {
    const [row] = (await this.dataSource.query(
      `SELECT c.status, c.executed_at, c.ended_at,
              (SELECT a.version FROM contracts a WHERE a.amends_id = c.id AND a.executed_at IS NOT NULL
                ORDER BY a.version DESC LIMIT 1) AS superseded_by
         FROM contracts c
        WHERE c.id = $1 AND c.version = $2 AND c.document_sha256 = $3 AND c.executed_at IS NOT NULL`,
      [claims.contractId, claims.version, claims.documentSha256],
    )) as { status: string; executed_at: Date; ended_at: Date | null; superseded_by: number | null }[];
    if (!row) return null;
    switch (row.status) {
      case ContractStatus.EXECUTED:
        return { state: 'IN_FORCE', since: row.executed_at, supersededByVersion: null };
      case ContractStatus.COMPLETED:
        return { state: 'COMPLETED', since: row.ended_at ?? row.executed_at, supersededByVersion: null };
      case ContractStatus.TERMINATED:
        return { state: 'TERMINATED', since: row.ended_at ?? row.executed_at, supersededByVersion: null };
      case ContractStatus.SUPERSEDED:
        return { state: 'SUPERSEDED', since: row.ended_at ?? row.executed_at, supersededByVersion: row.superseded_by };
      default:
        return null;
    }
  }
}
