import { notFound, RequestContext } from '@influenceflow/kit';
import { LIVE_EVENT_TYPES, PARTNER_EVENT_TYPES } from '@influenceflow/vocabulary';
import { Partnership } from '../partnerships/partnership.entity';
import { grantedEventTypes } from '../partners/partner-grants';
import type { CampaignService } from '../campaigns/campaign.service';
import type { CampaignLiveAccess } from './live-access.types';

/**
 * Who may listen to a campaign's live events, and to which: the brand's members and analysts (and admins)
 * to every live type; a creator to their own partnerships' events in it; a partner to the types its live
 * grant for the campaign's brand gives (and that partners may have at all). Anyone else gets NOT_FOUND, as
 * the `campaign` query answers them: no one learns that a campaign they cannot read exists.
 */
export class LiveAccessService {
  constructor(private readonly campaigns: CampaignService) {}

  async access(ctx: RequestContext, campaignId: string): Promise<CampaignLiveAccess> {
    const identity = ctx.requireIdentity();
    const campaign = await this.campaigns.load(ctx, campaignId);
    if (!campaign) throw notFound('Campaign', campaignId);
    const granted = { campaignId: campaign.id, brandId: campaign.brandId };
    if (ctx.canActForBrand(campaign.brandId, ['brand_member', 'analyst'])) {
      return { ...granted, eventTypes: [...LIVE_EVENT_TYPES], partnershipIds: null };
    }
    if (identity.roles.includes('partner')) {
      // the grant is read live: a revoked grant ends access at the next check, not at token expiry
      const types = identity.brandIds.includes(campaign.brandId)
        ? await grantedEventTypes(ctx.dataSource.manager, identity.sub, campaign.brandId)
        : [];
      const eventTypes = LIVE_EVENT_TYPES.filter((t) => types.includes(t) && (PARTNER_EVENT_TYPES as readonly string[]).includes(t));
      if (eventTypes.length > 0) return { ...granted, eventTypes, partnershipIds: null };
    }
    if (identity.roles.includes('creator') && identity.creatorId) {
      const own = await ctx.dataSource
        .getRepository(Partnership)
        .find({ where: { campaignId: campaign.id, creatorId: identity.creatorId }, select: ['id'] });
      if (own.length > 0) return { ...granted, eventTypes: [...LIVE_EVENT_TYPES], partnershipIds: own.map((p) => p.id) };
    }
    throw notFound('Campaign', campaignId);
  }
}
