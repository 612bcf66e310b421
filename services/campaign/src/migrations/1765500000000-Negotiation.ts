import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Negotiation: every round of terms on a partnership (the invitation is round 1), and campaign's copy
 * of creators' rate cards (payments' ratecard.updated) to compare an offer with the creator's own rates.
 * Existing partnerships get their invitation as round 1, answered as their status says.
 */
export class Negotiation1765500000000 implements MigrationInterface {
  name = 'Negotiation1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partnership_offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partnership_id uuid NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
        round integer NOT NULL CHECK (round >= 1),
        proposed_by text NOT NULL CHECK (proposed_by IN ('brand', 'creator')),
        fee_minor bigint NOT NULL CHECK (fee_minor >= 0),
        currency char(3) NOT NULL,
        commission_percent real,
        deliverables jsonb NOT NULL,
        length_months smallint,
        note text NOT NULL DEFAULT '',
        answer text CHECK (answer IN ('accepted', 'declined', 'countered', 'withdrawn')),
        answered_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (partnership_id, round)
      )`);
    await q.query(`
      INSERT INTO partnership_offers
        (partnership_id, round, proposed_by, fee_minor, currency, commission_percent, deliverables, length_months, note, answer, answered_at, created_at)
      SELECT id, 1, 'brand', fee_minor, currency, commission_percent, deliverables, length_months, message,
             CASE WHEN status = 'invited' THEN NULL
                  WHEN status = 'declined' THEN 'declined'
                  WHEN status = 'terminated' AND brief_version IS NULL THEN 'withdrawn'
                  ELSE 'accepted' END,
             CASE WHEN status = 'invited' THEN NULL ELSE updated_at END,
             created_at
        FROM partnerships`);
    await q.query(`
      CREATE TABLE creator_rate_cards (
        creator_id uuid NOT NULL,
        platform text NOT NULL,
        format text NOT NULL,
        price_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        PRIMARY KEY (creator_id, platform, format)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE creator_rate_cards`);
    await q.query(`DROP TABLE partnership_offers`);
  }
}
