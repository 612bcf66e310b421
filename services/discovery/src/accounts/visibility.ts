import type { RequestContext } from '@influenceflow/kit';

/**
 * Who sees a creator's audience and authenticity reports (docs/discovery.md, "Who sees what"): they are
 * what brands pay to vet, so brand members, analysts, admins and the creator themself, not anonymous
 * callers or other creators. Everything derived from an audience (audience match, audience filters and
 * sorts of search, the audience part of lookalikes) is decided here too, so the rule exists once.
 *
 * Without `creatorId`: whether the caller sees every creator's details, as a search over audiences needs
 * (a creator sees only their own, so not). Leaving the id out can only refuse more, never show more.
 */
export function canSeeDetails(ctx: RequestContext, creatorId?: string): boolean {
  if (ctx.hasRole('brand_member') || ctx.hasRole('analyst') || ctx.isAdmin) return true;
  return creatorId !== undefined && ctx.identity?.creatorId === creatorId;
}
