import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export enum WebhookDeliveryStatus {
  PENDING = 'pending',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING: queued or waiting for a retry; SUCCEEDED: a 2xx came back; FAILED: every retry failed (replayable).',
});

export enum WebhookAttemptOutcome {
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  REFUSED = 'refused',
}
registerEnumType(WebhookAttemptOutcome, {
  name: 'WebhookAttemptOutcome',
  description:
    'SUCCEEDED: a 2xx; FAILED: another status, a timeout or a connection error; REFUSED: not sent (a destination that is not public, a grant that no longer covers the event).',
});

/**
 * Where a brand's events go (docs/webhooks.md): an URL, the event types, and secrets sealed at rest (the
 * kit's SecretCipher, bound to the endpoint), never a GraphQL field. `partnerClientId` is set when a
 * partner made it for a brand that granted it; it then receives only what the grant covers now.
 */
@ObjectType({ description: 'A webhook endpoint of a brand (or of a partner, for a brand that granted it).' })
@Entity({ name: 'webhook_endpoints' })
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field(() => ID, { nullable: true, description: "The partner client that manages it; null for the brand's own endpoints." })
  @Column({ name: 'partner_client_id', type: 'uuid', nullable: true })
  partnerClientId: string | null;

  @Field(() => String)
  @Column({ type: 'text' })
  url: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => [String], { description: 'The event types it receives (see docs/webhooks.md for the list).' })
  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes: string[];

  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed: string;

  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true })
  previousSecretSealed: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Until when deliveries are also signed with the secret before the last rotation.',
  })
  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ name: 'secret_rotated_at', type: 'timestamptz', precision: 3, nullable: true })
  secretRotatedAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set while disabled: nothing is sent until it is enabled again.' })
  @Column({ name: 'disabled_at', type: 'timestamptz', precision: 3, nullable: true })
  disabledAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was disabled (by whom, a 410 Gone, retries exhausted).' })
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The last delivery that got a 2xx.' })
  @Column({ name: 'last_success_at', type: 'timestamptz', precision: 3, nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Field(() => GraphQLISODateTime)
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** One event for one endpoint: the queue row the worker claims, and the delivery log's entry. */
@ObjectType({ description: 'One event sent (or to be sent) to one webhook endpoint, with its attempts.' })
@Entity({ name: 'webhook_deliveries' })
export class WebhookDelivery {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => ID)
  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @Field(() => ID, { description: 'The event id, sent as `webhook-id` on every attempt and replay.' })
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Field(() => String)
  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  @Field(() => GraphQLISODateTime)
  @Column({ name: 'event_time', type: 'timestamptz', precision: 3 })
  eventTime: Date;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text', nullable: true })
  traceparent: string | null;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'text' })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts since it was queued or last replayed.' })
  @Column({ name: 'attempt_count', type: 'int' })
  attemptCount: number;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ name: 'succeeded_at', type: 'timestamptz', precision: 3, nullable: true })
  succeededAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => Int)
  @Column({ type: 'int' })
  replays: number;

  @Field(() => GraphQLISODateTime)
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

@ObjectType({ description: 'One attempt to send a delivery: the answer, how long it took, or why it failed.' })
@Entity({ name: 'webhook_attempts' })
export class WebhookAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @Field(() => GraphQLISODateTime)
  @Column({ name: 'attempted_at', type: 'timestamptz', precision: 3 })
  attemptedAt: Date;

  @Field(() => WebhookAttemptOutcome)
  @Column({ type: 'text' })
  outcome: WebhookAttemptOutcome;

  @Field(() => Int, { nullable: true })
  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode: number | null;

  @Field(() => Int)
  @Column({ name: 'latency_ms', type: 'int' })
  latencyMs: number;

  @Field(() => String, { nullable: true, description: 'The first KiB of the response body.' })
  @Column({ name: 'response_excerpt', type: 'text', nullable: true })
  responseExcerpt: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  error: string | null;
}
