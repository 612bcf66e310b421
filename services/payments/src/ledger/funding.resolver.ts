import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../services';
import { Brand, BrandBalance, Campaign, CampaignFunding, CampaignSpend, FundCampaignInput } from './funding.types';

@Resolver(() => CampaignFunding)
export class FundingResolver {
  @Mutation(() => CampaignFunding, {
    description:
      "Moves money from your brand into one of its campaigns' escrow, in the campaign's currency (brand members). Payouts draw from it; what is left returns to the brand when the campaign completes or is cancelled.",
  })
  fundCampaign(@Arg('input', () => FundCampaignInput) input: FundCampaignInput, @Ctx() ctx: PaymentsContext): Promise<CampaignFunding> {
    return ctx.services.funding.fund(ctx, input);
  }
}

@Resolver(() => Campaign)
export class CampaignSpendResolver {
  @FieldResolver(() => CampaignSpend, {
    nullable: true,
    description:
      "The campaign's funding, escrow and spend; its brand's members and analysts see it (null for anyone else, and before payments has heard of the campaign).",
  })
  spend(@Root() campaign: Campaign, @Ctx() ctx: PaymentsContext): Promise<CampaignSpend | null> {
    return ctx.services.funding.spendOf(ctx, campaign.id);
  }
}

@Resolver(() => Brand)
export class BrandBalanceResolver {
  @FieldResolver(() => [BrandBalance], {
    nullable: true,
    description:
      "The brand's money per currency: funded, returned, in escrow, spent; its members and analysts see it (null for anyone else).",
  })
  balance(@Root() brand: Brand, @Ctx() ctx: PaymentsContext): Promise<BrandBalance[] | null> {
    return ctx.services.funding.balanceOf(ctx, brand);
  }
}
