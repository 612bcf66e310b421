import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { PaymentsContext } from '../services';
import { BrandRateCardEntry } from './brand-rate-card.entity';
import { BrandRateCardArgs, BrandRateCardEntryInput } from './brand-rate-card.types';

@Resolver(() => BrandRateCardEntry)
export class BrandRateCardResolver {
  @Query(() => [BrandRateCardEntry], { description: "A brand's standard pricing (its members and analysts)." })
  brandRateCard(@Args(() => BrandRateCardArgs) args: BrandRateCardArgs, @Ctx() ctx: PaymentsContext): Promise<BrandRateCardEntry[]> {
    return ctx.services.brandRateCards.list(ctx, args);
  }

  @Mutation(() => BrandRateCardEntry, {
    description:
      "Sets a line of the brand's standard pricing from validFrom (left out: from today, the previous price ending yesterday); the same start replaces it, an overlapping period is a CONFLICT.",
  })
  setBrandRateCardEntry(
    @Arg('input', () => BrandRateCardEntryInput) input: BrandRateCardEntryInput,
    @Ctx() ctx: PaymentsContext,
  ): Promise<BrandRateCardEntry> {
    return ctx.services.brandRateCards.set(ctx, input);
  }

  @Mutation(() => Boolean, { description: "Removes a line of the brand's standard pricing." })
  removeBrandRateCardEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: PaymentsContext): Promise<boolean> {
    return ctx.services.brandRateCards.remove(ctx, id);
  }
}
