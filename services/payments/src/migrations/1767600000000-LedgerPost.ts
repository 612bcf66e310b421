import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A posting in one round trip (docs/payments.md, "Ledger", "Benchmark"): `ledger_post` takes the
 * posting's advisory locks in one sorted order, locks and reads its accounts, and — only when every
 * account exists in the transfer's currency, belongs to the posting's parties and no protected one would
 * go below zero — writes the transfer (`ON CONFLICT (key) DO NOTHING`) and its entries. It returns
 * `posted` and nothing else when it wrote them; otherwise nothing is written and it returns the locked
 * accounts, from which the code finds why (its refusals, a replay, an account to open) exactly as before.
 * The tables' own checks (sum to zero at commit, balances by trigger, CHECK balance >= 0, composite foreign
 * keys, append-only) are unchanged: they hold whatever calls this.
 */
export class LedgerPost1767600000000 implements MigrationInterface {
  name = 'LedgerPost1767600000000';

  async up(q: QueryRunner): Promise<void> {
    // The ledger's advisory locks, by key (an account's type and owner), taken in one sorted order; the
    // seed keeps them apart from other advisory locks. Every posting takes its locks through this.
    // (plpgsql, not sql: its statement is planned once per connection, not at every call.)
    await q.query(`
      CREATE FUNCTION ledger_lock(p_keys text[]) RETURNS bigint LANGUAGE plpgsql AS $$
      BEGIN
        RETURN (SELECT count(pg_advisory_xact_lock(h))
                  FROM (SELECT DISTINCT hashtextextended(k, 142026) AS h FROM unnest(p_keys) AS k ORDER BY 1) AS ordered);
      END $$`);
    await q.query(`
      CREATE FUNCTION ledger_post(
        p_lock_keys text[],
        p_types text[],
        p_owners text[],
        p_amounts bigint[],
        p_brands uuid[],
        p_campaigns uuid[],
        p_creators uuid[],
        p_single_currency text[],
        p_protected text[],
        p_id uuid,
        p_key text,
        p_kind text,
        p_currency text,
        p_amount bigint,
        p_fee bigint,
        p_hash text,
        p_brand_id uuid,
        p_campaign_id uuid,
        p_partnership_id uuid,
        p_creator_id uuid,
        p_payout_id uuid,
        p_provider text,
        p_description text
      ) RETURNS TABLE (posted boolean, id uuid, type text, owner_id text, currency text, balance bigint,
                       brand_id uuid, campaign_id uuid, creator_id uuid)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        locked ledger_accounts[];
        ok boolean;
      BEGIN
        PERFORM ledger_lock(p_lock_keys);
        -- Then the rows, locked (FOR UPDATE reads their latest balances), in one order.
        SELECT array_agg(a) INTO locked
          FROM (SELECT * FROM ledger_accounts
                 WHERE (type, owner_id) IN (SELECT * FROM unnest(p_types, p_owners))
                   AND (currency = p_currency OR type = ANY(p_single_currency))
                 ORDER BY id FOR UPDATE) AS a;
        SELECT count(*) = cardinality(p_types)
               AND coalesce(bool_and(
                     a.currency = p_currency
                     AND (w.brand IS NULL OR a.brand_id IS NULL OR w.brand = a.brand_id)
                     AND (w.campaign IS NULL OR a.campaign_id IS NULL OR w.campaign = a.campaign_id)
                     AND (w.creator IS NULL OR a.creator_id IS NULL OR w.creator = a.creator_id)
                     AND NOT (w.amount < 0 AND a.type = ANY(p_protected) AND a.balance + w.amount < 0)
                     -- beyond 2^53 − 1 a balance is no longer read back exactly: the code refuses it (tooLarge)
                     AND abs(a.balance + w.amount) <= 9007199254740991), false)
          INTO ok
          FROM unnest(p_types, p_owners, p_amounts, p_brands, p_campaigns, p_creators) AS w(type, owner, amount, brand, campaign, creator)
          JOIN unnest(locked) AS a ON a.type = w.type AND a.owner_id = w.owner;
        IF ok THEN
          INSERT INTO ledger_transfers (id, key, kind, currency, amount, fee, request_hash, brand_id, campaign_id,
                                        partnership_id, creator_id, payout_id, provider, description)
          VALUES (p_id, p_key, p_kind, p_currency, p_amount, p_fee, p_hash, p_brand_id, p_campaign_id,
                  p_partnership_id, p_creator_id, p_payout_id, p_provider, p_description)
          ON CONFLICT (key) DO NOTHING;
          IF FOUND THEN
            INSERT INTO ledger_entries (transfer_id, account_id, currency, amount)
            SELECT p_id, a.id, p_currency, w.amount
              FROM unnest(p_types, p_owners, p_amounts) WITH ORDINALITY AS w(type, owner, amount, n)
              JOIN unnest(locked) AS a ON a.type = w.type AND a.owner_id = w.owner
             ORDER BY w.n;
            RETURN QUERY SELECT true, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::uuid, NULL::uuid, NULL::uuid;
            RETURN;
          END IF;
        END IF;
        RETURN QUERY SELECT false, a.id, a.type, a.owner_id, a.currency::text, a.balance, a.brand_id, a.campaign_id, a.creator_id
                       FROM unnest(locked) AS a ORDER BY a.id;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION ledger_post(text[], text[], text[], bigint[], uuid[], uuid[], uuid[], text[], text[], uuid, text, text, text, bigint, bigint, text, uuid, uuid, uuid, uuid, uuid, text, text)`,
    );
    await q.query(`DROP FUNCTION ledger_lock(text[])`);
  }
}
