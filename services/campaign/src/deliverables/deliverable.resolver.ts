import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../services';
import { Partnership } from '../partnerships/partnership.entity';
import { Deliverable, DeliverableReview, DeliverableSubmission } from './deliverable.entity';
import {
  BrandDeliverablesArgs,
  ContentLibraryArgs,
  DeliverableConnection,
  FlaggedContentArgs,
  ReviewDraftInput,
  ReviewQueueArgs,
  ReviewQueueConnection,
  SubmitDraftInput,
} from './deliverable.types';

@Resolver(() => Deliverable)
export class DeliverableResolver {
  @Query(() => Deliverable, { description: "A deliverable of your brand's partnerships, or your own as its creator." })
  deliverable(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<Deliverable> {
    return ctx.services.deliverables.get(ctx, id);
  }

  @Query(() => DeliverableConnection, { description: "The brand's flagged content, most recently flagged first." })
  flaggedContent(@Args() args: FlaggedContentArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.deliverables.flagged(ctx, args);
  }

  @Query(() => DeliverableConnection, {
    description: "The brand's deliverables across its campaigns, earliest due first: by status, overdue or not.",
  })
  deliverables(@Args() args: BrandDeliverablesArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.deliverables.forBrand(ctx, args);
  }

  @Query(() => ReviewQueueConnection, {
    description: 'What waits for the brand across its campaigns, earliest due first: drafts to review, overdue and flagged content.',
  })
  reviewQueue(@Args() args: ReviewQueueArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.deliverables.reviewQueue(ctx, args);
  }

  @Query(() => DeliverableConnection, {
    description: "The brand's content library: approved and posted content with its reuse permission and last day, newest first.",
  })
  contentLibrary(@Args() args: ContentLibraryArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.deliverables.library(ctx, args);
  }

  @Mutation(() => Deliverable, { description: 'The creator submits a draft (again after changes were requested).' })
  submitDraft(@Arg('input') input: SubmitDraftInput, @Ctx() ctx: CampaignContext): Promise<Deliverable> {
    return ctx.services.deliverables.submitDraft(ctx, input);
  }

  @Mutation(() => Deliverable, { description: 'The brand approves the latest draft or asks for changes (with comments).' })
  reviewDraft(@Arg('input') input: ReviewDraftInput, @Ctx() ctx: CampaignContext): Promise<Deliverable> {
    return ctx.services.deliverables.review(ctx, input);
  }

  @Mutation(() => Deliverable, {
    description: 'The creator marks an approved deliverable posted, with the post’s URL (the campaign must be active).',
  })
  markDeliverablePosted(
    @Arg('id', () => ID) id: string,
    @Arg('postUrl') postUrl: string,
    @Ctx() ctx: CampaignContext,
  ): Promise<Deliverable> {
    return ctx.services.deliverables.markPosted(ctx, id, postUrl);
  }

  @Mutation(() => Deliverable, { description: 'The brand confirms the post is live as approved (the campaign must be active).' })
  verifyDeliverable(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<Deliverable> {
    return ctx.services.deliverables.verify(ctx, id);
  }

  @Mutation(() => Deliverable, { description: 'The creator grants (or withdraws) the brand’s right to reuse this content.' })
  setUgcReuse(
    @Arg('id', () => ID) id: string,
    @Arg('allowed') allowed: boolean,
    @Arg('until', () => String, { nullable: true, description: 'The last day the brand may reuse it (ISO date); none: no end.' })
    until: string | null,
    @Ctx() ctx: CampaignContext,
  ): Promise<Deliverable> {
    return ctx.services.deliverables.setUgcReuse(ctx, id, allowed, until);
  }

  @Mutation(() => Deliverable, { description: 'The brand flags a piece of content with a reason (crisis handling); null clears the flag.' })
  flagContent(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: CampaignContext,
  ): Promise<Deliverable> {
    return ctx.services.deliverables.flag(ctx, id, reason);
  }

  @FieldResolver(() => [DeliverableSubmission], { description: 'Every draft, first to latest.' })
  submissions(@Root() d: Deliverable, @Ctx() ctx: CampaignContext): Promise<DeliverableSubmission[]> {
    return ctx.services.deliverables.submissions(ctx, d.id);
  }

  @FieldResolver(() => [DeliverableReview], { description: 'Every review, first to latest.' })
  reviews(@Root() d: Deliverable, @Ctx() ctx: CampaignContext): Promise<DeliverableReview[]> {
    return ctx.services.deliverables.reviews(ctx, d.id);
  }
}

@Resolver(() => Partnership)
export class PartnershipDeliverablesResolver {
  @FieldResolver(() => [Deliverable], { description: 'The posting schedule, one per promised piece, once the creator has accepted.' })
  deliverables(@Root() p: Partnership, @Ctx() ctx: CampaignContext): Promise<Deliverable[]> {
    return ctx.services.deliverables.ofPartnership(ctx, p.id);
  }
}

/** Federation: a deliverable asked for by another subgraph (the service decides who gets it). */
export function resolveDeliverableReference(ref: { id: string }, ctx: CampaignContext): Promise<Deliverable | null> {
  return ctx.services.deliverables.visibleReference(ctx, ref.id);
}
