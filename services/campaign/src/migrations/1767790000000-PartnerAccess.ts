import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner platforms (OAuth 2.0 clients of the client credentials grant: a public client id and the
 * SHA-256 of their secrets, never the secrets) and the brands' grants to them (docs/partners.md). A
 * brand has at most one live grant per client; a revoked grant stays as a record of who revoked it.
 */
export class PartnerAccess1767790000000 implements MigrationInterface {
  name = 'PartnerAccess1767790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_clients (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        client_id text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        previous_secret_hash text,
        previous_secret_expires_at timestamptz(3),
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        disabled_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX partner_clients_created ON partner_clients (created_at, id)`);
    await q.query(`
      CREATE TABLE partner_grants (
        id uuid PRIMARY KEY,
        partner_client_id uuid NOT NULL REFERENCES partner_clients(id),
        brand_id uuid NOT NULL REFERENCES brands(id),
        event_types text[] NOT NULL,
        granted_by text NOT NULL,
        granted_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_by text,
        revoked_at timestamptz(3),
        CHECK (cardinality(event_types) > 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX partner_grants_live ON partner_grants (partner_client_id, brand_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX partner_grants_brand ON partner_grants (brand_id, granted_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE partner_grants`);
    await q.query(`DROP TABLE partner_clients`);
  }
}
