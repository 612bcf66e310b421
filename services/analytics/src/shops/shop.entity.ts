import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export enum ShopPlatform {
  SHOPIFY = 'shopify',
}
registerEnumType(ShopPlatform, { name: 'ShopPlatform', description: 'The commerce platforms a shop can be connected from.' });

/**
 * A brand's shop whose order webhooks analytics receives (docs/shops.md). Its webhook signing secrets are
 * sealed at rest (the kit's SecretCipher, bound to the shop) and never a GraphQL field: the current one,
 * and after a rotation the previous one until `previousSecretExpiresAt`.
 */
@ObjectType({ description: "A brand's connected shop (its order webhooks feed analytics)." })
@Entity({ name: 'shops' })
export class Shop {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field(() => ShopPlatform)
  @Column({ type: 'text' })
  platform: ShopPlatform;

  @Field(() => String, { description: 'The shop\'s permanent domain, e.g. "oaty.myshopify.com".' })
  @Column({ type: 'text' })
  domain: string;

  @Column({ name: 'secret_sealed', type: 'text', nullable: true })
  secretSealed: string | null;

  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true })
  previousSecretSealed: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Until when webhooks signed with the secret before the last rotation are still accepted.',
  })
  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the secret was last rotated.' })
  @Column({ name: 'secret_rotated_at', type: 'timestamptz', precision: 3, nullable: true })
  secretRotatedAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set once disconnected: its webhooks are refused from then on.' })
  @Column({ name: 'disconnected_at', type: 'timestamptz', precision: 3, nullable: true })
  disconnectedAt: Date | null;

  @Field(() => GraphQLISODateTime)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A webhook delivery already taken in (X-Shopify-Webhook-Id): a redelivery changes nothing. */
@Entity({ name: 'shop_webhook_receipts' })
export class ShopWebhookReceipt {
  @PrimaryColumn({ name: 'shop_id', type: 'uuid' }) shopId: string;
  @PrimaryColumn({ name: 'webhook_id', type: 'text' }) webhookId: string;
  @Column({ type: 'text' }) topic: string;
  @Column({ name: 'received_at', type: 'timestamptz', precision: 3, default: () => 'now()' }) receivedAt: Date;
}
