import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A discount code and a tracking link for every accepted partnership. Codes are stored upper case and
 * unique per brand (so unique case-insensitively); link slugs are unique everywhere. Campaigns may name
 * their own landing page (else the brand's website).
 */
export class Tracking1764400000000 implements MigrationInterface {
  name = 'Tracking1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN landing_url text`);
    await q.query(`
      ALTER TABLE partnerships
        ADD COLUMN discount_code text CHECK (discount_code ~ '^[A-Z0-9]{3,20}$'),
        ADD COLUMN link_slug text CHECK (link_slug ~ '^[A-Za-z0-9_-]{4,64}$'),
        ADD COLUMN link_target text`);
    await q.query(`CREATE UNIQUE INDEX partnerships_brand_code ON partnerships (brand_id, discount_code)`);
    await q.query(
      `CREATE UNIQUE INDEX partnerships_link_slug ON partnerships (link_slug) INCLUDE (link_target, id, campaign_id, brand_id, creator_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX partnerships_link_slug`);
    await q.query(`DROP INDEX partnerships_brand_code`);
    await q.query(`ALTER TABLE partnerships DROP COLUMN link_target, DROP COLUMN link_slug, DROP COLUMN discount_code`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN landing_url`);
  }
}
