import { Logger, RepeatingTask, ServiceRuntime } from '@influenceflow/kit';
import type { AwaitsClicks } from '../clicks/clicks.service';
import { AttributionReason } from './attribution';
import type { OrderIntakeService } from './order-intake.service';

/** How often it looks (a minute: what it catches is rare, and waited at most that long). */
const EVERY_MS = 60_000;
/** Clicks or campaigns settled per round; the rest wait for the next. */
const PER_ROUND = 200;

/**
 * What waits is settled when what it waits for arrives (`onClickArrived`, `onCampaignArrived`), in that
 * arrival's transaction. An order recorded while that transaction was still open saw neither the click
 * nor the campaign, and the arrival did not see the order: both committed, and the order would wait for
 * good. Each round settles the orders and conversions whose click now exists, and the orders waiting for a
 * campaign (or a partnership) analytics now knows, each click or campaign in a transaction of its own.
 * Replicas doing the same round at once settle nothing twice: settling takes the same locks as the intake.
 */
export class WaitingSweep extends RepeatingTask {
  readonly name = 'waiting orders sweep';

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly orders: OrderIntakeService,
    private readonly clickWaiters: { table: 'orders' | 'conversions'; waiter: AwaitsClicks }[],
    logger: Logger,
    everyMs = EVERY_MS,
  ) {
    super(logger, everyMs, 'settling waiting orders failed; trying again in the next round');
  }

  /** Settles what can be settled now; how many clicks and campaigns it settled for. */
  async round(): Promise<number> {
    const ds = this.runtime.dataSource;
    let settled = 0;
    for (const { table, waiter } of this.clickWaiters) {
      const clicks = (await ds.query(
        `SELECT DISTINCT w.click_id FROM ${table} w JOIN clicks k ON k.click_id::text = w.click_id
          WHERE w.reason = $1 LIMIT ${PER_ROUND}`,
        [AttributionReason.AWAITING_CLICK],
      )) as { click_id: string }[];
      for (const { click_id } of clicks) {
        if (this.isStopped) return settled;
        await ds.transaction((tx) => waiter.onClickArrived(tx, click_id));
        settled++;
      }
    }
    // in no order: orders whose partnership never comes do not hold the others back
    const orders = (await ds.query(
      `SELECT o.id FROM orders o
        WHERE o.reason = $1
          AND (o.campaign_id IS NULL OR EXISTS (SELECT 1 FROM campaign_facts c WHERE c.campaign_id = o.campaign_id))
        ORDER BY random() LIMIT ${PER_ROUND}`,
      [AttributionReason.AWAITING_CAMPAIGN],
    )) as { id: string }[];
    for (const { id } of orders) {
      if (this.isStopped) return settled;
      await ds.transaction((tx) => this.orders.attributeWaitingOrder(tx, id));
      settled++;
    }
    return settled;
  }
}
