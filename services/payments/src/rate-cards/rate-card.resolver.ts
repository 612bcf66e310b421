import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../services';
import { RateCardEntry } from './rate-card-entry.entity';
import { Creator, CreatorRateCardArgs, MyRateCardArgs, RateCardEntryInput } from './rate-card.types';

@Resolver(() => RateCardEntry)
export class RateCardResolver {
  @Query(() => [RateCardEntry], { description: 'Your own rate card (creators): every line, or those valid on a day.' })
  myRateCard(@Args(() => MyRateCardArgs) args: MyRateCardArgs, @Ctx() ctx: PaymentsContext): Promise<RateCardEntry[]> {
    return ctx.services.rateCards.mine(ctx, args.on);
  }

  @Mutation(() => RateCardEntry, {
    description:
      'Sets your price for a format on a platform from validFrom (left out: from today, the previous price ending yesterday); the same start replaces it, an overlapping period is a CONFLICT.',
  })
  setRateCardEntry(@Arg('input', () => RateCardEntryInput) input: RateCardEntryInput, @Ctx() ctx: PaymentsContext): Promise<RateCardEntry> {
    return ctx.services.rateCards.set(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Removes one of your rate card entries.' })
  removeRateCardEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: PaymentsContext): Promise<boolean> {
    return ctx.services.rateCards.remove(ctx, id);
  }
}

@Resolver(() => Creator)
export class CreatorRateCardResolver {
  @FieldResolver(() => [RateCardEntry], {
    description: "The creator's published prices per platform and format, valid on a day (default today).",
  })
  rateCard(
    @Root() creator: Creator,
    @Args(() => CreatorRateCardArgs) args: CreatorRateCardArgs,
    @Ctx() ctx: PaymentsContext,
  ): Promise<RateCardEntry[]> {
    return ctx.services.rateCards.forCreator(ctx, creator.id, args.on);
  }
}
