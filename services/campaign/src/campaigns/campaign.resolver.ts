import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { Campaign } from './campaign.entity';
import { CampaignStatus } from './campaign-status';
import { CampaignService } from './campaign.service';
import { CampaignConnection, CampaignsArgs, CreateCampaignInput } from './campaign.types';

const campaigns = new CampaignService();

@Resolver(() => Campaign)
export class CampaignResolver {
  @Query(() => Campaign)
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Campaign> {
    return campaigns.get(ctx, id);
  }

  @Query(() => CampaignConnection, { description: "A brand's campaigns, newest first." })
  campaigns(@Args() args: CampaignsArgs, @Ctx() ctx: RequestContext) {
    return campaigns.list(ctx, args);
  }

  @Mutation(() => Campaign, { description: 'Creates a draft campaign for a brand you are a member of.' })
  createCampaign(@Arg('input') input: CreateCampaignInput, @Ctx() ctx: RequestContext): Promise<Campaign> {
    return campaigns.create(ctx, input);
  }

  @Mutation(() => Campaign, { description: 'Moves a campaign to another status (draft → active → paused → completed / cancelled).' })
  changeCampaignStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => CampaignStatus) status: CampaignStatus,
    @Ctx() ctx: RequestContext,
  ): Promise<Campaign> {
    return campaigns.changeStatus(ctx, id, status);
  }

  @FieldResolver(() => [String], { description: 'Advice about the campaign as set up, e.g. a too-short run.' })
  warnings(@Root() campaign: Campaign): string[] {
    return campaigns.warnings(campaign);
  }
}

/** Federation: a campaign is resolved for another subgraph only for callers who may see it. */
export async function resolveCampaignReference(ref: { id: string }, ctx: RequestContext): Promise<Campaign | null> {
  const campaign = await campaigns.load(ctx, ref.id);
  return campaign && ctx.canActForBrand(campaign.brandId, ['brand_member', 'analyst']) ? campaign : null;
}
