import type { EntityManager } from 'typeorm';
import type { SpendAccruedData } from '@influenceflow/vocabulary';
import { change, currencyExclusionSql, EXCLUDED_OTHER_CURRENCY, spendContribution, SpendFact } from '../rollups/contributions';
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

  /**
   * Stores an entry once (a later contract version replaces a product value) and counts it, unless its
   * currency is not its campaign's: then it is kept, with `excluded = CURRENCY_MISMATCH`, and left out of
   * the figures, as an order in another currency is (amounts of two currencies do not add up). A campaign
   * analytics has not heard of yet has no currency to compare with: its entries count.
   */
  async record(tx: EntityManager, e: SpendEntry): Promise<void> {
    await lockCampaignSpend(tx, e.campaignId);
    // the first writer of an entry inserts it; any other waits on its row (a missing row locks nothing)
    const inserted = (await tx.query(
      `INSERT INTO spend_entries (entry_key, campaign_id, partnership_id, kind, amount_minor, currency, at, version, excluded)
       SELECT $1::text, $2::uuid, $3::uuid, $4::text, $5::bigint, $6::text, $7::timestamptz, $8::int, ${currencyExclusionSql('c.currency', '$6::text', '$9::text')}
         FROM (SELECT 1) one LEFT JOIN campaign_facts c ON c.campaign_id = $2
       ON CONFLICT (entry_key) DO NOTHING RETURNING excluded`,
      [e.key, e.campaignId, e.partnershipId, e.kind, e.amountMinor, e.currency, e.at, e.version, EXCLUDED_OTHER_CURRENCY],
    )) as { excluded: string | null }[];
    if (inserted.length > 0) return addToDays(tx, spendContribution(factOf(e, inserted[0].excluded)));
    const [current] = (await tx.query(
      `SELECT partnership_id, amount_minor, at, version, excluded FROM spend_entries WHERE entry_key = $1 FOR UPDATE`,
      [e.key],
    )) as { partnership_id: string; amount_minor: string; at: Date; version: number; excluded: string | null }[];
    if (current.version >= e.version) return; // seen, or an older contract version arriving late
    const [[updated]] = (await tx.query(
      `UPDATE spend_entries s SET amount_minor = $2, currency = $3::text, at = $4, version = $5, excluded = ${currencyExclusionSql('c.currency', '$3::text', '$7::text')}
         FROM (SELECT 1) one LEFT JOIN campaign_facts c ON c.campaign_id = $6
        WHERE s.entry_key = $1 RETURNING s.excluded`,
      [e.key, e.amountMinor, e.currency, e.at, e.version, e.campaignId, EXCLUDED_OTHER_CURRENCY],
    )) as [{ excluded: string | null }[], number];
    const before: SpendFact = {
      partnershipId: current.partnership_id,
      amountMinor: Number(current.amount_minor),
      at: current.at,
      excluded: current.excluded,
    };
    await addToDays(tx, change(spendContribution(before), spendContribution(factOf(e, updated.excluded))));
  }

  /**
   * The campaign's currency is known, or changed: its entries in another currency are left out, the others
   * counted (an entry may have arrived before its campaign: payments' and campaign's events are on
   * different topics).
   */
  async weighCurrency(tx: EntityManager, campaignId: string, currency: string): Promise<void> {
    await lockCampaignSpend(tx, campaignId);
    const [changed] = (await tx.query(
      `UPDATE spend_entries SET excluded = ${WEIGHED}
        WHERE campaign_id = $1 AND excluded IS DISTINCT FROM ${WEIGHED}
        RETURNING partnership_id, amount_minor, at, excluded`,
      [campaignId, currency, EXCLUDED_OTHER_CURRENCY],
    )) as [{ partnership_id: string; amount_minor: string; at: Date; excluded: string | null }[], number];
    for (const row of changed) {
      const now: SpendFact = {
        partnershipId: row.partnership_id,
        amountMinor: Number(row.amount_minor),
        at: row.at,
        excluded: row.excluded,
      };
      const before: SpendFact = { ...now, excluded: row.excluded ? null : EXCLUDED_OTHER_CURRENCY };
      await addToDays(tx, change(spendContribution(before), spendContribution(now)));
    }
  }
}

/**
 * Entries of a campaign are recorded and weighed one transaction at a time: otherwise an entry stored as
 * its campaign arrives would be weighed by neither (each transaction blind to the other's rows).
 */
async function lockCampaignSpend(tx: EntityManager, campaignId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('analytics.spend:' || $1::text, 0))`, [campaignId]);
}

/** An entry's exclusion against its campaign's currency, given as $2 (the reason: $3). */
const WEIGHED = currencyExclusionSql('$2::text', 'currency', '$3::text');

function factOf(e: SpendEntry, excluded: string | null): SpendFact {
  return { partnershipId: e.partnershipId, amountMinor: e.amountMinor, at: e.at, excluded };
}
