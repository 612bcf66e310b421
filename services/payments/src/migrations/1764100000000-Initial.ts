import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764100000000 implements MigrationInterface {
  name = 'Initial1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_card_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        creator_id uuid NOT NULL,
        platform text NOT NULL CHECK (platform IN ('tiktok','instagram','youtube','linkedin','threads','discord','x','facebook','twitch')),
        format text NOT NULL CHECK (format IN ('reel','story','short','video','post','live')),
        price_minor bigint NOT NULL CHECK (price_minor >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (creator_id, platform, format)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_card_entries`);
  }
}
