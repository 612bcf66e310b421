import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../services';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignBrief } from './brief.entity';
import { PublishBriefInput } from './brief.types';

@Resolver(() => Campaign)
export class CampaignBriefResolver {
  @Mutation(() => CampaignBrief, { description: "Publishes the next version of a campaign's brief (earlier versions are kept)." })
  publishBrief(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('input') input: PublishBriefInput,
    @Ctx() ctx: CampaignContext,
  ): Promise<CampaignBrief> {
    return ctx.services.briefs.publish(ctx, campaignId, input);
  }

  @FieldResolver(() => CampaignBrief, { nullable: true, description: 'The latest version, or a given one.' })
  brief(
    @Root() campaign: Campaign,
    @Arg('version', () => Int, { nullable: true }) version: number | undefined,
    @Ctx() ctx: CampaignContext,
  ): Promise<CampaignBrief | null> {
    return version === undefined || version === null
      ? ctx.services.briefs.latest(ctx, campaign.id)
      : ctx.services.briefs.version(ctx, campaign.id, version);
  }

  @FieldResolver(() => [CampaignBrief], { description: 'Every published version, newest first.' })
  briefVersions(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<CampaignBrief[]> {
    return ctx.services.briefs.versions(ctx, campaign.id);
  }
}
