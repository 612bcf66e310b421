import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One entry of a contract's audit trail (append-only: the database refuses UPDATE, DELETE and TRUNCATE).
 * Written by `AuditTrail` only; `hash` covers every other column but `recordedAt` (audit-chain.ts).
 */
@Entity({ name: 'audit_entries' })
export class AuditEntry {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  /** 1, 2, 3… per contract, without gaps. */
  @PrimaryColumn({ type: 'integer' })
  sequence: number;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  actor: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole: string;

  @Column({ type: 'timestamptz', precision: 3 })
  at: Date;

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;

  /** The hash of entry `sequence - 1`; null for the first entry. */
  @Column({ name: 'previous_hash', type: 'text', nullable: true })
  previousHash: string | null;

  @Column({ type: 'text' })
  hash: string;

  /** When the database stored it (not part of the hash). */
  @Column({ name: 'recorded_at', type: 'timestamptz', precision: 3, insert: false, update: false })
  recordedAt: Date;
}

/**
 * The head of a contract's trail: the row appends lock (so two appends never take the same sequence) and
 * what `verify` checks the entries against (a cut-off tail). It only moves forward, one entry at a time.
 */
@Entity({ name: 'audit_heads' })
export class AuditHead {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  /** The sequence of the last entry (0 before the first). */
  @Column({ type: 'integer' })
  sequence: number;

  @Column({ name: 'head_hash', type: 'text', nullable: true })
  headHash: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
