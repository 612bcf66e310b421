import { MigrationInterface, QueryRunner } from 'typeorm';

/** Contracts as data (versions, amendments), their signatures, and who has seen which version. */
export class Contracts1766600000000 implements MigrationInterface {
  name = 'Contracts1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partnership_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        amends_id uuid REFERENCES contracts (id),
        status text NOT NULL CHECK (status IN ('draft', 'sent', 'signed', 'executed', 'completed', 'terminated', 'superseded')),
        template_id uuid REFERENCES contract_templates (id),
        template_version integer NOT NULL,
        terms jsonb NOT NULL,
        document text NOT NULL,
        document_sha256 char(64) NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
        sent_at timestamptz(3),
        executed_at timestamptz(3),
        ended_at timestamptz(3),
        end_reason text,
        ended_by text,
        certificate_jws text,
        pdf bytea,
        pdf_sha256 char(64),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (partnership_id, version),
        CHECK ((version = 1) = (amends_id IS NULL))
      )`);
    await q.query(`CREATE INDEX contracts_brand_page ON contracts (brand_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX contracts_creator_page ON contracts (creator_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX contracts_campaign ON contracts (campaign_id)`);
    await q.query(`CREATE INDEX contracts_document ON contracts (document_sha256)`);
    await q.query(`CREATE INDEX contracts_pdf ON contracts (pdf_sha256) WHERE pdf_sha256 IS NOT NULL`);
    await q.query(`
      CREATE TABLE contract_signatures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id uuid NOT NULL REFERENCES contracts (id),
        role text NOT NULL CHECK (role IN ('brand', 'creator')),
        subject text NOT NULL,
        signer_name text NOT NULL,
        consent text NOT NULL,
        document_sha256 char(64) NOT NULL,
        ip text,
        user_agent text,
        signed_at timestamptz(3) NOT NULL,
        UNIQUE (contract_id, role)
      )`);
    await q.query(`
      CREATE TABLE contract_views (
        contract_id uuid NOT NULL REFERENCES contracts (id),
        side text NOT NULL CHECK (side IN ('brand', 'creator', 'admin')),
        first_viewed_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (contract_id, side)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contract_views`);
    await q.query(`DROP TABLE contract_signatures`);
    await q.query(`DROP TABLE contracts`);
  }
}
