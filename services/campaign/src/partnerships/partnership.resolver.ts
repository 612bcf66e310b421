import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../services';
import { Brand } from '../brands/brand.entity';
import { CampaignBrief } from '../briefs/brief.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { PartnershipCampaign } from '../campaigns/campaign-views.types';
import { Creator } from '../creators/creator.types';
import { PartnershipOffer } from '../negotiation/offer.entity';
import { OfferAssessment, OfferTermsInput } from '../negotiation/offer.types';
import { Partnership } from './partnership.entity';
import { PartnershipStatus } from './partnership-status';
import { InviteCreatorInput, PartnershipConnection, PartnershipsArgs } from './partnership.types';

@Resolver(() => Partnership)
export class PartnershipResolver {
  @Query(() => Partnership, { description: 'A partnership of your brand, or your own as its creator.' })
  partnership(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<Partnership> {
    return ctx.services.partnerships.get(ctx, id);
  }

  @Query(() => PartnershipConnection, { description: 'Your partnerships as a creator, invitations among them; newest first.' })
  myPartnerships(@Args() args: PartnershipsArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.partnerships.mine(ctx, args);
  }

  @Mutation(() => Partnership, { description: 'Invites a creator to a campaign with terms (the campaign needs a published brief).' })
  inviteCreator(@Arg('input') input: InviteCreatorInput, @Ctx() ctx: CampaignContext): Promise<Partnership> {
    return ctx.services.partnerships.invite(ctx, input);
  }

  @Mutation(() => Partnership, {
    description:
      'Answers the latest offer: the invited creator accepts (agreeing to the latest brief) or declines; after a counter-offer, the side that did not make it. Accepting makes that offer’s terms the partnership’s.',
  })
  respondToInvitation(
    @Arg('id', () => ID) id: string,
    @Arg('accept') accept: boolean,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: CampaignContext,
  ): Promise<Partnership> {
    return ctx.services.partnerships.respond(ctx, id, accept, reason);
  }

  @Mutation(() => PartnershipOffer, {
    description:
      'Proposes other terms while the invitation is open: only the side that did not make the latest offer; the other side then accepts, declines or counters.',
  })
  counterOffer(
    @Arg('id', () => ID) id: string,
    @Arg('terms', () => OfferTermsInput) terms: OfferTermsInput,
    @Ctx() ctx: CampaignContext,
  ): Promise<PartnershipOffer> {
    return ctx.services.partnerships.counter(ctx, id, terms);
  }

  @Mutation(() => Partnership, {
    description:
      'The brand activates, pauses, resumes (ACTIVE), completes or terminates a partnership; pausing and terminating need a reason.',
  })
  changePartnershipStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => PartnershipStatus) status: PartnershipStatus,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: CampaignContext,
  ): Promise<Partnership> {
    return ctx.services.partnerships.changeStatus(ctx, id, status, reason);
  }

  @Mutation(() => Partnership, { description: 'The brand gives the partnership another discount code (3–20 letters and digits).' })
  setDiscountCode(@Arg('id', () => ID) id: string, @Arg('code') code: string, @Ctx() ctx: CampaignContext): Promise<Partnership> {
    return ctx.services.partnerships.setDiscountCode(ctx, id, code);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The tracking link to share (/r/<slug>): it redirects to the landing page with UTM parameters and counts the click.',
  })
  trackingLink(@Root() p: Partnership, @Ctx() ctx: CampaignContext): string | null {
    return ctx.services.tracking.trackingUrl(ctx, p);
  }

  @FieldResolver(() => Campaign, {
    nullable: true,
    description: "The brand's campaign (budget, goal, audience): null for the creator, who has campaignOverview.",
  })
  campaign(@Root() p: Partnership, @Ctx() ctx: CampaignContext): Promise<Campaign | null> {
    return ctx.services.campaigns.ofPartnership(ctx, p);
  }

  @FieldResolver(() => PartnershipCampaign, {
    nullable: true,
    description: 'The campaign as both sides see it: name, brand, status, dates and the brief version accepted.',
  })
  campaignOverview(@Root() p: Partnership, @Ctx() ctx: CampaignContext): Promise<PartnershipCampaign | null> {
    return ctx.services.campaigns.overviewOfPartnership(ctx, p);
  }

  @FieldResolver(() => CampaignBrief, {
    nullable: true,
    description: 'The brief the creator accepted, or (before they answer) the latest one: what the invitation shows.',
  })
  brief(@Root() p: Partnership, @Ctx() ctx: CampaignContext): Promise<CampaignBrief | null> {
    return ctx.services.briefs.ofPartnership(ctx, p);
  }

  @FieldResolver(() => [PartnershipOffer], {
    description: 'Every round of terms, the invitation first; the latest awaits its answer while the partnership is invited.',
  })
  offers(@Root() p: Partnership, @Ctx() ctx: CampaignContext): Promise<PartnershipOffer[]> {
    return ctx.services.partnerships.offers(ctx, p);
  }

  @FieldResolver(() => OfferAssessment, {
    description:
      "The partnership's terms beside the creator's rate card (the prices valid today, UTC). Price guidance (from the creator's audience) is on creator { priceGuidance }.",
  })
  assessment(@Root() p: Partnership, @Ctx() ctx: CampaignContext): Promise<OfferAssessment> {
    return ctx.services.partnerships.assess(ctx, p.creatorId, p);
  }

  @FieldResolver(() => Creator)
  creator(@Root() p: Partnership): Creator {
    return { id: p.creatorId };
  }

  @FieldResolver(() => Brand, { nullable: true })
  brand(@Root() p: Partnership, @Ctx() ctx: CampaignContext): Promise<Brand | null> {
    return ctx.services.brands.ofPartnership(ctx, p);
  }
}

@Resolver(() => PartnershipOffer)
export class PartnershipOfferResolver {
  @FieldResolver(() => OfferAssessment, {
    description: "This offer's terms beside the creator's rate card as it stood the day the offer was made (UTC).",
  })
  async assessment(@Root() o: PartnershipOffer, @Ctx() ctx: CampaignContext): Promise<OfferAssessment> {
    const p = await ctx.services.partnerships.get(ctx, o.partnershipId);
    return ctx.services.partnerships.assess(ctx, p.creatorId, o, o.createdAt);
  }
}

@Resolver(() => Campaign)
export class CampaignPartnershipsResolver {
  @FieldResolver(() => PartnershipConnection, { description: "The campaign's partnerships, newest first." })
  partnerships(@Root() campaign: Campaign, @Args() args: PartnershipsArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.partnerships.forCampaign(ctx, campaign, args);
  }
}

@Resolver(() => Creator)
export class CreatorPartnershipsResolver {
  @FieldResolver(() => PartnershipConnection, {
    description: "The creator's partnerships you may see: all for the creator, your brands' for brand members.",
  })
  partnerships(@Root() creator: Creator, @Args() args: PartnershipsArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.partnerships.forCreator(ctx, creator.id, args);
  }
}

@Resolver(() => Brand)
export class BrandPastPartnersResolver {
  @FieldResolver(() => [Creator], { description: 'Creators who completed a partnership with the brand: candidates for repeat work.' })
  async pastPartners(@Root() brand: Brand, @Ctx() ctx: CampaignContext): Promise<Creator[]> {
    return (await ctx.services.partnerships.pastPartners(ctx, brand.id)).map((id) => ({ id }));
  }
}

/** Federation: a partnership asked for by another subgraph (the service decides who gets it). */
export function resolvePartnershipReference(ref: { id: string }, ctx: CampaignContext): Promise<Partnership | null> {
  return ctx.services.partnerships.visibleReference(ctx, ref.id);
}
