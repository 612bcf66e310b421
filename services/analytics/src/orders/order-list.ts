import { REASONS_DESCRIPTION } from './attribution';
import { Args, ArgsType, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { badInput, ConnectionType, decodeCursor, isUuid, Money, pageSize, toConnection } from '@influenceflow/kit';
import type { AnalyticsContext } from '../services';

@ObjectType({ description: 'An order as analytics keeps it, with how it was credited (docs/analytics.md, "Attribution").' })
export class AttributedOrder {
  @Field(() => ID) id: string;
  @Field(() => String, { description: "The shop's id of the order." }) externalId: string;
  @Field(() => String, { description: 'shopify, api or csv.' }) source: string;
  @Field(() => GraphQLDateTimeISO) orderedAt: Date;
  @Field(() => Money, { description: 'Net of tax and shipping.' }) amount: Money;
  @Field(() => Money, { description: 'Refunded so far.' }) refunded: Money;
  @Field(() => ID, { nullable: true }) partnershipId: string | null;
  @Field(() => ID, { nullable: true }) campaignId: string | null;
  @Field(() => String, { description: REASONS_DESCRIPTION })
  reason: string;
  @Field(() => String, { nullable: true, description: 'Why a credited order is left out of the figures (CURRENCY_MISMATCH).' }) excluded:
    string | null;
  @Field(() => ID, { nullable: true, description: 'The click that credited it.' }) clickId: string | null;
  @Field(() => [String]) discountCodes: string[];
  @Field(() => Boolean, {
    nullable: true,
    description: "Its customer's first order with the brand; null: the shop did not say who ordered.",
  })
  newCustomer: boolean | null;
}

@ObjectType()
export class AttributedOrderConnection extends ConnectionType(AttributedOrder) {}

@ArgsType()
export class OrderListArgs {
  @Field(() => ID) brandId: string;
  @Field(() => ID, { nullable: true, description: 'Only the orders credited to this campaign.' }) campaignId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only credited orders; false: only unattributed ones.' }) attributed?:
    boolean | null;
  @Field(() => Int, { nullable: true, defaultValue: 20 }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

interface Row {
  id: string;
  external_id: string;
  source: string;
  ordered_at: Date;
  amount_minor: string;
  currency: string;
  refunded: string;
  partnership_id: string | null;
  campaign_id: string | null;
  reason: string;
  excluded: string | null;
  attributed_click_id: string | null;
  discount_codes: string[];
  customer_new: boolean | null;
}

@Resolver()
export class OrderListResolver {
  @Query(() => AttributedOrderConnection, {
    description: "The brand's orders, newest first, each with why it was credited or not (members and analysts).",
  })
  async brandOrders(@Args(() => OrderListArgs) args: OrderListArgs, @Ctx() ctx: AnalyticsContext) {
    if (!isUuid(args.brandId)) throw badInput('brandId', 'must be a UUID');
    if (args.campaignId && !isUuid(args.campaignId)) throw badInput('campaignId', 'must be a UUID');
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    const limit = pageSize(args.first);
    const params: unknown[] = [args.brandId];
    let filter = '';
    if (args.campaignId) filter += ` AND o.campaign_id = $${params.push(args.campaignId)}`;
    if (args.attributed === true) filter += ' AND o.partnership_id IS NOT NULL';
    if (args.attributed === false) filter += ' AND o.partnership_id IS NULL';
    if (args.after) {
      const [at, id] = decodeCursor(args.after, ['timestamp', 'uuid']);
      filter += ` AND (o.ordered_at, o.id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    const rows = (await ctx.dataSource.query(
      `SELECT o.*, COALESCE((SELECT sum(amount_minor) FROM refunds r WHERE r.order_id = o.id), 0)::text AS refunded
         FROM orders o WHERE o.brand_id = $1${filter} ORDER BY o.ordered_at DESC, o.id DESC LIMIT ${limit + 1}`,
      params,
    )) as Row[];
    const nodes = rows.map((r) =>
      Object.assign(new AttributedOrder(), {
        id: r.id,
        externalId: r.external_id,
        source: r.source,
        orderedAt: r.ordered_at,
        amount: Money.of(Number(r.amount_minor), r.currency),
        refunded: Money.of(Number(r.refunded), r.currency),
        partnershipId: r.partnership_id,
        campaignId: r.campaign_id,
        reason: r.reason,
        excluded: r.excluded,
        clickId: r.attributed_click_id,
        discountCodes: r.discount_codes,
        newCustomer: r.customer_new,
      }),
    );
    return toConnection(nodes, limit, (o) => [o.orderedAt.toISOString(), o.id], !!args.after);
  }
}
