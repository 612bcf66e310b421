import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of contracts (a hash chain per contract, append-only) and the keys certificates of
 * completion are signed with. The database guards what it can: entries are never updated or deleted, an
 * entry must continue its contract's chain (next sequence, previous hash = the head), and the head moves
 * only with an appended entry. Someone who owns the tables can switch that off; the hashes still show it.
 */
export class AuditTrailAndSigningKeys1766400000000 implements MigrationInterface {
  name = 'AuditTrailAndSigningKeys1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_heads (
        contract_id uuid PRIMARY KEY,
        sequence integer NOT NULL CHECK (sequence >= 0),
        head_hash text CHECK (head_hash ~ '^[0-9a-f]{64}$'),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT audit_heads_empty_check CHECK ((sequence = 0) = (head_hash IS NULL))
      )`);
    await q.query(`
      CREATE TABLE audit_entries (
        contract_id uuid NOT NULL REFERENCES audit_heads (contract_id),
        sequence integer NOT NULL CHECK (sequence >= 1),
        action text NOT NULL CHECK (action ~ '^[a-z_]{1,40}$'),
        actor text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
        actor_role text NOT NULL CHECK (actor_role IN ('brand', 'creator', 'admin', 'system', 'public')),
        at timestamptz(3) NOT NULL,
        details jsonb NOT NULL CHECK (jsonb_typeof(details) = 'object'),
        previous_hash text CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        recorded_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (contract_id, sequence),
        CONSTRAINT audit_entries_first_check CHECK ((sequence = 1) = (previous_hash IS NULL))
      )`);

    await q.query(`
      CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`);

    // An entry continues its contract's chain, and moves the head with it (in the same statement).
    await q.query(`
      CREATE FUNCTION audit_entries_continue_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        head audit_heads%ROWTYPE;
      BEGIN
        SELECT * INTO head FROM audit_heads WHERE contract_id = NEW.contract_id FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'an audit entry needs its trail''s head' USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.sequence <> head.sequence + 1 OR NEW.previous_hash IS DISTINCT FROM head.head_hash THEN
          RAISE EXCEPTION 'the audit entry does not continue its trail' USING ERRCODE = 'restrict_violation';
        END IF;
        UPDATE audit_heads SET sequence = NEW.sequence, head_hash = NEW.hash, updated_at = now()
          WHERE contract_id = NEW.contract_id;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_entries_continue_chain BEFORE INSERT ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_entries_continue_chain()`);

    // A head starts empty and moves only from the trigger above (a nested trigger), one entry at a time.
    await q.query(`
      CREATE FUNCTION audit_heads_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.sequence <> 0 OR NEW.head_hash IS NOT NULL THEN
            RAISE EXCEPTION 'an audit trail starts empty' USING ERRCODE = 'restrict_violation';
          END IF;
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 AND NEW.contract_id = OLD.contract_id
           AND NEW.sequence = OLD.sequence + 1 THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit heads move only with an appended entry: % refused', TG_OP USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_heads_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_heads
        FOR EACH ROW EXECUTE FUNCTION audit_heads_guard()`);
    await q.query(`
      CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_heads
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`);

    await q.query(`
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY CHECK (length(kid) BETWEEN 1 AND 200),
        alg text NOT NULL CHECK (alg IN ('ES256', 'EdDSA')),
        public_jwk jsonb NOT NULL CHECK (jsonb_typeof(public_jwk) = 'object' AND NOT public_jwk ? 'd'),
        private_jwk jsonb CHECK (jsonb_typeof(private_jwk) = 'object' AND private_jwk ? 'd'),
        source text NOT NULL CHECK (source IN ('generated', 'configured')),
        status text NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        retired_at timestamptz(3),
        revoked_at timestamptz(3),
        CONSTRAINT signing_keys_private_check CHECK ((source = 'generated') = (private_jwk IS NOT NULL)),
        CONSTRAINT signing_keys_revoked_check CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE status = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE signing_keys`);
    await q.query(`DROP TABLE audit_entries`);
    await q.query(`DROP TABLE audit_heads`);
    await q.query(`DROP FUNCTION audit_heads_guard()`);
    await q.query(`DROP FUNCTION audit_entries_continue_chain()`);
    await q.query(`DROP FUNCTION audit_entries_append_only()`);
  }
}
