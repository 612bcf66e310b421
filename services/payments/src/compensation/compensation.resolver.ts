import { Ctx, Directive, Field, FieldResolver, Float, ID, Int, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import { Money } from '@influenceflow/kit';
import type { PaymentsContext } from '../services';
import { Partnership } from '../payouts/payout.types';
import { Campaign } from '../ledger/funding.types';
import { CompMilestone, CompPlan } from './compensation.entity';
import { BONUS_METRICS, BonusMetric } from './plan-rules';

/** Contracts' entity, extended here with its payment milestones as payments runs them. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Contract {
  @Field(() => ID) id: string;
}

export const BonusMetricValue = Object.freeze(Object.fromEntries(BONUS_METRICS.map((m) => [m, m]))) as { [K in BonusMetric]: K };
registerEnumType(BonusMetricValue, {
  name: 'BonusMetric',
  description: 'What payments measures a bonus threshold by: attributed orders (a count) or attributed sales (net, in major units).',
});

@ObjectType({ description: 'A performance bonus: paid when the metric reaches the threshold.' })
export class PlanBonus {
  @Field(() => String, { description: 'The metric as the contract names it.' }) metric: string;
  @Field(() => BonusMetricValue, {
    nullable: true,
    description: 'How payments measures it; null: a metric payments does not measure (the bonus waits).',
  })
  measuredAs: BonusMetric | null;
  @Field(() => Float) threshold: number;
  @Field(() => Money) amount: Money;
}

@ObjectType({ description: 'A product given in kind: its declared value is on the creator’s statement, not paid in cash.' })
export class PlanProduct {
  @Field(() => String) description: string;
  @Field(() => Money) declaredValue: Money;
}

@ObjectType({ description: "The partnership's commission so far, in the plan's currency (docs: commission and refunds)." })
export class CommissionSummary {
  @Field(() => Int, { description: 'Attributed orders not fully refunded.' }) orders: number;
  @Field(() => Money, { description: 'Their amounts net of tax, shipping and refunds.' }) sales: Money;
  @Field(() => Money, { description: 'What the orders earn now: the floor of percent × net amount, order by order, after refunds.' })
  earned: Money;
  @Field(() => Money, { description: "Accrued into the creator's payable (net of reversals)." }) accrued: Money;
  @Field(() => Money, { nullable: true, description: 'Handed to payouts. Null for analysts.' }) paidOut: Money | null;
  @Field(() => Money, {
    nullable: true,
    description: 'Paid out beyond what is earned now (refunds after payout): later commission fills it first. Null for analysts.',
  })
  clawback: Money | null;
  @Field(() => Money, { description: 'Earned but not accrued yet: the escrow was short.' }) awaitingFunds: Money;
}

@Resolver(() => Partnership)
export class PartnershipCompensationResolver {
  @FieldResolver(() => CompPlan, {
    nullable: true,
    description: 'The compensation plan in force (else the latest); null before a contract is executed, or when you may not see it.',
  })
  compensation(@Root() p: Partnership, @Ctx() ctx: PaymentsContext): Promise<CompPlan | null> {
    return ctx.services.compensationViews.planOfPartnership(ctx, p.id);
  }
}

@Resolver(() => Contract)
export class ContractMilestonesResolver {
  @FieldResolver(() => [CompMilestone], {
    nullable: true,
    description: "This version's payment milestones as payments runs them; null before it is executed, or when you may not see them.",
  })
  milestones(@Root() c: Contract, @Ctx() ctx: PaymentsContext): Promise<CompMilestone[] | null> {
    return ctx.services.compensationViews.milestonesOfContract(ctx, c.id);
  }
}

@Resolver(() => CompPlan)
export class CompensationPlanResolver {
  @FieldResolver(() => Money, { nullable: true }) flatFee(@Root() p: CompPlan): Money | null {
    return p.flatFeeMinor === null ? null : Money.of(p.flatFeeMinor, p.currency);
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Percent of attributed sales, net of refunds.' })
  commissionPercent(@Root() p: CompPlan): number | null {
    return p.commissionPpm === null ? null : p.commissionPpm / 10_000;
  }

  @FieldResolver(() => PlanBonus, { nullable: true }) bonus(@Root() p: CompPlan): PlanBonus | null {
    if (p.bonusMetric === null || p.bonusAmountMinor === null) return null;
    return {
      metric: p.bonusMetric,
      measuredAs: p.bonusMeasuredAs,
      threshold: p.bonusThreshold ?? 0,
      amount: Money.of(p.bonusAmountMinor, p.currency),
    };
  }

  @FieldResolver(() => PlanProduct, { nullable: true }) product(@Root() p: CompPlan): PlanProduct | null {
    if (p.productDescription === null) return null;
    return { description: p.productDescription, declaredValue: Money.of(p.productValueMinor ?? 0, p.currency) };
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description: 'Paid under amended versions beyond what this one pays: not taken back; null when none.',
  })
  overpaid(@Root() p: CompPlan): Money | null {
    const sum = Object.values(p.carriedCredits ?? {}).reduce((s, v) => s + v, 0);
    return sum > 0 ? Money.of(sum, p.currency) : null;
  }

  @FieldResolver(() => [CompMilestone]) milestones(@Root() p: CompPlan, @Ctx() ctx: PaymentsContext): Promise<CompMilestone[]> {
    return ctx.services.compensationViews.milestonesOfPlan(ctx, p.id);
  }

  @FieldResolver(() => CommissionSummary, {
    nullable: true,
    description: "The partnership's commission (all its plans); null without a commission.",
  })
  commission(@Root() p: CompPlan, @Ctx() ctx: PaymentsContext): Promise<CommissionSummary | null> {
    return ctx.services.compensationViews.commissionOf(ctx, p);
  }
}

@Resolver(() => CompMilestone)
export class PaymentMilestoneResolver {
  @FieldResolver(() => Money, { description: 'What the contract says it pays.' }) amount(@Root() m: CompMilestone): Money {
    return Money.of(m.amountMinor, m.currency);
  }

  @FieldResolver(() => Money, { description: 'What an amended version already paid of it.' }) credited(@Root() m: CompMilestone): Money {
    return Money.of(m.creditMinor, m.currency);
  }

  @FieldResolver(() => Money, { description: 'What this milestone pays itself: amount less credited.' }) payable(
    @Root() m: CompMilestone,
  ): Money {
    return Money.of(m.payableMinor, m.currency);
  }

  @FieldResolver(() => Boolean, { description: 'DUE and waiting for the campaign’s escrow to be funded.' }) awaitingFunds(
    @Root() m: CompMilestone,
  ): boolean {
    return m.awaiting === 'INSUFFICIENT_FUNDS';
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The payout it was paid by; null for analysts.' })
  payoutId(@Root() m: CompMilestone, @Ctx() ctx: PaymentsContext): Promise<string | null> {
    return ctx.services.compensationViews.payoutIdOf(ctx, m);
  }
}

@Resolver(() => Campaign)
export class CampaignFundingRequestedResolver {
  @FieldResolver(() => Money, {
    nullable: true,
    description:
      "What the campaign's escrow must receive to pay what waits on it (due milestones, commission not accrued yet; 0 when nothing waits). After the campaign closed, fundCampaign takes up to this. Its brand's members and analysts see it; null for anyone else.",
  })
  fundingRequested(@Root() campaign: Campaign, @Ctx() ctx: PaymentsContext): Promise<Money | null> {
    return ctx.services.compensation.fundingRequestedOf(ctx, campaign.id);
  }
}
