import { forbidden, Identity, RequestContext } from '@influenceflow/kit';

/** The creator a write is for: the caller's own profile (its id is the token's `creatorId`). */
export function ownCreatorId(ctx: RequestContext): string {
  const identity: Identity = ctx.requireRole('creator');
  if (!identity.creatorId) throw forbidden('Your token carries no creatorId: only creators have a profile');
  return identity.creatorId;
}
