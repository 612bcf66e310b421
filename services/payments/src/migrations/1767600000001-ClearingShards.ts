import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'FUND','ACCRUE_MILESTONE','ACCRUE_COMMISSION','ACCRUE_BONUS','ACCRUE_AD_HOC','COMMISSION_REFUND','PAYOUT_START','PAYOUT_SETTLE','PAYOUT_FAIL','PAYOUT_REVERSE','PRODUCT_VALUE','ESCROW_RETURN'`;
/** The same as CLEARING_SHARDS in ledger-rules.ts. */
const SHARDS = 8;
/** A payout's shard in SQL, as `clearingShard` in ledger-rules.ts chooses it: the last byte of its id. */
const SHARD_OF = (payoutId: string) => `(('x' || right(${payoutId}::text, 2))::bit(8)::int % ${SHARDS})`;

/**
 * A provider's clearing account split in shards (docs/payments.md, "Accounts"): `<shard>-<provider>`,
 * the shard chosen by the payout's id, so one provider's payouts stop queuing on one row. The money of
 * payouts started before (in the provider's unsharded account) moves to their shards with one
 * `CLEARING_SPLIT` transfer per provider and currency, so their settlement or failure finds it there.
 * Every check of the ledger holds through it (the move sums to zero; a shard that would go below zero
 * fails the migration instead).
 */
export class ClearingShards1767600000001 implements MigrationInterface {
  name = 'ClearingShards1767600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_kind_check,
      ADD CONSTRAINT ledger_transfers_kind_check CHECK (kind IN (${KINDS}, 'CLEARING_SPLIT'))`);
    await q.query(`
      DO $$
      DECLARE
        r record;
        t uuid;
      BEGIN
        FOR r IN SELECT id, owner_id, currency, balance FROM ledger_accounts
                  WHERE type = 'PROVIDER_CLEARING' AND owner_id ~ '^[a-z]' AND balance > 0 ORDER BY owner_id, currency LOOP
          INSERT INTO ledger_accounts (type, owner_id, currency)
          SELECT 'PROVIDER_CLEARING', s || '-' || r.owner_id, r.currency FROM generate_series(0, ${SHARDS - 1}) AS s
          ON CONFLICT DO NOTHING;
          t := gen_random_uuid();
          INSERT INTO ledger_transfers (id, key, kind, currency, amount, request_hash, provider)
          VALUES (t, 'clearing-split:' || r.owner_id || ':' || r.currency, 'CLEARING_SPLIT', r.currency, r.balance, 'migration', r.owner_id);
          INSERT INTO ledger_entries (transfer_id, account_id, currency, amount)
          SELECT t, r.id, r.currency, -r.balance
          UNION ALL
          SELECT t, a.id, r.currency, x.amount
            FROM (SELECT ${SHARD_OF('tr.payout_id')} AS shard, sum(e.amount) AS amount
                    FROM ledger_entries e JOIN ledger_transfers tr ON tr.id = e.transfer_id
                   WHERE e.account_id = r.id AND e.transfer_id <> t
                   GROUP BY 1 HAVING sum(e.amount) <> 0) AS x
            JOIN ledger_accounts a ON a.type = 'PROVIDER_CLEARING' AND a.owner_id = x.shard || '-' || r.owner_id AND a.currency = r.currency;
        END LOOP;
      END $$`);
  }

  async down(): Promise<void> {
    // The ledger is append-only: the split stays posted (the shards keep their money).
    throw new Error('ClearingShards1767600000001 cannot be reverted: the ledger is append-only');
  }
}
