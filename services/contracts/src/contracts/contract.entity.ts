import { Timestamped } from '@influenceflow/kit';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ContractStatus } from './contract-status';
import type { ContractTerms } from './contract-terms';

/**
 * One version of a partnership's contract: its terms as data, the document rendered from them (the
 * exact text signers are shown, and its SHA-256), where it stands, and once executed its certificate
 * of completion and sealed PDF. An amendment is a new row (version + 1) that names the one it amends.
 */
@ObjectType({
  description:
    "A version of a partnership's contract. Its brand's members and its creator see all of it; the brand's analysts see that it exists and its status (the other fields are null for them).",
})
@Directive('@key(fields: "id")')
@Entity({ name: 'contracts' })
@Index(['brandId', 'createdAt', 'id'])
export class Contract extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @Field(() => ID)
  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field(() => ID)
  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;

  @Field(() => Int, { description: '1, then one more per amendment.' })
  @Column({ type: 'integer' })
  version: number;

  /** The contract (version) this one amends; null for the first. */
  @Column({ name: 'amends_id', type: 'uuid', nullable: true })
  amendsId: string | null;

  @Field(() => ContractStatus)
  @Column({ type: 'text' })
  status: ContractStatus;

  /** The brand's template it is rendered from; null: the default agreement. */
  @Column({ name: 'template_id', type: 'uuid', nullable: true })
  templateId: string | null;

  @Column({ name: 'template_version', type: 'integer' })
  templateVersion: number;

  @Column({ type: 'jsonb' })
  terms: ContractTerms;

  /** The rendered document: exactly the text (UTF-8) signers are served. */
  @Column({ type: 'text' })
  document: string;

  /** SHA-256 (hex) of the document's UTF-8 bytes. */
  @Column({ name: 'document_sha256', type: 'char', length: 64 })
  documentSha256: string;

  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;

  @Column({ name: 'executed_at', type: 'timestamptz', precision: 3, nullable: true })
  executedAt: Date | null;

  /** When it was completed, terminated or superseded. */
  @Column({ name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: string | null;

  /** Who ended it: brand, creator or system. */
  @Column({ name: 'ended_by', type: 'text', nullable: true })
  endedBy: string | null;

  /** The certificate of completion (a compact JWS), once executed. */
  @Column({ name: 'certificate_jws', type: 'text', nullable: true })
  certificateJws: string | null;

  @Column({ name: 'pdf', type: 'bytea', nullable: true, select: false })
  pdf: Buffer | null;

  @Column({ name: 'pdf_sha256', type: 'char', length: 64, nullable: true })
  pdfSha256: string | null;
}

/**
 * One party's electronic signature of one contract version. A recall voids the signatures made so far
 * (`voidedAt`): one current signature per party, any number of void ones.
 */
@Entity({ name: 'contract_signatures' })
export class ContractSignature {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  /** brand or creator */
  @Column({ type: 'text' })
  role: 'brand' | 'creator';

  /** The token subject of the signer. */
  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'signer_name', type: 'text' })
  signerName: string;

  /** The consent statement the signer accepted, word for word. */
  @Column({ type: 'text' })
  consent: string;

  /** The SHA-256 of the document the signer saw (equal to the contract's when signed). */
  @Column({ name: 'document_sha256', type: 'char', length: 64 })
  documentSha256: string;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ name: 'signed_at', type: 'timestamptz', precision: 3 })
  signedAt: Date;

  /** Set when the brand recalled the contract after this signature: kept, never counted again. */
  @Column({ name: 'voided_at', type: 'timestamptz', precision: 3, nullable: true })
  voidedAt: Date | null;

  @Column({ name: 'void_reason', type: 'text', nullable: true })
  voidReason: string | null;
}
