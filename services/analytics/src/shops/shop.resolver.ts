import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import type { ShopService } from './shop.service';
import { Shop } from './shop.entity';
import { ConnectShopInput } from './shop.types';

/** What the shops' resolvers need of the analytics services. */
export type ShopsContext = RequestContext<{ shops: ShopService }>;

/** The path Shopify posts a shop's webhooks to, on the platform's public origin (the gateway). */
export const shopifyWebhookPath = (shopId: string) => `/webhooks/shopify/${shopId}`;

@Resolver(() => Shop)
export class ShopResolver {
  @Query(() => [Shop], { description: "A brand's shops (members and analysts), connected ones first." })
  shops(@Arg('brandId', () => ID) brandId: string, @Ctx() ctx: ShopsContext): Promise<Shop[]> {
    return ctx.services.shops.list(ctx, brandId);
  }

  @Mutation(() => Shop, { description: "Connects a brand's shop; configure its webhooks to `webhookUrl` with the same secret." })
  connectShop(@Arg('input', () => ConnectShopInput) input: ConnectShopInput, @Ctx() ctx: ShopsContext): Promise<Shop> {
    return ctx.services.shops.connect(ctx, input);
  }

  @Mutation(() => Shop, { description: 'Replaces the signing secret; the previous one is accepted for 72 hours more.' })
  rotateShopSecret(
    @Arg('shopId', () => ID) shopId: string,
    @Arg('webhookSecret', () => String) webhookSecret: string,
    @Ctx() ctx: ShopsContext,
  ): Promise<Shop> {
    return ctx.services.shops.rotate(ctx, shopId, webhookSecret);
  }

  @Mutation(() => Shop, { description: 'Stops taking in its webhooks and deletes its secrets; the orders already recorded stay.' })
  disconnectShop(@Arg('shopId', () => ID) shopId: string, @Ctx() ctx: ShopsContext): Promise<Shop> {
    return ctx.services.shops.disconnect(ctx, shopId);
  }

  @FieldResolver(() => String, { description: 'Where the shop must send its order webhooks (orders/create, refunds/create).' })
  webhookUrl(@Root() shop: Shop, @Ctx() ctx: ShopsContext): string {
    const base = (ctx.runtime.publicBaseUrl ?? 'http://127.0.0.1').replace(/\/+$/, '');
    return `${base}${shopifyWebhookPath(shop.id)}`;
  }
}
