import { ArgsType, Field, GraphQLISODateTime, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType, PageArgs } from '@influenceflow/kit';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from './webhook.entity';

@InputType({ description: 'A new webhook endpoint of a brand.' })
export class CreateWebhookEndpointInput {
  @Field(() => ID) brandId: string;
  @Field(() => String, { description: 'An https:// URL on the public internet.' }) url: string;
  @Field(() => [String], { description: 'The event types to receive (docs/webhooks.md lists them).' }) eventTypes: string[];
  @Field(() => String, { nullable: true }) description?: string | null;
}

@InputType({ description: 'What changes of an endpoint; fields left out stay.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [String], { nullable: true }) eventTypes?: string[] | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}

@ObjectType({ description: 'An endpoint and its signing secret, shown this once (`whsec_` + base64).' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint: WebhookEndpoint;
  @Field(() => String) secret: string;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery);

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @Field(() => ID) endpointId: string;
  @Field(() => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Deliveries queued at or after this instant.' }) from?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Deliveries queued before this instant.' }) to?: Date | null;
}
