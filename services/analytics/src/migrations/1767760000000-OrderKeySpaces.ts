import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An order's external id names the same order whether it came by the API or in a file (the brand's own
 * ids); a connected shop's ids stay that shop's (orders/order-input.ts `sharingIds`). Before, an order sent
 * both ways was stored, credited and announced twice.
 */
export class OrderKeySpaces1767760000000 implements MigrationInterface {
  name = 'OrderKeySpaces1767760000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ n }] = (await q.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM orders WHERE source IN ('api', 'csv') GROUP BY brand_id, external_id HAVING count(*) > 1) d`,
    )) as { n: number }[];
    if (n > 0)
      throw new Error(
        `${n} external ids name two orders each, one sent by the API and one in a file: keep one of each (orders, their refunds) and run the migrations again`,
      );
    await q.query(`DROP INDEX orders_external`);
    await q.query(
      `CREATE UNIQUE INDEX orders_external ON orders (brand_id, (CASE WHEN source IN ('api', 'csv') THEN 'brand' ELSE source END),
        COALESCE(shop_id, '00000000-0000-0000-0000-000000000000'::uuid), external_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orders_external`);
    await q.query(
      `CREATE UNIQUE INDEX orders_external ON orders (brand_id, source, COALESCE(shop_id, '00000000-0000-0000-0000-000000000000'::uuid), external_id)`,
    );
  }
}
