import { MigrationInterface, QueryRunner } from 'typeorm';

/** Payouts, their attempts, the API's idempotency keys and the partnerships payouts may pay (docs/payments.md, "Payouts"; payout_partnerships was dropped by 1767500000000). */
export class Payouts1767200000000 implements MigrationInterface {
  name = 'Payouts1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payout_partnerships (
        partnership_id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE payouts (
        id uuid PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        fingerprint text NOT NULL,
        partnership_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        reason text NOT NULL CHECK (reason IN ('MILESTONE','COMMISSION','BONUS','AD_HOC')),
        reference text,
        provider text NOT NULL CHECK (provider IN ('manual','simulated')),
        status text NOT NULL CHECK (status IN ('PENDING','SUCCEEDED','FAILED','REVERSED')),
        attempt_count int NOT NULL CHECK (attempt_count >= 1),
        next_retry_at timestamptz,
        failure_reason text,
        final_failure boolean NOT NULL DEFAULT false,
        succeeded_at timestamptz,
        reversed_at timestamptz,
        reversal_reason text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (next_retry_at IS NULL OR status = 'FAILED'),
        CHECK (NOT final_failure OR (status <> 'PENDING' AND next_retry_at IS NULL))
      )`);
    await q.query(`CREATE INDEX payouts_partnership ON payouts (partnership_id, created_at DESC)`);
    await q.query(`CREATE INDEX payouts_creator ON payouts (creator_id, created_at DESC)`);
    await q.query(`CREATE INDEX payouts_brand ON payouts (brand_id, created_at DESC)`);
    await q.query(`CREATE INDEX payouts_retry_due ON payouts (next_retry_at) WHERE status = 'FAILED' AND next_retry_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE payout_attempts (
        id uuid PRIMARY KEY,
        payout_id uuid NOT NULL REFERENCES payouts (id),
        number int NOT NULL CHECK (number >= 1),
        status text NOT NULL CHECK (status IN ('QUEUED','SENDING','AWAITING_CONFIRMATION','SUCCEEDED','FAILED')),
        provider text NOT NULL,
        provider_key text NOT NULL UNIQUE,
        provider_ref text,
        failure_reason text,
        retryable boolean,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        sent_at timestamptz,
        finished_at timestamptz,
        UNIQUE (payout_id, number),
        CHECK (status = 'QUEUED' OR sent_at IS NOT NULL)
      )`);
    // At most one attempt of a payout is open at a time: a retry starts only after the last one ended.
    await q.query(
      `CREATE UNIQUE INDEX payout_attempts_one_open ON payout_attempts (payout_id) WHERE status IN ('QUEUED','SENDING','AWAITING_CONFIRMATION')`,
    );
    await q.query(`CREATE INDEX payout_attempts_queued ON payout_attempts (created_at) WHERE status = 'QUEUED'`);
    await q.query(`CREATE INDEX payout_attempts_sending ON payout_attempts (sent_at) WHERE status = 'SENDING'`);
    await q.query(`
      CREATE TABLE payout_idempotency_keys (
        id uuid PRIMARY KEY,
        scope text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        fingerprint text NOT NULL,
        payout_id uuid REFERENCES payouts (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        UNIQUE (scope, key),
        CHECK (expires_at >= created_at + interval '24 hours')
      )`);
    await q.query(`CREATE INDEX payout_idempotency_keys_expiry ON payout_idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payout_idempotency_keys`);
    await q.query(`DROP TABLE payout_attempts`);
    await q.query(`DROP TABLE payouts`);
    await q.query(`DROP TABLE payout_partnerships`);
  }
}
