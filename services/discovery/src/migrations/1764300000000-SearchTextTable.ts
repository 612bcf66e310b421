import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves the keyword index out of `creators`. Rows under ~2 KB are never TOASTed, so the tsvector (about
 * 600 bytes a creator) stayed inline and doubled the heap that every search and sort reads; keyword
 * search now joins the side table through its GIN index only when keywords are given.
 */
export class SearchTextTable1764300000000 implements MigrationInterface {
  name = 'SearchTextTable1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE creator_search_text (
        creator_id uuid PRIMARY KEY REFERENCES creators (id) ON DELETE CASCADE,
        search_text tsvector NOT NULL
      )`);
    await q.query(`INSERT INTO creator_search_text (creator_id, search_text) SELECT id, search_text FROM creators`);
    await q.query(`DROP INDEX creators_search_text`);
    await q.query(`ALTER TABLE creators DROP COLUMN search_text, RESET (toast_tuple_target)`);
    await q.query(`CREATE INDEX creator_search_text_words ON creator_search_text USING gin (search_text)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE creators ADD COLUMN search_text tsvector NOT NULL DEFAULT ''::tsvector`);
    await q.query(`UPDATE creators c SET search_text = t.search_text FROM creator_search_text t WHERE t.creator_id = c.id`);
    await q.query(`CREATE INDEX creators_search_text ON creators USING gin (search_text)`);
    await q.query(`DROP TABLE creator_search_text`);
  }
}
