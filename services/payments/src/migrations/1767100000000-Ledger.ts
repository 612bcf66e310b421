import { MigrationInterface, QueryRunner } from 'typeorm';

const ACCOUNT_TYPES = `'BRAND_FUNDING','CAMPAIGN_ESCROW','CREATOR_PAYABLE','PROVIDER_CLEARING','CREATOR_PAID','PLATFORM_FEE','PRODUCT_VALUE_MEMO','PRODUCT_VALUE_GIVEN'`;
// The same list as PROTECTED_ACCOUNT_TYPES in ledger-rules.ts (ledger-database.test.ts checks both agree).
const PROTECTED = `'CAMPAIGN_ESCROW','CREATOR_PAYABLE','PROVIDER_CLEARING','CREATOR_PAID','PLATFORM_FEE','PRODUCT_VALUE_MEMO'`;
const KINDS = `'FUND','ACCRUE_MILESTONE','ACCRUE_COMMISSION','ACCRUE_BONUS','ACCRUE_AD_HOC','COMMISSION_REFUND','PAYOUT_START','PAYOUT_SETTLE','PAYOUT_FAIL','PAYOUT_REVERSE','PRODUCT_VALUE','ESCROW_RETURN'`;

/**
 * The double-entry ledger (docs/payments.md, "Ledger"). The database holds every invariant on its own,
 * whatever code writes to it: entries of a transfer sum to zero (checked at commit), one currency per
 * transfer and its accounts, protected balances never below zero, balances equal to the sum of their
 * entries (maintained here, not by the code), entries and transfers append-only.
 */
