import { ArgsType, Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Money } from '@influenceflow/kit';
import { metricsOf, Totals } from './formulas';

/** The campaign subgraph's entity, extended here with its results. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Partnership {
  @Field(() => ID) id: string;
}

/** The discovery subgraph's entity, extended here with its performance in campaigns. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Creator {
  @Field(() => ID) id: string;
}

export enum ReportInterval {
  DAY = 'day',
  WEEK = 'week',
}
registerEnumType(ReportInterval, { name: 'ReportInterval', description: 'The period of a time series: UTC days, or weeks from Monday.' });

export enum ComparisonDimension {
  PLATFORM = 'platform',
  TIER = 'tier',
}
registerEnumType(ComparisonDimension, {
  name: 'ComparisonDimension',
  description: "What a comparison groups partnerships by: their main platform or their creator's tier.",
});

export enum LeaderboardOrder {
  REVENUE = 'revenue',
  ROI = 'roi',
  ORDERS = 'orders',
  ENGAGEMENT_RATE = 'engagementRateByReach',
  CLICKS = 'clicks',
}
registerEnumType(LeaderboardOrder, { name: 'LeaderboardOrder', description: 'What ranks creators (highest first; unknown figures last).' });

@ObjectType({ description: 'Comments by sentiment: counts, and each as a percent of the classified comments (null without any).' })
export class SentimentShares {
  @Field(() => Int) positive: number;
  @Field(() => Int) neutral: number;
  @Field(() => Int) negative: number;
  @Field(() => Float, { nullable: true }) positivePercent: number | null;
  @Field(() => Float, { nullable: true }) neutralPercent: number | null;
  @Field(() => Float, { nullable: true }) negativePercent: number | null;
}

@ObjectType({
  description:
    'Measured results of a scope (a campaign, a partnership, a creator, a platform, a tier), every figure as docs/metrics.md defines it. Percentages are percent numbers (5 = 5 %); a division by zero is null.',
})
export class Results {
  @Field(() => GraphQLSafeInt, { description: "Σ reach of the posts' latest snapshots." }) reach: number;
  @Field(() => GraphQLSafeInt) impressions: number;
  @Field(() => GraphQLSafeInt, { description: 'likes + comments + shares.' }) engagements: number;
  @Field(() => Float, { nullable: true, description: 'engagements ÷ reach × 100.' }) engagementRateByReach: number | null;
  @Field(() => GraphQLSafeInt, { description: 'Human clicks on the tracking links.' }) clicks: number;
  @Field(() => GraphQLSafeInt, { description: 'Clicks by bots and link previews: recorded, not counted.' }) uncountedClicks: number;
  @Field(() => Float, { nullable: true, description: 'clicks ÷ impressions × 100.' }) ctr: number | null;
  @Field(() => GraphQLSafeInt, { description: 'Attributed orders not fully refunded.' }) orders: number;
  @Field(() => Money, { description: 'Σ order totals − Σ refunds.' }) revenue: Money;
  @Field(() => Money, { description: 'Σ refunds of those orders.' }) refunds: Money;
  @Field(() => Float, { nullable: true, description: 'orders ÷ clicks × 100.' }) conversionRate: number | null;
  @Field(() => Money, { description: 'Compensation accrued (paid or pending) plus the declared value of products given.' }) spend: Money;
  @Field(() => Money, { nullable: true, description: 'spend ÷ orders.' }) cpa: Money | null;
  @Field(() => Float, { nullable: true, description: 'revenue ÷ spend (a ratio: 2.5 = revenue is 2.5 times spend).' }) roi: number | null;
  @Field(() => Money, { nullable: true, description: 'spend ÷ engagements.' }) costPerEngagement: Money | null;
  @Field(() => GraphQLSafeInt, { description: 'Other conversions (leads, sign-ups, installs) attributed.' }) conversions: number;
  @Field(() => GraphQLSafeInt, { description: "Orders that were their customer's first with the brand." }) newCustomerOrders: number;
  @Field(() => GraphQLSafeInt) returningCustomerOrders: number;
  @Field(() => GraphQLSafeInt, { description: 'Customers whose first attributed order this scope credited.' }) referredCustomers: number;
  @Field(() => Float, { nullable: true, description: 'Of the referred customers, the percent who ordered again within 90 days.' })
  repeatPurchaseRate: number | null;
  @Field(() => SentimentShares) sentiment: SentimentShares;
  @Field(() => GraphQLSafeInt, { description: 'Comments that name the brand or its products.' }) mentions: number;
  @Field(() => GraphQLSafeInt, { description: 'Deliverables whose draft the brand approved.' }) approvedDeliverables: number;
}

/** The GraphQL results of a scope's totals, in its currency. */
export function resultsOf(t: Totals, currency: string): Results {
  const m = metricsOf(t);
  const money = (v: number | null) => (v === null ? null : Money.of(v, currency));
  return Object.assign(new Results(), {
    reach: t.reach,
    impressions: t.impressions,
    engagements: m.engagements!,
    engagementRateByReach: m.engagementRateByReach,
    clicks: t.clicks,
    uncountedClicks: t.uncountedClicks,
    ctr: m.ctr,
    orders: t.orders,
    revenue: Money.of(m.revenue!, currency),
    refunds: Money.of(t.refundsMinor, currency),
    conversionRate: m.conversionRate,
    spend: Money.of(t.spendMinor, currency),
    cpa: money(m.cpa),
    roi: m.roi,
    costPerEngagement: money(m.costPerEngagement),
    conversions: t.conversions,
    newCustomerOrders: t.newCustomers,
    returningCustomerOrders: t.returningCustomers,
    referredCustomers: t.referredCustomers,
    repeatPurchaseRate: m.repeatPurchaseRate,
    sentiment: Object.assign(new SentimentShares(), {
      positive: t.positive,
      neutral: t.neutral,
      negative: t.negative,
      positivePercent: m.positivePercent,
      neutralPercent: m.neutralPercent,
      negativePercent: m.negativePercent,
    }),
    mentions: t.mentions,
    approvedDeliverables: t.approvedDeliverables,
  });
}

