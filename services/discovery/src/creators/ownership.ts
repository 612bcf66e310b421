import { forbidden, Identity, RequestContext } from '@influenceflow/kit';

/*
 * Who owns what: a creator owns their profile (the id comes from their token), their handle, and the
 * handle of each of their platform accounts. A handle (creator or platform) belongs to one creator. The
 * services and the bulk importer look owners up and decide with these, so a value refused through
 * GraphQL is refused by an import too.
 */

/** The creator a write is for: the caller's own profile (its id is the token's `creatorId`). */
export function ownCreatorId(ctx: RequestContext): string {
  const identity: Identity = ctx.requireRole('creator');
  if (!identity.creatorId) throw forbidden('Your token carries no creatorId: only creators have a profile');
  return identity.creatorId;
}

/** Runs a query and gives its rows (a transaction's EntityManager, or an importer's pg client). */
export type Rows = <T>(text: string, params: unknown[]) => Promise<T[]>;

/** What the importer and the services read of a stored creator found by handle. */
export interface StoredCreator {
  id: string;
  handle: string;
  followers: number;
  authenticityScore: number | null;
  engagementRate: number | null;
  platforms: string[];
  country: string | null;
  markets: string[];
}

/**
 * The stored creators with these handles (stored lower case), by handle. With `lock`, their rows are
 * locked until the transaction ends, in handle order (so two writers lock in the same order).
 */
export async function creatorsByHandle(rows: Rows, handles: string[], options: { lock: boolean }): Promise<Map<string, StoredCreator>> {
  const found = await rows<StoredCreator>(
    `SELECT c.id, c.handle, c.followers, c.authenticity_score AS "authenticityScore", c.engagement_rate AS "engagementRate",
            c.platforms, c.country, c.markets
       FROM unnest($1::text[]) AS u(handle) JOIN creators c ON c.handle = u.handle
      ORDER BY c.handle${options.lock ? ' FOR UPDATE OF c' : ''}`,
    [handles],
  );
  return new Map(found.map((c) => [c.handle, c]));
}

/** Whether `handle`'s stored owner (if any) is another creator than `creatorId`. */
export function handleTakenFrom(creatorId: string, owner: Pick<StoredCreator, 'id'> | undefined): boolean {
  return owner !== undefined && owner.id !== creatorId;
}

/** A platform account's key, as `platformHandleOwners` is looked up by. */
export const accountKey = (platform: string, handle: string) => `${platform}:${handle}`;

/** The creator a platform handle belongs to, and that creator's own handle. */
export interface AccountOwner {
  platform: string;
  handle: string;
  creatorId: string;
  ownerHandle: string;
}

/** The stored owners of these platform handles, by `accountKey`. */
export async function platformHandleOwners(
  rows: Rows,
  accounts: { platform: string; handle: string }[],
): Promise<Map<string, AccountOwner>> {
  if (accounts.length === 0) return new Map();
  const found = await rows<AccountOwner>(
    `SELECT u.platform, u.handle, p.creator_id AS "creatorId", c.handle AS "ownerHandle"
       FROM unnest($1::text[], $2::text[]) AS u(platform, handle)
       JOIN platform_accounts p ON p.platform = u.platform AND p.handle = u.handle
       JOIN creators c ON c.id = p.creator_id`,
    [accounts.map((a) => a.platform), accounts.map((a) => a.handle)],
  );
  return new Map(found.map((o) => [accountKey(o.platform, o.handle), o]));
}

/** The accounts (by index) whose platform handle belongs to a creator other than `creatorId`. */
export function accountsTakenFrom(
  creatorId: string,
  accounts: { platform: string; handle: string }[],
  owners: ReadonlyMap<string, AccountOwner>,
): { index: number; owner: AccountOwner }[] {
  return accounts.flatMap((a, index) => {
    const owner = owners.get(accountKey(a.platform, a.handle));
    return owner && owner.creatorId !== creatorId ? [{ index, owner }] : [];
  });
}
