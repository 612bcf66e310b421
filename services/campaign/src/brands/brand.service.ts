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

  load(ctx: RequestContext, id: string): Promise<Brand | null> {
    return loadById(ctx, Brand, id);
  }
}
