import { isUuid } from '../validation/uuid';

export const ROLES = ['brand_member', 'creator', 'analyst', 'partner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The verified caller, from the JWT claims the gateway checked and forwarded (README.md, "Identity"); who
 * may do what with it is in docs/security.md, "Who can call what".
 */
export interface Identity {
  sub: string;
  roles: Role[];
  brandIds: string[];
  creatorId: string | null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Builds an Identity from untrusted claims, dropping anything malformed (ids that are not UUIDs included). */
export function identityFromClaims(claims: Record<string, unknown>): Identity | null {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) return null;
  const roles = Array.isArray(claims.roles) ? claims.roles.filter(isRole) : [];
  const brandIds = Array.isArray(claims.brandIds) ? [...new Set(claims.brandIds.filter(isUuid).map((b) => b.toLowerCase()))] : [];
  const creatorId = isUuid(claims.creatorId) ? claims.creatorId.toLowerCase() : null;
  return { sub: claims.sub, roles, brandIds, creatorId };
}
