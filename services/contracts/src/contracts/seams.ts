import type { EntityManager } from 'typeorm';
import type { JWK } from 'jose';

/**
 * What contracts needs from the audit trail, the certificates and the sealing (audit/, certificates/,
 * sealing/), as the agreed interfaces say; services.ts is the one place the real ones are plugged in.
 */
export type AuditAction = 'created' | 'viewed' | 'sent' | 'signed' | 'executed' | 'amended' | 'terminated' | 'completed' | 'sign_refused';

export interface AuditEntryInput {
  action: AuditAction;
  actor: string;
  actorRole: string;
  at: Date;
  details: Record<string, unknown>;
}

export interface AuditEntryView extends AuditEntryInput {
  contractId: string;
  sequence: number;
  previousHash: string | null;
  hash: string;
}

export interface ChainVerification {
  intact: boolean;
  entries: number;
  headHash: string | null;
  brokenAt: number | null;
  reason: string | null;
}

export interface AuditLog {
  append(manager: EntityManager, contractId: string, entry: AuditEntryInput): Promise<AuditEntryView>;
  appendAlone(contractId: string, entry: AuditEntryInput): Promise<AuditEntryView>;
  list(contractId: string, manager?: EntityManager): Promise<AuditEntryView[]>;
  /** `expect.anchorHash`: a hash kept outside the trail (a certificate's `auditHeadHash`) the chain must hold. */
  verify(contractId: string, manager?: EntityManager, expect?: { anchorHash?: string }): Promise<ChainVerification>;
}

export interface CompletionClaims {
  contractId: string;
  version: number;
  title: string;
  documentSha256: string;
  signers: { role: 'brand' | 'creator'; name: string; subject: string; signedAt: string; consent: string }[];
  executedAt: string;
  auditHeadHash: string;
}

/** Issues and checks certificates of completion with the platform's keys. */
export interface Certificates {
  issue(claims: CompletionClaims): Promise<string>;
  /** The published keys (a public JWKS). */
  jwks(): Promise<{ keys: JWK[] }>;
  /**
   * Checks a certificate with the published keys alone; a forged, edited or unknown one is BAD_USER_INPUT
   * on `field` with `reason` (the certificates' code).
   */
  verify(jws: string, field?: string): Promise<CompletionClaims>;
}

export interface CertificatePage {
  contractId: string;
  version: number;
  title: string;
  documentSha256: string;
  signers: { role: 'brand' | 'creator'; name: string; subject: string; signedAt: string; ip: string | null; userAgent: string | null }[];
  executedAt: string;
  auditHeadHash: string;
  certificateJws: string;
  verifyUrl: string;
}

/** Renders the executed contract as a PDF (the certificate as its last page) and seals it. */
export interface PdfSealer {
  sealedPdf(input: { title: string; documentText: string; certificate: CertificatePage }): Promise<Buffer>;
}
