import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { Money, RequestContext } from '@influenceflow/kit';
import { Creator } from '../creators/creator.entity';
import { priceGuidance } from '../rules/price-guidance';

@ObjectType({
  description:
    'What one post could cost: $0.10–$1.00 per engaged follower (followers × engagement rate), next to the typical $500–$2,000 per post.',
})
export class PriceGuidance {
  @Field(() => Int, { description: 'followers × engagement rate, of the headline account' }) engagedFollowers: number;
  @Field(() => Money, { description: 'engaged followers × $0.10' }) low: Money;
  @Field(() => Money, { description: 'engaged followers × $1.00' }) high: Money;
  @Field(() => Money) typicalLow: Money;
  @Field(() => Money) typicalHigh: Money;
}

@Resolver(() => Creator)
export class PriceGuidanceResolver {
  @FieldResolver(() => PriceGuidance, {
    nullable: true,
    description: "Null without an engagement rate. Shown beside the creator's own rate card (`rateCard`, from payments).",
  })
  priceGuidance(@Root() creator: Creator, @Ctx() _ctx: RequestContext): PriceGuidance | null {
    if (creator.engagementRate === null) return null;
    const g = priceGuidance(creator.followers, creator.engagementRate);
    return {
      engagedFollowers: g.engagedFollowers,
      low: Money.of(g.lowMinor, g.currency),
      high: Money.of(g.highMinor, g.currency),
      typicalLow: Money.of(g.typicalLowMinor, g.currency),
      typicalHigh: Money.of(g.typicalHighMinor, g.currency),
    };
  }
}
