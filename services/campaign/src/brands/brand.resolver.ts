import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { CampaignContext } from '../services';
import { Brand } from './brand.entity';
import { CreateBrandInput } from './brand.types';

@Resolver(() => Brand)
export class BrandResolver {
  @Query(() => Brand, { description: 'A brand you are a member or analyst of.' })
  brand(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignContext): Promise<Brand> {
    return ctx.services.brands.get(ctx, id);
  }

  @Mutation(() => Brand, { description: 'Creates a brand (platform admins).' })
  createBrand(@Arg('input') input: CreateBrandInput, @Ctx() ctx: CampaignContext): Promise<Brand> {
    return ctx.services.brands.create(ctx, input);
  }
}

/** Federation: other subgraphs reference brands by id (the service decides who gets it). */
export function resolveBrandReference(ref: { id: string }, ctx: CampaignContext): Promise<Brand | null> {
  return ctx.services.brands.visibleReference(ctx, ref.id);
}
