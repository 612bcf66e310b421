import { MigrationInterface, QueryRunner } from 'typeorm';

/** Connected shops (their sealed webhook secrets) and the webhook deliveries already taken in (docs/shops.md). */
export class Shops1767710000000 implements MigrationInterface {
  name = 'Shops1767710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shops (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL,
        platform text NOT NULL CHECK (platform IN ('shopify')),
        domain text NOT NULL CHECK (domain = lower(domain)),
        secret_sealed text,
        previous_secret_sealed text,
        previous_secret_expires_at timestamptz(3),
        secret_rotated_at timestamptz(3),
        disconnected_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((disconnected_at IS NULL) = (secret_sealed IS NOT NULL)),
        CHECK ((previous_secret_sealed IS NULL) = (previous_secret_expires_at IS NULL))
      )`);
    // One connection per shop at a time; a disconnected one may be connected again (by its brand: the same row).
    await q.query(`CREATE UNIQUE INDEX shops_connected_domain ON shops (platform, domain) WHERE disconnected_at IS NULL`);
    await q.query(`CREATE INDEX shops_brand ON shops (brand_id, created_at)`);
    await q.query(`
      CREATE TABLE shop_webhook_receipts (
        shop_id uuid NOT NULL REFERENCES shops (id),
        webhook_id text NOT NULL,
        topic text NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, webhook_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE shop_webhook_receipts`);
    await q.query(`DROP TABLE shops`);
  }
}
