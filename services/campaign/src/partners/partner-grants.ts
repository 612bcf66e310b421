import type { EntityManager } from 'typeorm';

/**
 * The event types a partner client may receive for a brand right now: its live grant's types;
 * empty when there is no grant, it was revoked, or the client is disabled.
 */
// replaced by the partners work: partner_clients and partner_grants do not exist in this branch yet, so
// no partner has a grant and every partner request for a brand's events is refused.
export async function grantedEventTypes(manager: EntityManager, partnerClientId: string, brandId: string): Promise<string[]> {
  void manager;
  void partnerClientId;
  void brandId;
  return [];
}
