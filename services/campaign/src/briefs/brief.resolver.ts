import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignBrief } from './brief.entity';
import { BriefService } from './brief.service';
import { PublishBriefInput } from './brief.types';

const briefs = new BriefService();

@Resolver(() => Campaign)
export class CampaignBriefResolver {
  @Mutation(() => CampaignBrief, { description: "Publishes the next version of a campaign's brief (earlier versions are kept)." })
  publishBrief(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('input') input: PublishBriefInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignBrief> {
    return briefs.publish(ctx, campaignId, input);
  }

  @FieldResolver(() => CampaignBrief, { nullable: true, description: 'The latest version, or a given one.' })
  brief(
    @Root() campaign: Campaign,
    @Arg('version', () => Int, { nullable: true }) version: number | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignBrief | null> {
    return version === undefined || version === null ? briefs.latest(ctx, campaign.id) : briefs.version(ctx, campaign.id, version);
  }

  @FieldResolver(() => [CampaignBrief], { description: 'Every published version, newest first.' })
  briefVersions(@Root() campaign: Campaign, @Ctx() ctx: RequestContext): Promise<CampaignBrief[]> {
    return briefs.versions(ctx, campaign.id);
  }
}
