import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform accounts with their audience, post samples and follower history; authenticity reports kept
 * as history; the rate-card copy from payments; and the search columns of `creators` with their indexes.
 *
 * Search columns are derived (see search/search-profile.ts) and rewritten whenever an account, the
 * profile or the rate card changes, so search reads one row per creator and never joins.
 */
export class AccountsAndSearch1764200000000 implements MigrationInterface {
  name = 'AccountsAndSearch1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE creators
        ADD COLUMN content_styles text[] NOT NULL DEFAULT '{}' CHECK (cardinality(content_styles) <= 10),
        ADD COLUMN languages text[] NOT NULL DEFAULT '{}' CHECK (cardinality(languages) <= 10),
        ADD COLUMN region text CHECK (length(region) <= 100),
        ADD COLUMN city text CHECK (length(city) <= 100),
        ADD COLUMN markets text[] NOT NULL DEFAULT '{}' CHECK (cardinality(markets) <= 20),
        ADD COLUMN media_kit_published boolean NOT NULL DEFAULT false,
        ADD COLUMN media_kit_sections text[] NOT NULL DEFAULT '{stats,audience,rates,best_posts}',
        ADD COLUMN platforms text[] NOT NULL DEFAULT '{}',
        ADD COLUMN engagement_rate real,
        ADD COLUMN authenticity_score smallint CHECK (authenticity_score BETWEEN 0 AND 100),
        ADD COLUMN price_low_minor bigint CHECK (price_low_minor >= 0),
        ADD COLUMN price_high_minor bigint CHECK (price_high_minor >= price_low_minor),
        ADD COLUMN price_source text CHECK (price_source IN ('rate_card', 'guidance')),
        ADD COLUMN cost_per_engagement_minor real,
        ADD COLUMN audience_ages real[],
        ADD COLUMN audience_genders real[],
        ADD COLUMN audience_countries jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN audience_interests text[] NOT NULL DEFAULT '{}',
        ADD COLUMN search_text tsvector NOT NULL DEFAULT ''::tsvector`);
    // Search reads many rows but rarely the text index: keep the tsvector out of line, the heap narrow.
    await q.query(`ALTER TABLE creators SET (toast_tuple_target = 256)`);
    await q.query(`COMMENT ON COLUMN creators.followers IS 'Followers of the creator''s largest account (the headline account)'`);

    await q.query(`
      CREATE TABLE platform_accounts (
        id uuid PRIMARY KEY,
        creator_id uuid NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
        platform text NOT NULL
          CHECK (platform IN ('instagram', 'tiktok', 'youtube', 'linkedin', 'threads', 'discord', 'x', 'facebook', 'twitch')),
        handle text NOT NULL CHECK (handle ~ '^[a-z0-9._-]{1,60}$'),
        followers integer NOT NULL CHECK (followers >= 0),
        following integer NOT NULL DEFAULT 0 CHECK (following >= 0),
        post_count integer NOT NULL DEFAULT 0 CHECK (post_count >= 0),
        engagement_rate real,
        reach_rate real,
        posts_counted smallint NOT NULL DEFAULT 0,
        authenticity_score smallint CHECK (authenticity_score BETWEEN 0 AND 100),
        audience jsonb,
        follower_history jsonb NOT NULL DEFAULT '[]',
        recent_posts jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (platform, handle),
        UNIQUE (creator_id, platform)
      )`);

    await q.query(`
      CREATE TABLE authenticity_reports (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES platform_accounts (id) ON DELETE CASCADE,
        creator_id uuid NOT NULL,
        score smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
        model_version text NOT NULL,
        measured_weight real NOT NULL,
        signals jsonb NOT NULL,
        computed_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX authenticity_reports_history ON authenticity_reports (account_id, computed_at DESC, id DESC)`);

    // Kept current from payments' ratecard.updated events; prices feed the price filter and sort.
    await q.query(`
      CREATE TABLE rate_card_prices (
        creator_id uuid NOT NULL,
        platform text NOT NULL,
        format text NOT NULL,
        price_minor bigint NOT NULL CHECK (price_minor >= 0),
        currency char(3) NOT NULL,
        PRIMARY KEY (creator_id, platform, format)
      )`);

    // "At least x % of the audience in country C": one row per (creator, top audience country).
    await q.query(`
      CREATE TABLE creator_audience_countries (
        creator_id uuid NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
        country char(2) NOT NULL,
        share real NOT NULL CHECK (share > 0 AND share <= 1),
        PRIMARY KEY (creator_id, country)
      )`);
    await q.query(`CREATE INDEX creator_audience_countries_share ON creator_audience_countries (country, share DESC, creator_id)`);

    for (const column of ['niches', 'platforms', 'content_styles', 'languages', 'search_text']) {
      await q.query(`CREATE INDEX creators_${column} ON creators USING gin (${column})`);
    }
    // One index per sort, on exactly the key search orders by (search/search.service.ts SORT_SQL), then id,
    // so equal keys still page in a fixed order; a missing value is coalesced to sort last.
    await q.query(`CREATE INDEX creators_by_followers ON creators (followers DESC, id DESC)`);
    await q.query(`CREATE INDEX creators_by_engagement ON creators ((coalesce(engagement_rate, -1)) DESC, id DESC)`);
    await q.query(`CREATE INDEX creators_by_authenticity ON creators ((coalesce(authenticity_score, -1)) DESC, id DESC)`);
    await q.query(
      `CREATE INDEX creators_by_cost_per_engagement ON creators ((coalesce(cost_per_engagement_minor, 'Infinity'::real)) ASC, id ASC)`,
    );
    await q.query(`CREATE INDEX creators_country ON creators (country)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['niches', 'platforms', 'content_styles', 'languages', 'search_text'])
      await q.query(`DROP INDEX creators_${index}`);
    for (const index of ['by_followers', 'by_engagement', 'by_authenticity', 'by_cost_per_engagement', 'country']) {
      await q.query(`DROP INDEX creators_${index}`);
    }
    await q.query(`DROP TABLE creator_audience_countries`);
    await q.query(`DROP TABLE rate_card_prices`);
    await q.query(`DROP TABLE authenticity_reports`);
    await q.query(`DROP TABLE platform_accounts`);
    await q.query(`ALTER TABLE creators RESET (toast_tuple_target)`);
    await q.query(`
      ALTER TABLE creators
        DROP COLUMN search_text, DROP COLUMN audience_interests, DROP COLUMN audience_countries,
        DROP COLUMN audience_genders, DROP COLUMN audience_ages, DROP COLUMN cost_per_engagement_minor, DROP COLUMN price_source,
        DROP COLUMN price_high_minor, DROP COLUMN price_low_minor, DROP COLUMN authenticity_score, DROP COLUMN engagement_rate,
        DROP COLUMN platforms, DROP COLUMN media_kit_sections, DROP COLUMN media_kit_published, DROP COLUMN markets,
        DROP COLUMN city, DROP COLUMN region, DROP COLUMN languages, DROP COLUMN content_styles`);
  }
}
