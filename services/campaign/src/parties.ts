import type { RequestContext } from '@influenceflow/kit';

/** Something a brand and a creator share: a partnership, or one of its deliverables. */
export interface BrandAndCreator {
  brandId: string;
  creatorId: string;
}

/** Its brand's members and analysts, its creator, and admins may see it. */
export function canSeeAsParty(ctx: RequestContext, shared: BrandAndCreator): boolean {
  return ctx.canActForBrand(shared.brandId, ['brand_member', 'analyst']) || ctx.isCreator(shared.creatorId);
}

/**
 * Which side the caller acts for: its creator, or its brand (members; admins act as the brand).
 * Anyone else is FORBIDDEN.
 */
export function sideOf(ctx: RequestContext, shared: BrandAndCreator): 'brand' | 'creator' {
  if (!ctx.isAdmin && ctx.isCreator(shared.creatorId)) return 'creator';
  ctx.requireBrand(shared.brandId);
  return 'brand';
}
