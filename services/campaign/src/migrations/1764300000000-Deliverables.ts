import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deliverables (one row per piece of content a partnership promises), their draft submissions and reviews. */
export class Deliverables1764300000000 implements MigrationInterface {
  name = 'Deliverables1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deliverables (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partnership_id uuid NOT NULL REFERENCES partnerships(id),
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        brand_id uuid NOT NULL REFERENCES brands(id),
        creator_id uuid NOT NULL REFERENCES creators(id),
        sequence smallint NOT NULL CHECK (sequence >= 1),
        platform text NOT NULL,
        format text NOT NULL,
        due_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('planned','submitted','changes_requested','approved','posted','verified')),
        ugc_reuse_allowed boolean NOT NULL DEFAULT false,
        post_url text,
        posted_at timestamptz(3),
        verified_at timestamptz(3),
        flag_reason text,
        flagged_at timestamptz(3),
        flagged_by text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (partnership_id, sequence),
        CHECK ((status IN ('posted','verified')) = (post_url IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX deliverables_flagged ON deliverables (brand_id, flagged_at DESC, id DESC) WHERE flagged_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE deliverable_submissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        deliverable_id uuid NOT NULL REFERENCES deliverables(id),
        version integer NOT NULL CHECK (version >= 1),
        draft_url text NOT NULL,
        caption text NOT NULL DEFAULT '',
        note text NOT NULL DEFAULT '',
        submitted_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (deliverable_id, version)
      )`);
    await q.query(`
      CREATE TABLE deliverable_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        deliverable_id uuid NOT NULL REFERENCES deliverables(id),
        submission_version integer NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approved','changes_requested')),
        comments text NOT NULL DEFAULT '',
        reviewed_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX deliverable_reviews_of ON deliverable_reviews (deliverable_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deliverable_reviews`);
    await q.query(`DROP TABLE deliverable_submissions`);
    await q.query(`DROP TABLE deliverables`);
  }
}