@ObjectType({ description: "Progress against the campaign's numeric goal: the goal's metric ÷ its target × 100." })
export class GoalProgress {
  @Field(() => String, {
    description: 'awareness (reach), traffic (clicks), sales (orders), engagement (engagements), content (approved deliverables).',
  })
  goalType: string;
  @Field(() => Float) target: number;
  @Field(() => Float, { description: "The goal's metric so far." }) value: number;
  @Field(() => Float, { nullable: true, description: 'Above 100 once the target is passed; null for a 0 target.' }) percent: number | null;
}

@ObjectType({ description: 'One period of a time series.' })
export class ReportPeriod {
  @Field(() => String, { description: 'ISO date the period starts on (UTC; weeks start on Monday).' }) period: string;
  @Field(() => GraphQLSafeInt) clicks: number;
  @Field(() => GraphQLSafeInt) orders: number;
  @Field(() => Money) revenue: Money;
  @Field(() => Money) spend: Money;
  @Field(() => GraphQLSafeInt) conversions: number;
  @Field(() => SentimentShares) sentiment: SentimentShares;
}

@ObjectType({ description: 'A group of partnerships in a report: a creator, a platform or a tier, with its results.' })
export class ResultGroup {
  @Field(() => String, { description: 'The creator id, the platform (instagram, …) or the tier (nano, micro, macro, mega; unknown).' })
  key: string;
  @Field(() => String, { description: "What people read: the creator's name and handle, the platform, the tier." }) label: string;
  @Field(() => Int, { description: 'Partnerships in the group.' }) partnerships: number;
  @Field(() => Results) results: Results;
}

@ObjectType({ description: "A campaign's report: results, goal progress, time series, creators ranked, and comparisons." })
export class CampaignReport {
  @Field(() => ID) campaignId: string;
  @Field(() => String) name: string;
  @Field(() => String) currency: string;
  @Field(() => String) status: string;
  @Field(() => Int, { description: 'Days after a click in which an order is credited to it.' }) attributionWindowDays: number;
  @Field(() => String, { nullable: true, description: 'ISO date the campaign starts on.' }) startsOn: string | null;
  @Field(() => String, { nullable: true, description: 'ISO date the campaign ends on.' }) endsOn: string | null;
  @Field(() => Results) results: Results;
  @Field(() => GoalProgress, { nullable: true }) goal: GoalProgress | null;
  @Field(() => [ReportPeriod]) series: ReportPeriod[];
  @Field(() => [ResultGroup], { description: 'Creators by revenue, then clicks.' }) creators: ResultGroup[];
  @Field(() => [ResultGroup]) platforms: ResultGroup[];
  @Field(() => [ResultGroup]) tiers: ResultGroup[];
}

@ArgsType()
export class ReportArgs {
  @Field(() => ID) campaignId: string;
  // no GraphQL default for an enum argument (docs/pitfalls.md): the service's is DAY
  @Field(() => ReportInterval, { nullable: true, description: 'DAY unless given.' }) interval?: ReportInterval | null;
  @Field(() => String, { nullable: true, description: 'ISO date: the first day counted (default: all).' }) from?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO date: the last day counted (default: all).' }) to?: string | null;
}

@ArgsType()
export class BrandResultsArgs {
  @Field(() => ID) brandId: string;
  @Field(() => String, {
    nullable: true,
    description: "ISO 4217: the campaigns in this currency (default: the brand's, when all its campaigns use one).",
  })
  currency?: string | null;
}

@ArgsType()
export class LeaderboardArgs extends BrandResultsArgs {
  @Field(() => LeaderboardOrder, { nullable: true, description: 'REVENUE unless given.' }) orderBy?: LeaderboardOrder | null;
  @Field(() => Int, { defaultValue: 20, description: 'At most 100.' }) first: number;
}

@ArgsType()
export class ComparisonArgs extends BrandResultsArgs {
  @Field(() => ComparisonDimension) by: ComparisonDimension;
  @Field(() => ID, { nullable: true, description: 'Only this campaign of the brand.' }) campaignId?: string | null;
}

@ObjectType({
  description: "A creator's results in campaigns: the caller's brands' (members, analysts), or all of them (the creator, admins).",
})
export class CreatorPerformance {
  @Field(() => String) currency: string;
  @Field(() => Int) partnerships: number;
  @Field(() => Results) results: Results;
}
