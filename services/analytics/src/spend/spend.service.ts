import type { EntityManager } from 'typeorm';
import type { SpendAccruedData } from '@influenceflow/vocabulary';
import { change, spendContribution, SpendFact } from '../rollups/contributions';
import { addToDays } from '../rollups/rollup-store';

/** One part of a campaign's spend: a ledger accrual, or the declared value of a product given. */
export interface SpendEntry {
  /** The ledger transfer, or `product:<partnership id>` (one product value per partnership, its latest contract's). */
  key: string;
  campaignId: string;
  partnershipId: string;
  kind: string;
  /** Signed: a refunded order's commission lowers the spend. */
  amountMinor: number;
  currency: string;
  at: Date;
  /** The contract version a product value comes from: a higher one replaces a lower, never the reverse. */
  version: number;
}

/**
 * Spend as docs/metrics.md defines it: flat fees, commissions and bonuses once accrued (paid or pending),
 * from payments' `spend.accrued`, plus the declared value of products given, from `contract.executed`.
 */
export class SpendService {
  /** spend.accrued: an accrual adds to the spend; COMMISSION_REFUND takes its amount off. */
  accrual(d: SpendAccruedData): SpendEntry {
    return {
      key: d.transferId,
      campaignId: d.campaignId,
      partnershipId: d.partnershipId,
      kind: d.kind,
      amountMinor: d.kind === 'COMMISSION_REFUND' ? -d.amount.amountMinor : d.amount.amountMinor,
      currency: d.amount.currency,
      at: new Date(d.accruedAt),
      version: 1,
    };
  }

  async record(tx: EntityManager, e: SpendEntry): Promise<void> {
    const after = spendContribution({ partnershipId: e.partnershipId, amountMinor: e.amountMinor, at: e.at });
    // the first writer of an entry inserts it; any other waits on its row (a missing row locks nothing)
    const inserted = (await tx.query(
      `INSERT INTO spend_entries (entry_key, campaign_id, partnership_id, kind, amount_minor, currency, at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (entry_key) DO NOTHING RETURNING entry_key`,
      [e.key, e.campaignId, e.partnershipId, e.kind, e.amountMinor, e.currency, e.at, e.version],
    )) as unknown[];
    if (inserted.length > 0) return addToDays(tx, after);
    const [current] = (await tx.query(
      `SELECT partnership_id, amount_minor, at, version FROM spend_entries WHERE entry_key = $1 FOR UPDATE`,
      [e.key],
    )) as { partnership_id: string; amount_minor: string; at: Date; version: number }[];
    if (current.version >= e.version) return; // seen, or an older contract version arriving late
    await tx.query(`UPDATE spend_entries SET amount_minor = $2, currency = $3, at = $4, version = $5 WHERE entry_key = $1`, [
      e.key,
      e.amountMinor,
      e.currency,
      e.at,
      e.version,
    ]);
    const before: SpendFact = { partnershipId: current.partnership_id, amountMinor: Number(current.amount_minor), at: current.at };
    await addToDays(tx, change(spendContribution(before), after));
  }
}
