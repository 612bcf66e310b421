import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764100000000 implements MigrationInterface {
  name = 'Initial1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign_facts (
        campaign_id uuid PRIMARY KEY,
        brand_id uuid NOT NULL,
        name text NOT NULL,
        status text NOT NULL,
        goal_type text NOT NULL,
        goal_target double precision NOT NULL,
        currency char(3) NOT NULL,
        launched_at timestamptz,
        status_changes integer NOT NULL DEFAULT 0 CHECK (status_changes >= 0),
        last_event_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX campaign_facts_brand ON campaign_facts (brand_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE campaign_facts`);
  }
}
