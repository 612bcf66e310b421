import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { Brand } from './brand.entity';
import { BrandService } from './brand.service';
import { CreateBrandInput } from './brand.types';

const brands = new BrandService();

@Resolver(() => Brand)
export class BrandResolver {
  @Query(() => Brand, { description: 'A brand you are a member or analyst of.' })
  brand(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Brand> {
    return brands.get(ctx, id);
  }

  @Mutation(() => Brand, { description: 'Creates a brand (platform admins).' })
  createBrand(@Arg('input') input: CreateBrandInput, @Ctx() ctx: RequestContext): Promise<Brand> {
    return brands.create(ctx, input);
  }
}

/** Federation: other subgraphs reference brands by id; only callers who may see the brand get it. */
export async function resolveBrandReference(ref: { id: string }, ctx: RequestContext): Promise<Brand | null> {
  if (!ctx.canActForBrand(ref.id, ['brand_member', 'analyst'])) return null;
  return brands.load(ctx, ref.id);
}
