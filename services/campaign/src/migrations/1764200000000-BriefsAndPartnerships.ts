import { MigrationInterface, QueryRunner } from 'typeorm';

/** Campaign platforms and target audience, versioned briefs, partnerships and the creators copy. */
export class BriefsAndPartnerships1764200000000 implements MigrationInterface {
  name = 'BriefsAndPartnerships1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE campaigns
        ADD COLUMN platforms text[] NOT NULL DEFAULT '{}',
        ADD COLUMN target_audience jsonb`);
    await q.query(`
      CREATE TABLE campaign_briefs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        version integer NOT NULL CHECK (version >= 1),
        brand_story text NOT NULL,
        target_audience text NOT NULL DEFAULT '',
        key_messages text[] NOT NULL DEFAULT '{}',
        product_details text NOT NULL DEFAULT '',
        tone text NOT NULL DEFAULT '',
        dos text[] NOT NULL DEFAULT '{}',
        donts text[] NOT NULL DEFAULT '{}',
        examples text[] NOT NULL DEFAULT '{}',
        required_hashtags text[] NOT NULL DEFAULT '{}',
        required_links text[] NOT NULL DEFAULT '{}',
        deliverables jsonb NOT NULL,
        creative_freedom text NOT NULL DEFAULT '',
        published_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, version)
      )`);
    // What campaign knows of creators (discovery's creator.created): enough to invite and to name codes.
    await q.query(`
      CREATE TABLE creators (
        id uuid PRIMARY KEY,
        handle text NOT NULL,
        display_name text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE partnerships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        brand_id uuid NOT NULL REFERENCES brands(id),
        creator_id uuid NOT NULL REFERENCES creators(id),
        status text NOT NULL CHECK (status IN ('invited','accepted','declined','contracted','active','paused','completed','terminated')),
        length_months smallint CHECK (length_months IN (3, 6)),
        deliverables jsonb NOT NULL,
        fee_minor bigint NOT NULL CHECK (fee_minor >= 0),
        currency char(3) NOT NULL,
        commission_percent real CHECK (commission_percent > 0 AND commission_percent <= 100),
        message text NOT NULL DEFAULT '',
        brief_version integer,
        status_reason text,
        invited_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, creator_id)
      )`);
    await q.query(`CREATE INDEX partnerships_campaign_page ON partnerships (campaign_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX partnerships_creator_page ON partnerships (creator_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX partnerships_brand_creator ON partnerships (brand_id, creator_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE partnerships`);
    await q.query(`DROP TABLE creators`);
    await q.query(`DROP TABLE campaign_briefs`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN target_audience, DROP COLUMN platforms`);
  }
}
