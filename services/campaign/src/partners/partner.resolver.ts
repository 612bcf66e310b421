import { PageArgs } from '@influenceflow/kit';
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { CampaignContext } from '../services';
import { PartnerClient, PartnerGrant } from './partner.entity';
import {
  GrantPartnerAccessInput,
  PartnerClientConnection,
  PartnerClientWithSecret,
  PartnerGrantConnection,
  PartnerProfile,
} from './partner.types';

@Resolver(() => PartnerClient)
export class PartnerResolver {
  @Query(() => PartnerClientConnection, { description: 'Registered partner platforms, newest first (admins).' })
  partnerClients(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.partners.list(ctx, args);
  }

  @Query(() => PartnerGrantConnection, { description: "A brand's live grants to partner platforms (its members and analysts)." })
  partnerGrants(@Arg('brandId', () => ID) brandId: string, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.partners.grants(ctx, brandId, args);
  }

  @Query(() => PartnerProfile, { description: 'The partner platform calling (a partner token): itself and its live grants.' })
  partnerMe(@Ctx() ctx: CampaignContext): Promise<PartnerProfile> {
    return ctx.services.partners.me(ctx);
  }

  @Mutation(() => PartnerClientWithSecret, { description: 'Registers a partner platform (admins); its secret is shown this once.' })
  registerPartnerClient(@Arg('name', () => String) name: string, @Ctx() ctx: CampaignContext) {
    return ctx.services.partners.register(ctx, name);
  }

  @Mutation(() => PartnerClientWithSecret, {
    description:
      'A new client secret, shown this once; the previous one keeps working for 24 hours, or stops at once with endPrevious (a leaked secret) (admins).',
  })
  rotatePartnerClientSecret(
    @Arg('id', () => ID) id: string,
    @Arg('endPrevious', () => Boolean, { nullable: true, description: 'True: the previous secret stops now (default false).' })
    endPrevious: boolean | null,
    @Ctx() ctx: CampaignContext,
  ) {
    return ctx.services.partners.rotateSecret(ctx, id, endPrevious === true);
  }

  @Mutation(() => PartnerClient, { description: 'A disabled client is issued tokens again, and its live grants give again (admins).' })
  enablePartnerClient(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<PartnerClient> {
    return ctx.services.partners.enable(ctx, id);
  }

  @Mutation(() => PartnerClient, { description: 'No token is issued to it any more and its grants give nothing (admins).' })
  disablePartnerClient(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<PartnerClient> {
    return ctx.services.partners.disable(ctx, id);
  }

  @Mutation(() => PartnerGrant, {
    description: "Grants a partner platform a brand's events (its members); a live grant to it has its event types replaced.",
  })
  grantPartnerAccess(@Arg('input', () => GrantPartnerAccessInput) input: GrantPartnerAccessInput, @Ctx() ctx: CampaignContext) {
    return ctx.services.partners.grant(ctx, input);
  }

  @Mutation(() => PartnerGrant, { description: "Revokes a grant at once: the partner's webhooks and live events of the brand stop." })
  revokePartnerAccess(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<PartnerGrant> {
    return ctx.services.partners.revoke(ctx, id);
  }
}
