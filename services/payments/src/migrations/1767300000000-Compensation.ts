import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compensation plans from executed contracts, their milestones, the partnership copy they need, and the
 * attributed orders and refunds commission is paid on (docs/payments.md, "Compensation plans and milestones").
 */
export class Compensation1767300000000 implements MigrationInterface {
  name = 'Compensation1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE comp_partnerships (
        id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        status text,
        currency char(3) CHECK (currency ~ '^[A-Z]{3}$'),
        length_months smallint CHECK (length_months > 0),
        schedule_terms jsonb,
        campaign_ended_at timestamptz(3),
        orders_count integer NOT NULL DEFAULT 0 CHECK (orders_count >= 0),
        sales_minor bigint NOT NULL DEFAULT 0 CHECK (sales_minor >= 0),
        commission_earned_minor bigint NOT NULL DEFAULT 0 CHECK (commission_earned_minor >= 0),
        commission_accrued_minor bigint NOT NULL DEFAULT 0 CHECK (commission_accrued_minor >= 0),
        commission_paid_out_minor bigint NOT NULL DEFAULT 0 CHECK (commission_paid_out_minor >= 0),
        commission_payouts integer NOT NULL DEFAULT 0 CHECK (commission_payouts >= 0),
        commission_postings integer NOT NULL DEFAULT 0 CHECK (commission_postings >= 0),
        product_value_recorded_minor bigint NOT NULL DEFAULT 0 CHECK (product_value_recorded_minor >= 0),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        -- What left the payable for payouts was accrued into it first.
        CHECK (commission_paid_out_minor <= commission_accrued_minor)
      )`);
    await q.query(`CREATE INDEX comp_partnerships_campaign ON comp_partnerships (campaign_id)`);
    await q.query(`
      CREATE TABLE comp_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id uuid NOT NULL UNIQUE,
        partnership_id uuid NOT NULL REFERENCES comp_partnerships (id),
        campaign_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        creator_id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        amends_contract_id uuid,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        flat_fee_minor bigint CHECK (flat_fee_minor >= 0),
        commission_ppm integer CHECK (commission_ppm > 0 AND commission_ppm <= 1000000),
        bonus_metric text,
        bonus_measured_as text CHECK (bonus_measured_as IN ('ATTRIBUTED_ORDERS', 'ATTRIBUTED_SALES')),
        bonus_threshold double precision CHECK (bonus_threshold > 0),
        bonus_amount_minor bigint CHECK (bonus_amount_minor > 0),
        product_description text,
        product_value_minor bigint CHECK (product_value_minor >= 0),
        deliverables jsonb NOT NULL DEFAULT '[]',
        length_months smallint,
        carried_credits jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('ACTIVE', 'SUPERSEDED', 'TERMINATED')),
        executed_at timestamptz(3) NOT NULL,
        ended_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((bonus_metric IS NULL) = (bonus_amount_minor IS NULL))
      )`);
    // One plan in force per partnership.
    await q.query(`CREATE UNIQUE INDEX comp_plans_active ON comp_plans (partnership_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX comp_plans_partnership ON comp_plans (partnership_id, version)`);
    await q.query(`
      CREATE TABLE comp_milestones (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES comp_plans (id),
        contract_id uuid NOT NULL,
        partnership_id uuid NOT NULL,
        idx smallint NOT NULL CHECK (idx >= 0),
        label text NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('ON_EXECUTION', 'ON_DELIVERABLE_POSTED', 'ON_CAMPAIGN_END', 'ON_BONUS_THRESHOLD')),
        deliverable_index smallint CHECK (deliverable_index >= 0),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        credit_minor bigint NOT NULL DEFAULT 0 CHECK (credit_minor >= 0 AND credit_minor <= amount_minor),
        currency char(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'DUE', 'PAID', 'CANCELLED', 'REPLACED')),
        awaiting text CHECK (awaiting IN ('INSUFFICIENT_FUNDS')),
        due_at timestamptz(3),
        paid_at timestamptz(3),
        ended_at timestamptz(3),
        payout_id uuid,
        UNIQUE (contract_id, idx),
        CHECK ((trigger = 'ON_DELIVERABLE_POSTED') = (deliverable_index IS NOT NULL)),
        CHECK (status NOT IN ('DUE', 'PAID') OR due_at IS NOT NULL),
        CHECK (status <> 'PAID' OR paid_at IS NOT NULL),
        CHECK (awaiting IS NULL OR status = 'DUE')
      )`);
    await q.query(`CREATE INDEX comp_milestones_plan ON comp_milestones (plan_id, idx)`);
    await q.query(`CREATE INDEX comp_milestones_due ON comp_milestones (partnership_id) WHERE status = 'DUE'`);
    await q.query(`
      CREATE TABLE comp_posted_deliverables (
        deliverable_id uuid PRIMARY KEY,
        partnership_id uuid NOT NULL,
        sequence integer NOT NULL CHECK (sequence >= 1),
        platform text NOT NULL,
        format text NOT NULL,
        posted_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX comp_posted_partnership ON comp_posted_deliverables (partnership_id)`);
    await q.query(`
      CREATE TABLE comp_orders (
        order_id uuid PRIMARY KEY,
        partnership_id uuid NOT NULL REFERENCES comp_partnerships (id),
        plan_id uuid REFERENCES comp_plans (id),
        currency char(3) NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        refunded_minor bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
        commission_ppm integer NOT NULL DEFAULT 0 CHECK (commission_ppm >= 0 AND commission_ppm <= 1000000),
        via text NOT NULL CHECK (via IN ('discount_code', 'link')),
        discount_code text,
        link text,
        ordered_at timestamptz(3) NOT NULL,
        attributed_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        -- A refund larger than what is left of the order is refused in code; the database holds it too.
        CHECK (refunded_minor <= amount_minor)
      )`);
    await q.query(`CREATE INDEX comp_orders_partnership ON comp_orders (partnership_id)`);
    await q.query(`
      CREATE TABLE comp_refunds (
        refund_id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES comp_orders (order_id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        status text NOT NULL CHECK (status IN ('APPLIED', 'REJECTED')),
        reason text,
        commission_reversed_minor bigint NOT NULL DEFAULT 0 CHECK (commission_reversed_minor >= 0),
        refunded_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE comp_rejected_events (
        event_id uuid PRIMARY KEY,
        type text NOT NULL,
        subject text NOT NULL,
        reason text NOT NULL,
        rejected_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'comp_rejected_events',
      'comp_refunds',
      'comp_orders',
      'comp_posted_deliverables',
      'comp_milestones',
      'comp_plans',
      'comp_partnerships',
    ])
      await q.query(`DROP TABLE ${t}`);
  }
}
