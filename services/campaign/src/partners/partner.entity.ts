import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A partner platform (a shop, a CRM, an agency tool) registered by an admin: an OAuth 2.0 client of the
 * client credentials grant (docs/partners.md). Only the SHA-256 of its secrets is kept; during a rotation
 * the previous secret also works until `previousSecretExpiresAt`.
 */
@ObjectType({ description: 'A partner platform that exchanges its client id and secret for short-lived tokens.' })
@Entity({ name: 'partner_clients' })
export class PartnerClient {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => String, { description: 'The public client id (`client_id` at POST /oauth/token); brands grant access by it.' })
  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  @Column({ name: 'previous_secret_hash', type: 'text', nullable: true })
  previousSecretHash: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Until when the secret before the last rotation still works.' })
  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Field(() => GraphQLISODateTime)
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set once disabled: no token is issued to it any more.' })
  @Column({ name: 'disabled_at', type: 'timestamptz', precision: 3, nullable: true })
  disabledAt: Date | null;
}

/** A brand's grant to a partner client: the event types it may receive (webhooks, the live subscription). */
@ObjectType({ description: "A brand's grant to a partner platform: which of the brand's events it may receive." })
@Entity({ name: 'partner_grants' })
export class PartnerGrant {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => ID)
  @Column({ name: 'partner_client_id', type: 'uuid' })
  partnerClientId: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field(() => [String], { description: 'The event types granted (docs/webhooks.md lists those partners may have).' })
  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes: string[];

  @Column({ name: 'granted_by', type: 'text' })
  grantedBy: string;

  @Field(() => GraphQLISODateTime)
  @Column({ name: 'granted_at', type: 'timestamptz', precision: 3 })
  grantedAt: Date;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Set once revoked: from then on the partner receives nothing of the brand.',
  })
  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;
}
