import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../services';
import { RateCardEntry } from './rate-card-entry.entity';
import { Creator, RateCardEntryInput } from './rate-card.types';

@Resolver(() => RateCardEntry)
export class RateCardResolver {
  @Query(() => [RateCardEntry], { description: 'Your own rate card (creators).' })
  myRateCard(@Ctx() ctx: PaymentsContext): Promise<RateCardEntry[]> {
    return ctx.services.rateCards.mine(ctx);
  }

  @Mutation(() => RateCardEntry, { description: 'Sets your price for a format on a platform (replaces the previous one).' })
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
  @FieldResolver(() => [RateCardEntry], { description: "The creator's published prices per platform and format." })
  rateCard(@Root() creator: Creator, @Ctx() ctx: PaymentsContext): Promise<RateCardEntry[]> {
    return ctx.services.rateCards.forCreator(ctx, creator.id);
  }
}
