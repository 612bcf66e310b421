import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether an order's shop prices include tax (Shopify's `taxes_included`): its refunds' line subtotals then
 * include tax too, which is taken off so that a refund is net as its order is. Orders stored before are
 * taken as net (the API's and files' are).
 */
export class OrderPricesIncludeTax1767760000002 implements MigrationInterface {
  name = 'OrderPricesIncludeTax1767760000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN prices_include_tax boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN prices_include_tax`);
  }
}
