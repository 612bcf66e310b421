import { MigrationInterface, QueryRunner } from 'typeorm';

/** The orders credited to a partnership whose campaign is not known yet (AWAITING_CAMPAIGN), found when it arrives. */
export class OrdersAwaitingCampaign1767760000001 implements MigrationInterface {
  name = 'OrdersAwaitingCampaign1767760000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX orders_awaiting_campaign ON orders (campaign_id) WHERE reason = 'AWAITING_CAMPAIGN'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orders_awaiting_campaign`);
  }
}
