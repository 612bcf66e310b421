import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Creators in one country, by followers / by engagement" is the most common search. Walking the global
 * sort index for it reads every creator of other countries on the way (26,000 rows for one page of GB
 * travel creators); reading the country's matches and sorting them builds 70,000-entry bitmaps. These
 * indexes give each country its own order, with the niches and price beside the key so the common
 * filters are checked without visiting the table (index-only, bench/README.md). They replace the plain
 * country index: their leading column serves country lookups too.
 */
export class CountrySortIndexes1764500000000 implements MigrationInterface {
  name = 'CountrySortIndexes1764500000000';

  async up(q: QueryRunner): Promise<void> {
    const covering = 'INCLUDE (niches, price_low_minor, price_high_minor)';
    await q.query(`CREATE INDEX creators_country_by_followers ON creators (country, followers DESC, id DESC) ${covering}`);
    await q.query(
      `CREATE INDEX creators_country_by_engagement ON creators (country, (coalesce(engagement_rate, -1)) DESC, id DESC) ${covering}`,
    );
    await q.query(`DROP INDEX creators_country`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX creators_country ON creators (country)`);
    await q.query(`DROP INDEX creators_country_by_engagement`);
    await q.query(`DROP INDEX creators_country_by_followers`);
  }
}
