import { Arg, Args, Ctx, FieldResolver, GraphQLISODateTime, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PARTNER_EVENT_TYPES } from '@influenceflow/vocabulary';
import type { CampaignContext } from '../services';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entity';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveriesArgs,
  WebhookDeliveryConnection,
  WebhookEndpointWithSecret,
} from './webhook.types';
import { REPLAY_RANGE_CAP } from './webhook.service';

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Query(() => [WebhookEndpoint], { description: "A brand's webhook endpoints (its members and analysts; a partner: its own)." })
  webhookEndpoints(@Arg('brandId', () => ID) brandId: string, @Ctx() ctx: CampaignContext): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.list(ctx, brandId);
  }

  @Query(() => [String], {
    description:
      'The event types webhook endpoints and partner grants may name, in the catalogue order (docs/events.md): every campaign, contract, payment and conversion event but clicks, rate cards, messages and milestone reminders.',
  })
  subscribableEventTypes(): readonly string[] {
    return PARTNER_EVENT_TYPES;
  }

  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's delivery log, newest first." })
  webhookDeliveries(@Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.webhooks.deliveries(ctx, args);
  }

  @Mutation(() => WebhookEndpointWithSecret, { description: 'Creates an endpoint; its secret is shown this once.' })
  createWebhookEndpoint(@Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput, @Ctx() ctx: CampaignContext) {
    return ctx.services.webhooks.create(ctx, input);
  }

  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: CampaignContext,
  ): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.update(ctx, id, input);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'A new secret, shown this once; deliveries are signed with the previous one too for 24 hours.',
  })
  rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext) {
    return ctx.services.webhooks.rotateSecret(ctx, id);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Stops deliveries; they are kept and resume once enabled.' })
  disableWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.setEnabled(ctx, id, false);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Enables a disabled endpoint; its waiting deliveries are sent now.' })
  enableWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.setEnabled(ctx, id, true);
  }

  @Mutation(() => Boolean, { description: 'Deletes the endpoint, its deliveries and their log.' })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<boolean> {
    return ctx.services.webhooks.delete(ctx, id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a delivery again now, with the same webhook-id.' })
  replayWebhookDelivery(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<WebhookDelivery> {
    return ctx.services.webhooks.replay(ctx, id);
  }

  @Mutation(() => Int, {
    description: `Sends again the endpoint's deliveries queued in [from, to) that are not pending, at most ${REPLAY_RANGE_CAP} (the oldest; call again for more); how many.`,
  })
  replayWebhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Ctx() ctx: CampaignContext,
  ): Promise<number> {
    return ctx.services.webhooks.replayRange(ctx, endpointId, from, to);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => [WebhookAttempt], { description: 'Every attempt, oldest first.' })
  attempts(@Root() delivery: WebhookDelivery, @Ctx() ctx: CampaignContext): Promise<WebhookAttempt[]> {
    return ctx.services.webhooks.attempts(ctx, delivery.id);
  }

  @FieldResolver(() => ID, { description: 'The `webhook-id` header of every attempt (the event id).' })
  webhookId(@Root() delivery: WebhookDelivery): string {
    return delivery.eventId;
  }
}
