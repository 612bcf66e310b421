import { MigrationInterface, QueryRunner } from 'typeorm';

/** The mutation calls a subgraph has run, by the call id the gateway signed (replays are refused). */
export class GatewayCalls1765000000000 implements MigrationInterface {
  name = 'GatewayCalls1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE gateway_calls (call_id uuid PRIMARY KEY, seen_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX gateway_calls_seen_at ON gateway_calls (seen_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gateway_calls`);
  }
}
