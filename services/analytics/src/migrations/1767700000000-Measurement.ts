import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What analytics measures campaigns by: copies of partnerships, creators and deliverables (from events),
 * the raw facts (clicks, orders and refunds, other conversions, post snapshots, comments, spend), each
 * append-only or deduplicated by its source's id, and the roll-ups the reports read, which `rebuild`
 * recomputes from the raw facts (docs/analytics.md).
 */
export class Measurement1767700000000 implements MigrationInterface {
  name = 'Measurement1767700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaign_facts
      ADD COLUMN starts_on date, ADD COLUMN ends_on date,
      ADD COLUMN attribution_window_days integer NOT NULL DEFAULT 21 CHECK (attribution_window_days BETWEEN 1 AND 365)`);
    await q.query(`
      CREATE TABLE partnership_facts (
        partnership_id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        status text NOT NULL,
        platform text,
        brand_name text,
        creator_name text,
        creator_handle text,
        discount_code text,
        link_slug text,
        utm_campaign text,
        utm_content text,
        last_event_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX partnership_facts_code ON partnership_facts (brand_id, discount_code) WHERE discount_code IS NOT NULL`);
    await q.query(
      `CREATE INDEX partnership_facts_utm ON partnership_facts (brand_id, utm_campaign, utm_content) WHERE utm_content IS NOT NULL`,
    );
    await q.query(`CREATE INDEX partnership_facts_campaign ON partnership_facts (campaign_id)`);
    await q.query(`CREATE INDEX partnership_facts_creator ON partnership_facts (creator_id)`);
    await q.query(`
      CREATE TABLE creator_facts (
        creator_id uuid PRIMARY KEY,
        handle text,
        display_name text,
        profile_at timestamptz,
        followers integer,
        tier text,
        stats_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE deliverable_facts (
        deliverable_id uuid PRIMARY KEY,
        partnership_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        platform text NOT NULL,
        format text NOT NULL,
        status text NOT NULL,
        post_url text,
        last_event_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX deliverable_facts_campaign ON deliverable_facts (campaign_id)`);
    await q.query(`CREATE INDEX deliverable_facts_partnership ON deliverable_facts (partnership_id)`);

    await q.query(`
      CREATE TABLE clicks (
        click_id uuid PRIMARY KEY,
        partnership_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        link text NOT NULL,
        at timestamptz NOT NULL,
        traffic text NOT NULL CHECK (traffic IN ('human', 'bot', 'preview')),
        after_end boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX clicks_by_partnership ON clicks (partnership_id, at DESC) WHERE traffic = 'human'`);

    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL,
        source text NOT NULL CHECK (source IN ('shopify', 'api', 'csv')),
        shop_id uuid,
        external_id text NOT NULL,
        ordered_at timestamptz NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0 AND amount_minor <= 9007199254740991),
        currency char(3) NOT NULL,
        customer_key text,
        discount_codes text[] NOT NULL DEFAULT '{}',
        landing_url text,
        click_id text,
        line_items jsonb NOT NULL DEFAULT '[]',
        received_at timestamptz NOT NULL DEFAULT now(),
        partnership_id uuid,
        campaign_id uuid,
        reason text NOT NULL,
        attributed_click_id uuid,
        excluded text,
        customer_new boolean,
        attributed_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX orders_external ON orders (brand_id, source, COALESCE(shop_id, '00000000-0000-0000-0000-000000000000'::uuid), external_id)`,
    );
    await q.query(`CREATE INDEX orders_by_customer ON orders (brand_id, customer_key, ordered_at) WHERE customer_key IS NOT NULL`);
    await q.query(`CREATE INDEX orders_by_partnership ON orders (partnership_id, ordered_at) WHERE partnership_id IS NOT NULL`);
    await q.query(`CREATE INDEX orders_unattributed ON orders (brand_id, ordered_at) WHERE partnership_id IS NULL`);
    await q.query(`CREATE INDEX orders_awaiting_click ON orders (click_id) WHERE reason = 'AWAITING_CLICK'`);
    await q.query(`
      CREATE TABLE refunds (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id),
        external_id text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0 AND amount_minor <= 9007199254740991),
        currency char(3) NOT NULL,
        refunded_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (order_id, external_id)
      )`);
    await q.query(`
      CREATE TABLE brand_customers (
        brand_id uuid NOT NULL,
        customer_key text NOT NULL,
        first_order_id uuid NOT NULL,
        partnership_id uuid NOT NULL,
        first_at timestamptz NOT NULL,
        ordered_again boolean NOT NULL,
        PRIMARY KEY (brand_id, customer_key)
      )`);
    await q.query(`
      CREATE TABLE conversions (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL,
        kind text NOT NULL,
        external_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        click_id text,
        partnership_id uuid,
        campaign_id uuid,
        reason text NOT NULL,
        attributed_click_id uuid,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (brand_id, kind, external_id)
      )`);
    await q.query(`CREATE INDEX conversions_awaiting_click ON conversions (click_id) WHERE reason = 'AWAITING_CLICK'`);
    await q.query(`
      CREATE TABLE post_snapshots (
        id uuid PRIMARY KEY,
        deliverable_id uuid NOT NULL,
        taken_at timestamptz NOT NULL,
        reach bigint, impressions bigint, likes bigint, comments bigint, shares bigint, saves bigint, views bigint,
        source text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (deliverable_id, taken_at)
      )`);
    await q.query(`
      CREATE TABLE post_comments (
        id uuid PRIMARY KEY,
        deliverable_id uuid NOT NULL,
        external_id text NOT NULL,
        body text NOT NULL,
        posted_at timestamptz NOT NULL,
        sentiment text NOT NULL CHECK (sentiment IN ('positive', 'neutral', 'negative')),
        sentiment_score double precision NOT NULL,
        mentions jsonb NOT NULL DEFAULT '[]',
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (deliverable_id, external_id)
      )`);
    await q.query(`CREATE INDEX post_comments_mentions ON post_comments (deliverable_id, posted_at DESC) WHERE mentions <> '[]'`);
    await q.query(`
      CREATE TABLE spend_entries (
        entry_key text PRIMARY KEY,
        campaign_id uuid NOT NULL,
        partnership_id uuid NOT NULL,
        kind text NOT NULL,
        amount_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1
      )`);

    // Roll-ups: additive counters per partnership and UTC day, and each post's last snapshot of a day.
    await q.query(`
      CREATE TABLE partnership_days (
        partnership_id uuid NOT NULL,
        day date NOT NULL,
        clicks bigint NOT NULL DEFAULT 0,
        uncounted_clicks bigint NOT NULL DEFAULT 0,
        orders bigint NOT NULL DEFAULT 0,
        gross_minor bigint NOT NULL DEFAULT 0,
        refunds_minor bigint NOT NULL DEFAULT 0,
        new_customers bigint NOT NULL DEFAULT 0,
        returning_customers bigint NOT NULL DEFAULT 0,
        referred_customers bigint NOT NULL DEFAULT 0,
        repeat_customers bigint NOT NULL DEFAULT 0,
        conversions bigint NOT NULL DEFAULT 0,
        spend_minor bigint NOT NULL DEFAULT 0,
        positive bigint NOT NULL DEFAULT 0,
        neutral bigint NOT NULL DEFAULT 0,
        negative bigint NOT NULL DEFAULT 0,
        mentions bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership_id, day)
      )`);
    await q.query(`
      CREATE TABLE post_days (
        deliverable_id uuid NOT NULL,
        day date NOT NULL,
        partnership_id uuid NOT NULL,
        taken_at timestamptz NOT NULL,
        reach bigint, impressions bigint, likes bigint, comments bigint, shares bigint, saves bigint, views bigint,
        PRIMARY KEY (deliverable_id, day)
      )`);
    await q.query(`CREATE INDEX post_days_partnership ON post_days (partnership_id, day)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'post_days',
      'partnership_days',
      'spend_entries',
      'post_comments',
      'post_snapshots',
      'conversions',
      'brand_customers',
      'refunds',
      'orders',
      'clicks',
      'deliverable_facts',
      'creator_facts',
      'partnership_facts',
    ])
      await q.query(`DROP TABLE ${t}`);
    await q.query(`ALTER TABLE campaign_facts DROP COLUMN starts_on, DROP COLUMN ends_on, DROP COLUMN attribution_window_days`);
  }
}
