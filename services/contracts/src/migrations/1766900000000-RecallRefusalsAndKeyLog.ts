import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recalled contracts keep their voided signatures (one current signature per party, any number of void
 * ones); refused signing attempts are counted per contract and signer across replicas (the rate limit);
 * the certificate keys' operations are logged; a PDF never comes without its SHA-256.
 */
export class RecallRefusalsAndKeyLog1766900000000 implements MigrationInterface {
  name = 'RecallRefusalsAndKeyLog1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contract_signatures ADD COLUMN voided_at timestamptz(3), ADD COLUMN void_reason text`);
    await q.query(`ALTER TABLE contract_signatures DROP CONSTRAINT contract_signatures_contract_id_role_key`);
    await q.query(`CREATE UNIQUE INDEX contract_signatures_current ON contract_signatures (contract_id, role) WHERE voided_at IS NULL`);
    await q.query(
      `ALTER TABLE contract_signatures ADD CONSTRAINT contract_signatures_void_check CHECK ((voided_at IS NULL) = (void_reason IS NULL))`,
    );
    await q.query(`ALTER TABLE contracts ADD CONSTRAINT contracts_pdf_sha256_check CHECK ((pdf IS NULL) = (pdf_sha256 IS NULL))`);
    await q.query(`
      CREATE TABLE sign_refusal_windows (
        contract_id uuid NOT NULL REFERENCES contracts (id),
        subject text NOT NULL,
        window_started_at timestamptz(3) NOT NULL,
        recorded integer NOT NULL CHECK (recorded >= 0),
        suppressed integer NOT NULL DEFAULT 0 CHECK (suppressed >= 0),
        first_suppressed_at timestamptz(3),
        last_suppressed_at timestamptz(3),
        PRIMARY KEY (contract_id, subject)
      )`);
    await q.query(`
      CREATE TABLE signing_key_events (
        id bigserial PRIMARY KEY,
        kid text NOT NULL,
        action text NOT NULL CHECK (action IN ('generated', 'configured', 'retired', 'revoked')),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
        actor text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX signing_key_events_kid ON signing_key_events (kid, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE signing_key_events`);
    await q.query(`DROP TABLE sign_refusal_windows`);
    await q.query(`ALTER TABLE contracts DROP CONSTRAINT contracts_pdf_sha256_check`);
    await q.query(`ALTER TABLE contract_signatures DROP CONSTRAINT contract_signatures_void_check`);
    await q.query(`DROP INDEX contract_signatures_current`);
    await q.query(`ALTER TABLE contract_signatures ADD CONSTRAINT contract_signatures_contract_id_role_key UNIQUE (contract_id, role)`);
    await q.query(`ALTER TABLE contract_signatures DROP COLUMN void_reason, DROP COLUMN voided_at`);
  }
}
