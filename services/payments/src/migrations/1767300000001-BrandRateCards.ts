import { MigrationInterface, QueryRunner } from 'typeorm';

/** A brand's standard pricing: its own rate card for offers, per platform and format, with validity dates. */
export class BrandRateCards1767300000001 implements MigrationInterface {
  name = 'BrandRateCards1767300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE brand_rate_card_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL,
        platform text NOT NULL CHECK (platform IN ('tiktok','instagram','youtube','linkedin','threads','discord','x','facebook','twitch')),
        format text NOT NULL CHECK (format IN ('reel','story','short','video','post','live')),
        price_minor bigint NOT NULL CHECK (price_minor >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        valid_from date NOT NULL,
        valid_until date,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (valid_until IS NULL OR valid_until >= valid_from),
        UNIQUE (brand_id, platform, format, valid_from)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE brand_rate_card_entries`);
  }
}