export class Ledger1767100000000 implements MigrationInterface {
  name = 'Ledger1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN (${ACCOUNT_TYPES})),
        owner_id text NOT NULL CHECK (owner_id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        brand_id uuid,
        campaign_id uuid,
        partnership_id uuid,
        creator_id uuid,
        balance bigint NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT ledger_accounts_protected_not_negative CHECK (balance >= 0 OR type NOT IN (${PROTECTED})),
        CONSTRAINT ledger_accounts_owner_currency UNIQUE (type, owner_id, currency),
        CONSTRAINT ledger_accounts_id_currency UNIQUE (id, currency)
      )`);
    // A campaign's escrow and a partnership's payable hold one currency (no conversion).
    await q.query(`CREATE UNIQUE INDEX ledger_accounts_single_currency ON ledger_accounts (type, owner_id)
      WHERE type IN ('CAMPAIGN_ESCROW', 'CREATOR_PAYABLE')`);
    await q.query(`CREATE INDEX ledger_accounts_brand ON ledger_accounts (brand_id) WHERE brand_id IS NOT NULL`);
    await q.query(`CREATE INDEX ledger_accounts_campaign ON ledger_accounts (campaign_id) WHERE campaign_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE ledger_transfers (
        id uuid PRIMARY KEY,
        key text NOT NULL CHECK (key ~ '^[\\x21-\\x7e]{1,200}$'),
        kind text NOT NULL CHECK (kind IN (${KINDS})),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        amount bigint NOT NULL CHECK (amount > 0),
        fee bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
        request_hash text NOT NULL,
        brand_id uuid,
        campaign_id uuid,
        partnership_id uuid,
        creator_id uuid,
        payout_id uuid,
        provider text,
        description text CHECK (length(description) <= 500),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT ledger_transfers_key UNIQUE (key),
        CONSTRAINT ledger_transfers_id_currency UNIQUE (id, currency)
      )`);
    await q.query(`CREATE INDEX ledger_transfers_campaign ON ledger_transfers (campaign_id, kind)`);
    await q.query(`CREATE INDEX ledger_transfers_brand ON ledger_transfers (brand_id, currency, kind)`);
    await q.query(`CREATE INDEX ledger_transfers_creator ON ledger_transfers (creator_id, created_at)`);
    await q.query(`CREATE INDEX ledger_transfers_partnership ON ledger_transfers (partnership_id)`);

    // The composite foreign keys make an entry's currency its transfer's and its account's.
    await q.query(`
      CREATE TABLE ledger_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transfer_id uuid NOT NULL,
        account_id uuid NOT NULL,
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount <> 0),
        CONSTRAINT ledger_entries_transfer FOREIGN KEY (transfer_id, currency) REFERENCES ledger_transfers (id, currency),
        CONSTRAINT ledger_entries_account FOREIGN KEY (account_id, currency) REFERENCES ledger_accounts (id, currency),
        CONSTRAINT ledger_entries_one_per_account UNIQUE (transfer_id, account_id)
      )`);
    await q.query(`CREATE INDEX ledger_entries_account ON ledger_entries (account_id)`);

    // Balances follow the entries, in the same statement: the code never writes a balance.
    await q.query(`
      CREATE FUNCTION ledger_apply_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ledger_accounts a SET balance = a.balance + s.amount
          FROM (SELECT account_id, sum(amount) AS amount FROM new_entries GROUP BY account_id) s
         WHERE a.id = s.account_id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER ledger_entries_apply AFTER INSERT ON ledger_entries
      REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_entries()`);

    // A transfer's entries sum to zero and are at least two, checked at commit (entries arrive one statement at a time).
    await q.query(`
      CREATE FUNCTION ledger_assert_balanced(t uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        total numeric;
        n int;
      BEGIN
        SELECT coalesce(sum(amount), 0), count(*) INTO total, n FROM ledger_entries WHERE transfer_id = t;
        IF total <> 0 OR n < 2 THEN
          RAISE EXCEPTION 'ledger transfer % is unbalanced (% entries summing to %)', t, n, total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_transfer_balanced';
        END IF;
      END $$`);
    await q.query(`CREATE FUNCTION ledger_check_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM ledger_assert_balanced(NEW.transfer_id); RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION ledger_check_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM ledger_assert_balanced(NEW.id); RETURN NULL; END $$`);
    await q.query(`CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry()`);
    await q.query(`CREATE CONSTRAINT TRIGGER ledger_transfers_balanced AFTER INSERT ON ledger_transfers
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_transfer()`);

    // Append-only: what was posted stays posted (a mistake is corrected by another transfer).
    await q.query(`
      CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of ['ledger_entries', 'ledger_transfers']) {
      await q.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_append_only()`,
      );
      await q.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()`,
      );
    }
    // An account keeps its identity, and its balance moves only with its entries (from the trigger above).
    await q.query(`
      CREATE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION 'ledger_accounts: % refused', TG_OP USING ERRCODE = 'restrict_violation';
        END IF;
        IF (NEW.type, NEW.owner_id, NEW.currency, NEW.id) IS DISTINCT FROM (OLD.type, OLD.owner_id, OLD.currency, OLD.id) THEN
          RAISE EXCEPTION 'ledger_accounts: an account''s type, owner and currency do not change' USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.balance <> OLD.balance AND pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'ledger_accounts: a balance changes only through entries' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ledger_accounts_guard BEFORE UPDATE OR DELETE ON ledger_accounts FOR EACH ROW EXECUTE FUNCTION ledger_account_guard()`,
    );
    await q.query(
      `CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()`,
    );

    // payments's copy of the campaigns it funds (from campaign.events).
    await q.query(`
      CREATE TABLE payment_campaigns (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL,
        currency char(3) NOT NULL,
        status text NOT NULL,
        changed_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX payment_campaigns_brand ON payment_campaigns (brand_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payment_campaigns`);
    await q.query(`DROP TABLE ledger_entries`);
    await q.query(`DROP TABLE ledger_transfers`);
    await q.query(`DROP TABLE ledger_accounts`);
    for (const f of [
      'ledger_apply_entries()',
      'ledger_check_entry()',
      'ledger_check_transfer()',
      'ledger_assert_balanced(uuid)',
      'ledger_append_only()',
      'ledger_account_guard()',
    ]) {
      await q.query(`DROP FUNCTION ${f}`);
    }
  }
}
