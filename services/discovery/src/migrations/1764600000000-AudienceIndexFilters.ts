import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audience index also holds niches and followers, so audience-match search can filter on them in
 * memory (search/audience-index.ts): their writes must be stamped for catch-up like the audience's.
 */
export class AudienceIndexFilters1764600000000 implements MigrationInterface {
  name = 'AudienceIndexFilters1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await this.watch(q, 'platforms, niches, followers, audience_ages, audience_genders, audience_countries, audience_interests');
  }

  async down(q: QueryRunner): Promise<void> {
    await this.watch(q, 'platforms, audience_ages, audience_genders, audience_countries, audience_interests');
  }

  private async watch(q: QueryRunner, columns: string): Promise<void> {
    await q.query(`DROP TRIGGER creators_audience_changed ON creators`);
    await q.query(`
      CREATE TRIGGER creators_audience_changed
      BEFORE INSERT OR UPDATE OF ${columns} ON creators
      FOR EACH ROW EXECUTE FUNCTION creators_audience_changed()`);
  }
}
