import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints of brands (and of partners for the brands that granted them), the durable delivery
 * queue (one row per event and endpoint, unique, so a redelivered event queues nothing twice) and the
 * delivery log (one row per attempt). docs/webhooks.md.
 */
export class Webhooks1767780000000 implements MigrationInterface {
  name = 'Webhooks1767780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brands(id),
        partner_client_id uuid,
        url text NOT NULL,
        description text,
        event_types text[] NOT NULL,
        secret_sealed text NOT NULL,
        previous_secret_sealed text,
        previous_secret_expires_at timestamptz(3),
        secret_rotated_at timestamptz(3),
        disabled_at timestamptz(3),
        disabled_reason text,
        last_success_at timestamptz(3),
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (cardinality(event_types) > 0)
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_brand ON webhook_endpoints (brand_id, created_at, id)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        event_time timestamptz(3) NOT NULL,
        body text NOT NULL,
        traceparent text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempt_count int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3),
        last_attempt_at timestamptz(3),
        succeeded_at timestamptz(3),
        last_error text,
        replays int NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (endpoint_id, event_id)
      )`);
    // What the worker claims: due pending rows, oldest first.
    await q.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempted_at timestamptz(3) NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'refused')),
        status_code int,
        latency_ms int NOT NULL,
        response_excerpt text,
        error text
      )`);
    await q.query(`CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
