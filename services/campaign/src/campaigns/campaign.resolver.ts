import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../services';
import { Campaign } from './campaign.entity';
import { CampaignStatus } from './campaign-status';
import { CampaignCompletion, PartnershipCampaign } from './campaign-views.types';
import { Brand } from '../brands/brand.entity';
import { CampaignConnection, CampaignsArgs, CreateCampaignInput } from './campaign.types';

@Resolver(() => Campaign)
export class CampaignResolver {
  @Query(() => Campaign)
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<Campaign> {
    return ctx.services.campaigns.get(ctx, id);
  }

  @Query(() => CampaignConnection, { description: "A brand's campaigns, newest first." })
  campaigns(@Args() args: CampaignsArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.campaigns.list(ctx, args);
  }

  @Mutation(() => Campaign, { description: 'Creates a draft campaign for a brand you are a member of.' })
  createCampaign(@Arg('input') input: CreateCampaignInput, @Ctx() ctx: CampaignContext): Promise<Campaign> {
    return ctx.services.campaigns.create(ctx, input);
  }

  @Mutation(() => Campaign, {
    description:
      'Moves a campaign to another status (draft → active → paused → completed / cancelled); ending it ends its open partnerships. Nothing goes live after its last day.',
  })
  changeCampaignStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => CampaignStatus) status: CampaignStatus,
    @Ctx() ctx: CampaignContext,
  ): Promise<Campaign> {
    return ctx.services.campaigns.changeStatus(ctx, id, status);
  }

  @FieldResolver(() => CampaignCompletion, {
    nullable: true,
    description: 'Past its last day and still running: whether the scheduled task completes it next, or what holds it. Null otherwise.',
  })
  completion(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext) {
    return ctx.services.campaigns.completion(ctx, campaign);
  }

  @FieldResolver(() => [String], { description: 'Advice about the campaign as set up, e.g. a too-short run.' })
  warnings(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): string[] {
    return ctx.services.campaigns.warnings(campaign);
  }
}

@Resolver(() => PartnershipCampaign)
export class PartnershipCampaignResolver {
  @FieldResolver(() => Brand, { nullable: true, description: 'The brand running the campaign.' })
  brand(@Root() c: PartnershipCampaign, @Ctx() ctx: CampaignContext): Promise<Brand | null> {
    return ctx.services.brands.ofPartnership(ctx, c);
  }
}

/** Federation: a campaign asked for by another subgraph (the service decides who gets it). */
export function resolveCampaignReference(ref: { id: string }, ctx: CampaignContext): Promise<Campaign | null> {
  return ctx.services.campaigns.visibleReference(ctx, ref.id);
}
