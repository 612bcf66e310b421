import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { RateCardEntry } from './rate-card-entry.entity';
import { RateCardService } from './rate-card.service';
import { Creator, RateCardEntryInput } from './rate-card.types';

const rateCards = new RateCardService();

@Resolver(() => RateCardEntry)
export class RateCardResolver {
  @Query(() => [RateCardEntry], { description: 'Your own rate card (creators).' })
  myRateCard(@Ctx() ctx: RequestContext): Promise<RateCardEntry[]> {
    return rateCards.mine(ctx);
  }

  @Mutation(() => RateCardEntry, { description: 'Sets your price for a format on a platform (replaces the previous one).' })
  setRateCardEntry(@Arg('input', () => RateCardEntryInput) input: RateCardEntryInput, @Ctx() ctx: RequestContext): Promise<RateCardEntry> {
    return rateCards.set(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Removes one of your rate card entries.' })
  removeRateCardEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return rateCards.remove(ctx, id);
  }
}

@Resolver(() => Creator)
export class CreatorRateCardResolver {
  @FieldResolver(() => [RateCardEntry], { description: "The creator's published prices per platform and format." })
  rateCard(@Root() creator: Creator, @Ctx() ctx: RequestContext): Promise<RateCardEntry[]> {
    return rateCards.forCreator(ctx, creator.id);
  }
}
