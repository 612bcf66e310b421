import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message thread per partnership (its brand's members and its creator), and how far each reader has
 * read it. A client's own id for a message (`client_message_id`) makes a retried post land once.
 */
export class PartnershipMessages1765200000000 implements MigrationInterface {
  name = 'PartnershipMessages1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partnership_messages (
        id uuid PRIMARY KEY,
        partnership_id uuid NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        author_side text NOT NULL CHECK (author_side IN ('brand', 'creator')),
        author_subject text NOT NULL,
        client_message_id text CHECK (length(client_message_id) BETWEEN 1 AND 100),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
        attachments jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX partnership_messages_thread ON partnership_messages (partnership_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE UNIQUE INDEX partnership_messages_client_id ON partnership_messages (partnership_id, author_subject, client_message_id)
         WHERE client_message_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE partnership_message_reads (
        partnership_id uuid NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
        reader_subject text NOT NULL,
        reader_side text NOT NULL CHECK (reader_side IN ('brand', 'creator')),
        read_up_to timestamptz(3) NOT NULL,
        read_up_to_id uuid NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (partnership_id, reader_subject)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE partnership_message_reads`);
    await q.query(`DROP TABLE partnership_messages`);
  }
}
