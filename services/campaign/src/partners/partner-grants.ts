import type { EntityManager } from 'typeorm';

/**
 * The event types a partner client may receive for a brand right now: its live grant's types;
 * empty when there is no grant, it was revoked, or the client is disabled. Webhooks (at creation, fan-out
 * and delivery) and the live subscription (at subscribe and every re-check) ask this, never the token, so
 * a revocation takes effect at once rather than when the partner's token expires.
 */
export async function grantedEventTypes(manager: EntityManager, partnerClientId: string, brandId: string): Promise<string[]> {
  const rows = await manager.query<{ event_types: string[] }[]>(
    `SELECT g.event_types FROM partner_grants g JOIN partner_clients c ON c.id = g.partner_client_id
      WHERE g.partner_client_id = $1 AND g.brand_id = $2 AND g.revoked_at IS NULL AND c.disabled_at IS NULL`,
    [partnerClientId.toLowerCase(), brandId.toLowerCase()],
  );
  return rows[0]?.event_types ?? [];
}
