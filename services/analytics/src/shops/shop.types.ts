import { Field, ID, InputType } from 'type-graphql';
import { ShopPlatform } from './shop.entity';

@InputType({ description: "Connects a brand's shop: its order webhooks are then taken in (docs/shops.md)." })
export class ConnectShopInput {
  @Field(() => ID) brandId: string;
  @Field(() => ShopPlatform) platform: ShopPlatform;
  @Field(() => String, { description: 'The permanent domain, e.g. "oaty.myshopify.com" (not a custom domain).' })
  domain: string;
  @Field(() => String, { description: "The secret Shopify signs the shop's webhooks with. Never shown again." })
  webhookSecret: string;
}
