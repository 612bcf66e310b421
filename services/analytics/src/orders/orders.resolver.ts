import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { AppError, badInput, InputProblems, isUuid, notFound, RequestContext } from '@influenceflow/kit';
import type { AnalyticsContext } from '../services';
import { CampaignFact } from '../campaign-metrics/campaign-fact.entity';
import { ORDER_LIMITS, OrderInput, orderReceived, OrderResult, RefundInput, refundReceived, RefundResult } from './order-api';
import type { OrderReceived, RefundReceived } from './order-input';

/** The brand's members hand in orders; analysts read them, never write. */
export function requireWriter(ctx: RequestContext, brandId: string): void {
  if (!isUuid(brandId)) throw badInput('brandId', 'must be a UUID');
  ctx.requireBrand(brandId, ['brand_member']);
}

/** A refusal found while writing (an unknown order, a refund above what is left) names the item it is about. */
function underItem(err: unknown, field: string): unknown {
  if (err instanceof AppError && err.field && !err.field.startsWith(field))
    return new AppError(err.code, err.message, { field: `${field}.${err.field}`, details: err.details });
  return err;
}

@Resolver()
export class OrdersResolver {
  @Mutation(() => [OrderResult], {
    description: `Orders from any shop (at most ${ORDER_LIMITS.batch}), each attributed as docs/metrics.md says. All are recorded or none; one handed in before is a duplicate.`,
  })
  async recordOrders(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('orders', () => [OrderInput]) orders: OrderInput[],
    @Ctx() ctx: AnalyticsContext,
  ): Promise<OrderResult[]> {
    requireWriter(ctx, brandId);
    if (orders.length === 0 || orders.length > ORDER_LIMITS.batch) throw badInput('orders', `must hold 1 to ${ORDER_LIMITS.batch} orders`);
    const problems = new InputProblems();
    const received: OrderReceived[] = orders.map((o, i) => orderReceived(problems, o, `orders.${i}`, brandId, 'api'));
    problems.throwIfAny();
    return recordAll(ctx, received);
  }

  @Mutation(() => [RefundResult], {
    description: 'Refunds of orders recorded before; a refund above what is left of its order is refused.',
  })
  async recordRefunds(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('refunds', () => [RefundInput]) refunds: RefundInput[],
    @Ctx() ctx: AnalyticsContext,
  ): Promise<RefundResult[]> {
    requireWriter(ctx, brandId);
    if (refunds.length === 0 || refunds.length > ORDER_LIMITS.batch)
      throw badInput('refunds', `must hold 1 to ${ORDER_LIMITS.batch} refunds`);
    const problems = new InputProblems();
    const received: RefundReceived[] = refunds.map((r, i) => refundReceived(problems, r, `refunds.${i}`, brandId, 'api'));
    problems.throwIfAny();
    return recordAllRefunds(ctx, received, (i) => `refunds.${i}`);
  }

  @Mutation(() => Int, {
    description: 'Sets how many days after a click an order is credited to it (1–365; 21 by default), for orders from now on.',
  })
  async setAttributionWindow(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('days', () => Int) days: number,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<number> {
    if (!isUuid(campaignId)) throw badInput('campaignId', 'must be a UUID');
    if (!Number.isInteger(days) || days < 1 || days > 365) throw badInput('days', 'must be a whole number of days from 1 to 365');
    const fact = await ctx.dataSource.getRepository(CampaignFact).findOneBy({ campaignId });
    if (!fact || !ctx.canActForBrand(fact.brandId, ['brand_member', 'analyst'])) throw notFound('Campaign', campaignId);
    ctx.requireBrand(fact.brandId, ['brand_member']);
    await ctx.dataSource.query(`UPDATE campaign_facts SET attribution_window_days = $2 WHERE campaign_id = $1`, [campaignId, days]);
    return days;
  }
}

/** Records checked orders in one transaction (the API and CSV uploads). */
export function recordAll(ctx: AnalyticsContext, received: OrderReceived[]): Promise<OrderResult[]> {
  return ctx.transaction(async (tx) => {
    const out: OrderResult[] = [];
    for (const o of received) {
      const r = await ctx.services.orders.recordOrder(o, tx);
      out.push(
        Object.assign(new OrderResult(), {
          orderId: r.orderId,
          externalId: o.externalId,
          duplicate: r.outcome === 'duplicate',
          partnershipId: r.partnershipId,
          reason: r.reason,
          excluded: r.excluded,
        }),
      );
    }
    return out;
  });
}

/**
 * Records checked refunds in one transaction (the API and CSV uploads); a refusal of the intake (an
 * unknown order, more than is left) names its item, `itemField(i)`.
 */
export function recordAllRefunds(
  ctx: AnalyticsContext,
  received: RefundReceived[],
  itemField: (i: number) => string,
): Promise<RefundResult[]> {
  return ctx.transaction(async (tx) => {
    const out: RefundResult[] = [];
    for (const [i, r] of received.entries()) {
      const outcome = await ctx.services.orders.recordRefund(r, tx).catch((err) => {
        throw underItem(err, itemField(i));
      });
      out.push(
        Object.assign(new RefundResult(), {
          refundId: outcome.refundId,
          externalId: r.externalId,
          duplicate: outcome.outcome === 'duplicate',
        }),
      );
    }
    return out;
  });
}
