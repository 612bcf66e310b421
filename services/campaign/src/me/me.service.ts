import type { RequestContext } from '@influenceflow/kit';
import type { BrandService } from '../brands/brand.service';
import { BrandMembership, BrandRole, Me } from './me.types';

/** Who the caller is, from the verified token, with the brands it names (read from this subgraph). */
export class MeService {
  constructor(private readonly brands: BrandService) {}

  async me(ctx: RequestContext): Promise<Me> {
    const identity = ctx.requireIdentity();
    const role = brandRoleOf(identity.roles);
    const found = role === null ? [] : await Promise.all(identity.brandIds.map((id) => this.brands.load(ctx, id)));
    const brands: BrandMembership[] = found
      .filter((b) => b !== null)
      .map((brand) => ({ brand, role: role! }))
      .sort((a, b) => a.brand.name.localeCompare(b.brand.name) || a.brand.id.localeCompare(b.brand.id));
    return {
      subject: identity.sub,
      roles: identity.roles,
      brands,
      creatorId: identity.creatorId,
      // Discovery resolves the profile (and answers null while there is none).
      creator: identity.creatorId && identity.roles.includes('creator') ? { id: identity.creatorId } : null,
    };
  }
}

/**
 * A token's roles hold for all of its brands; what the caller may do in each is the strongest of them
 * (`canActForBrand`): an admin, else a member, else an analyst; no brand role, no brands.
 */
export function brandRoleOf(roles: readonly string[]): BrandRole | null {
  if (roles.includes('admin')) return BrandRole.ADMIN;
  if (roles.includes('brand_member')) return BrandRole.MEMBER;
  if (roles.includes('analyst')) return BrandRole.ANALYST;
  return null;
}
