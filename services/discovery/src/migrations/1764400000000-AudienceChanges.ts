import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks every write of the columns audience match scores with the writing transaction's id, so each
 * discovery process can keep its in-memory audience index current by reading only what changed since its
 * last look (search/audience-index.sync.ts). A trigger, not the application, sets it: the bulk importer,
 * the service and any future writer are covered alike.
 */
export class AudienceChanges1764400000000 implements MigrationInterface {
  name = 'AudienceChanges1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE creators ADD COLUMN audience_changed_in xid8`);
    await q.query(`
      CREATE FUNCTION creators_audience_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.audience_changed_in := pg_current_xact_id();
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER creators_audience_changed
      BEFORE INSERT OR UPDATE OF platforms, audience_ages, audience_genders, audience_countries, audience_interests ON creators
      FOR EACH ROW EXECUTE FUNCTION creators_audience_changed()`);
    await q.query(`CREATE INDEX creators_audience_changed_in ON creators (audience_changed_in, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER creators_audience_changed ON creators`);
    await q.query(`DROP FUNCTION creators_audience_changed()`);
    await q.query(`ALTER TABLE creators DROP COLUMN audience_changed_in`);
  }
}
