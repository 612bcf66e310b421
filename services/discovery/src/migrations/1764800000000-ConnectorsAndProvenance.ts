import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where an account's figures come from (`provenance`, `fetched_at`), and the platform connections through
 * which they are fetched: one per creator and platform, its tokens encrypted (the kit's SecretCipher),
 * and the single-use OAuth states of connections under way. Accounts stored before this are marked
 * self-reported: which of them an import wrote is not known, and self-reported is the least trusted.
 */
export class ConnectorsAndProvenance1764800000000 implements MigrationInterface {
  name = 'ConnectorsAndProvenance1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE platform_accounts
        ADD COLUMN provenance text NOT NULL DEFAULT 'self_reported' CHECK (provenance IN ('self_reported', 'imported', 'fetched')),
        ADD COLUMN fetched_at timestamptz(3),
        ADD CONSTRAINT platform_accounts_fetched_at CHECK ((provenance = 'fetched') = (fetched_at IS NOT NULL))`);
    await q.query(`
      CREATE TABLE platform_connections (
        id uuid PRIMARY KEY,
        creator_id uuid NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
        platform text NOT NULL,
        account_id uuid NOT NULL REFERENCES platform_accounts (id) ON DELETE CASCADE,
        external_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'needs_reconnect')),
        access_token text,
        refresh_token text,
        access_expires_at timestamptz(3),
        next_fetch_at timestamptz(3) NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        last_error text,
        last_fetched_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (creator_id, platform),
        UNIQUE (platform, external_id)
      )`);
    await q.query(`CREATE INDEX platform_connections_due ON platform_connections (next_fetch_at) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE connection_states (
        state_hash text PRIMARY KEY,
        creator_id uuid NOT NULL,
        platform text NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX connection_states_expiry ON connection_states (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connection_states`);
    await q.query(`DROP TABLE platform_connections`);
    await q.query(
      `ALTER TABLE platform_accounts DROP CONSTRAINT platform_accounts_fetched_at, DROP COLUMN fetched_at, DROP COLUMN provenance`,
    );
  }
}
