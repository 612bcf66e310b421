import type { EntityManager } from 'typeorm';
import type { JWK } from 'jose';

import type { AuditEntryInput, AuditEntryView, ChainVerification } from '../audit/audit-chain';
import type { TrailHead } from '../audit/audit-trail';
import type { CompletionClaims } from '../certificates/certificate';
import type { CertificatePage } from '../sealing/contract-pdf';

export type { AuditAction, AuditEntryInput, AuditEntryView, ChainVerification } from '../audit/audit-chain';
export type { TrailHead } from '../audit/audit-trail';
export type { CompletionClaims } from '../certificates/certificate';
export type { CertificatePage } from '../sealing/contract-pdf';

/*
 * What contracts needs from the audit trail, the certificates and the sealing (audit/, certificates/,
 * sealing/), their types taken from those modules; services.ts is the one place the real ones are plugged in.
 */

export interface AuditLog {
  append(manager: EntityManager, contractId: string, entry: AuditEntryInput): Promise<AuditEntryView>;
  appendAlone(contractId: string, entry: AuditEntryInput): Promise<AuditEntryView>;
  list(contractId: string, manager?: EntityManager): Promise<AuditEntryView[]>;
  /** Several contracts' entries in one query (a DataLoader's batch), in the order asked. */
  listMany(contractIds: readonly string[]): Promise<AuditEntryView[][]>;
  /** Several contracts' trail heads in one query, in the order asked (null where none). */
  headsOf(contractIds: readonly string[]): Promise<(TrailHead | null)[]>;
  /** Verifies entries already read against their head (`verify` without reading). */
  check(entries: readonly AuditEntryView[], head: TrailHead | null, expect?: { anchorHash?: string }): ChainVerification;
  /** `expect.anchorHash`: a hash kept outside the trail (a certificate's `auditHeadHash`) the chain must hold. */
  verify(contractId: string, manager?: EntityManager, expect?: { anchorHash?: string }): Promise<ChainVerification>;
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

/** Renders the executed contract as a PDF (the certificate as its last page) and seals it. */
export interface PdfSealer {
  sealedPdf(input: { title: string; documentText: string; certificate: CertificatePage }): Promise<Buffer>;
}
