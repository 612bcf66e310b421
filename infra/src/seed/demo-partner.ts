import { GatewayClient } from './demo';

const DEMO_PARTNER_NAME = 'Trailhead CRM (demo partner)';
/** What Acme Outdoor lets the demo partner follow: its creators' progress and what it earns. */
const DEMO_PARTNER_EVENT_TYPES = [
  'partnership.accepted',
  'deliverable.approved',
  'contract.signed',
  'payout.succeeded',
  'order.attributed',
];

export interface DemoPartner {
  clientId: string;
  clientSecret: string;
  eventTypes: string[];
}

/**
 * A partner platform with a live grant from the demo brand (docs/partners.md). Its secret is shown once,
 * so on every start the client registered before gets a new one (rotatePartnerClientSecret: the one
 * before keeps working for a day), or is registered; the grant is set again (granting replaces the types).
 */
export async function seedDemoPartner(gatewayUrl: string, adminToken: string, memberToken: string, brandId: string): Promise<DemoPartner> {
  const client = new GatewayClient(gatewayUrl);
  const { partnerClients } = await client.call<{
    partnerClients: { edges: { node: { id: string; name: string; disabledAt: string | null } }[] };
  }>(adminToken, `{ partnerClients(first: 100) { edges { node { id name disabledAt } } } }`);
  const existing = partnerClients.edges.map((e) => e.node).find((c) => c.name === DEMO_PARTNER_NAME && !c.disabledAt);
  const issued = existing
    ? (
        await client.call<{ rotatePartnerClientSecret: { clientSecret: string; client: { clientId: string } } }>(
          adminToken,
          `mutation($id: ID!) { rotatePartnerClientSecret(id: $id) { clientSecret client { clientId } } }`,
          { id: existing.id },
        )
      ).rotatePartnerClientSecret
    : (
        await client.call<{ registerPartnerClient: { clientSecret: string; client: { clientId: string } } }>(
          adminToken,
          `mutation($name: String!) { registerPartnerClient(name: $name) { clientSecret client { clientId } } }`,
          { name: DEMO_PARTNER_NAME },
        )
      ).registerPartnerClient;
  await client.call(memberToken, `mutation($input: GrantPartnerAccessInput!) { grantPartnerAccess(input: $input) { id } }`, {
    input: { brandId, clientId: issued.client.clientId, eventTypes: DEMO_PARTNER_EVENT_TYPES },
  });
  return { clientId: issued.client.clientId, clientSecret: issued.clientSecret, eventTypes: DEMO_PARTNER_EVENT_TYPES };
}
