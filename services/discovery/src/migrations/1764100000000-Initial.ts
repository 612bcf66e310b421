import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764100000000 implements MigrationInterface {
  name = 'Initial1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE creators (
        id uuid PRIMARY KEY,
        handle text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9._]{2,40}$'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
        bio text NOT NULL DEFAULT '' CHECK (length(bio) <= 2000),
        niches text[] NOT NULL DEFAULT '{}' CHECK (cardinality(niches) <= 5),
        country char(2) CHECK (country ~ '^[A-Z]{2}$'),
        followers integer NOT NULL DEFAULT 0 CHECK (followers >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX creators_page ON creators (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE creators`);
  }
}
