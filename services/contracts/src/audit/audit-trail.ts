import { alignByKey, groupByKey } from '@influenceflow/kit';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  AuditEntryError,
  AuditEntryInput,
  AuditEntryView,
  ChainExpectations,
  ChainVerification,
  auditContractId,
  entryHash,
  normalizeEntry,
  verifyChain,
} from './audit-chain';
import { AuditEntry, AuditHead } from './audit-entry.entity';

export type { AuditAction, AuditEntryInput, AuditEntryView, ChainVerification } from './audit-chain';

/** Where a contract's trail ends: the last sequence (0 before the first entry) and its hash. */
export interface TrailHead {
  sequence: number;
  headHash: string | null;
}

function view(row: AuditEntry): AuditEntryView {
  return {
    contractId: row.contractId,
    sequence: row.sequence,
    action: row.action as AuditEntryView['action'],
    actor: row.actor,
    actorRole: row.actorRole,
    at: row.at,
    details: row.details,
    previousHash: row.previousHash,
    hash: row.hash,
  };
}

/**
 * The audit trails of contracts, one hash chain each, in the contracts database (`audit_entries`, with
 * `audit_heads` holding each trail's head). Appends are serialised per contract by a lock on its head
 * row, so sequences never fork; the database refuses to change or delete an entry, and `verify` finds
 * any change made while that protection was switched off.
 */
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends inside the caller's transaction; serialises appends per contract (a row lock) so sequences never
   * fork. The lock is held until the caller's transaction ends: append last, just before committing.
   */
  async append(manager: EntityManager, contractId: string, entry: AuditEntryInput): Promise<AuditEntryView> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new AuditEntryError('AuditTrail.append needs a transaction (use appendAlone outside one)');
    }
    const id = auditContractId(contractId);
    const normalized = normalizeEntry(entry);
    await manager.query(
      `INSERT INTO audit_heads (contract_id, sequence, head_hash) VALUES ($1, 0, NULL) ON CONFLICT (contract_id) DO NOTHING`,
      [id],
    );
    const [head] = (await manager.query(`SELECT sequence, head_hash FROM audit_heads WHERE contract_id = $1 FOR UPDATE`, [id])) as {
      sequence: number;
      head_hash: string | null;
    }[];
    const sequence = head.sequence + 1;
    const previousHash = head.head_hash;
    const hash = entryHash(id, sequence, previousHash, normalized);
    await manager.query(
      `INSERT INTO audit_entries (contract_id, sequence, action, actor, actor_role, at, details, previous_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [
        id,
        sequence,
        normalized.action,
        normalized.actor,
        normalized.actorRole,
        normalized.at,
        JSON.stringify(normalized.details),
        previousHash,
        hash,
      ],
    );
    return { contractId: id, sequence, previousHash, hash, ...normalized };
  }

  /** Appends in a transaction of its own (for refused attempts, after the caller's transaction rolled back). */
  appendAlone(contractId: string, entry: AuditEntryInput): Promise<AuditEntryView> {
    return this.dataSource.transaction((tx) => this.append(tx, contractId, entry));
  }

  /** The contract's entries by sequence (empty when it has none). */
  async list(contractId: string, manager?: EntityManager): Promise<AuditEntryView[]> {
    const id = auditContractId(contractId);
    const rows = await (manager ?? this.dataSource.manager).find(AuditEntry, { where: { contractId: id }, order: { sequence: 'ASC' } });
    return rows.map(view);
  }

  /** The entries of several contracts in one query: each contract's by sequence (empty when it has none), in the order asked. */
  async listMany(contractIds: readonly string[], manager?: EntityManager): Promise<AuditEntryView[][]> {
    const ids = contractIds.map(auditContractId);
    const rows = await (manager ?? this.dataSource.manager).find(AuditEntry, {
      where: { contractId: In([...new Set(ids)]) },
      order: { contractId: 'ASC', sequence: 'ASC' },
    });
    return groupByKey(ids, rows.map(view), (e) => e.contractId);
  }

  /** The heads of several contracts' trails in one query, in the order asked (null where a contract has none). */
  async headsOf(contractIds: readonly string[], manager?: EntityManager): Promise<(TrailHead | null)[]> {
    const ids = contractIds.map(auditContractId);
    const rows = await (manager ?? this.dataSource.manager).find(AuditHead, { where: { contractId: In([...new Set(ids)]) } });
    return alignByKey(ids, rows, (h) => h.contractId).map((h) => h && { sequence: h.sequence, headHash: h.headHash });
  }

  /** Verifies a contract's entries, already read, against its head: what `verify` does once it has read them. */
  check(entries: readonly AuditEntryView[], head: TrailHead | null, expect: Pick<ChainExpectations, 'anchorHash'> = {}): ChainVerification {
    return verifyChain(entries, { expectedEntries: head?.sequence ?? 0, expectedHeadHash: head?.headHash ?? null, ...expect });
  }

  /**
   * Verifies the contract's chain, and that it ends where its head says (nothing cut off the end).
   * `expect.anchorHash`: a hash kept outside the database (a certificate's `auditHeadHash`) the chain must hold.
   */
  async verify(
    contractId: string,
    manager?: EntityManager,
    expect: Pick<ChainExpectations, 'anchorHash'> = {},
  ): Promise<ChainVerification> {
    const m = manager ?? this.dataSource.manager;
    const id = auditContractId(contractId);
    const [entries, head] = await Promise.all([this.list(id, m), m.findOne(AuditHead, { where: { contractId: id } })]);
    return this.check(entries, head, expect);
  }
}
