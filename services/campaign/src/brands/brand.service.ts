import { loadById, notFound, RequestContext } from '@influenceflow/kit';
import { parseDestinationUrl } from '../tracking/destination';
import { Brand } from './brand.entity';
import { CreateBrandInput } from './brand.types';

export class BrandService {
  /** Brands are created by platform admins (onboarding); members get access through their token. */
  async create(ctx: RequestContext, input: CreateBrandInput): Promise<Brand> {
    ctx.requireRole('admin');
    const websiteUrl = input.websiteUrl ? parseDestinationUrl(ctx, input.websiteUrl, 'input.websiteUrl') : null;
    return ctx.transaction((tx) => tx.getRepository(Brand).save(tx.getRepository(Brand).create({ name: input.name.trim(), websiteUrl })));
  }

  /** A brand its caller may see (a member, an analyst of it, or an admin). */
  async get(ctx: RequestContext, id: string): Promise<Brand> {
    ctx.requireBrand(id, ['brand_member', 'analyst']);
    const brand = await this.load(ctx, id);
    if (!brand) throw notFound('Brand', id);
    return brand;
  }

  /**
   * A brand asked for by another subgraph (federation): its members, its analysts and admins get it;
   * anyone else gets null, and the brand is not even loaded.
   */
  async visibleReference(ctx: RequestContext, id: string): Promise<Brand | null> {
    if (!ctx.canActForBrand(id, ['brand_member', 'analyst'])) return null;
    return this.load(ctx, id);
  }

  /**
   * The brand of a partnership: whoever may see the partnership (checked when it was loaded) sees the
   * brand too, its creator included (the brand that invited them).
   */
  ofPartnership(ctx: RequestContext, p: { brandId: string }): Promise<Brand | null> {
    return this.load(ctx, p.brandId);
  }

  load(ctx: RequestContext, id: string): Promise<Brand | null> {
    return loadById(ctx, Brand, id);
  }
}
