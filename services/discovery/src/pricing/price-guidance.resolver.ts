import { Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { Money, RequestContext } from '@influenceflow/kit';
import { Creator } from '../creators/creator.entity';
import { priceGuidance } from '../rules/price-guidance';

@ObjectType({ description: 'How the price guidance is discounted for an account that does not look fully genuine.' })
export class PriceAuthenticityDiscount {
  @Field(() => Float, { description: 'What low and high are multiplied by: 1 at an authenticity of 80 or more, falling to 0.1 at 20.' })
  factor: number;
  @Field(() => Int, { nullable: true, description: 'The authenticity score of the headline account; null when it has none (no discount).' })
  authenticityScore: number | null;
  @Field(() => String) reason: string;
}

@ObjectType({
  description:
    'What one post could cost: $0.10–$1.00 per engaged follower (followers × engagement rate), discounted by authenticity, next to the typical $500–$2,000 per post.',
})
export class PriceGuidance {
  @Field(() => Int, { description: 'followers × engagement rate, of the headline account' }) engagedFollowers: number;
  @Field(() => Money, { description: 'engaged followers × $0.10 × the authenticity discount factor' }) low: Money;
  @Field(() => Money, { description: 'engaged followers × $1.00 × the authenticity discount factor' }) high: Money;
  @Field(() => PriceAuthenticityDiscount) authenticityDiscount: PriceAuthenticityDiscount;
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
    const g = priceGuidance(creator.followers, creator.engagementRate, creator.authenticityScore);
    return {
      engagedFollowers: g.engagedFollowers,
      authenticityDiscount: g.discount,
      low: Money.of(g.lowMinor, g.currency),
      high: Money.of(g.highMinor, g.currency),
      typicalLow: Money.of(g.typicalLowMinor, g.currency),
      typicalHigh: Money.of(g.typicalHighMinor, g.currency),
    };
  }
}
