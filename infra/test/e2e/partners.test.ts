import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, codeOf, expectNoLeak, ok, createBrand } from './support';

const REGISTER = `mutation($name: String!) { registerPartnerClient(name: $name) { clientSecret client { id clientId name disabledAt } } }`;
const ROTATE = `mutation($id: ID!) { rotatePartnerClientSecret(id: $id) { clientSecret client { previousSecretExpiresAt } } }`;
const DISABLE = `mutation($id: ID!) { disablePartnerClient(id: $id) { disabledAt } }`;
const GRANT = `mutation($input: GrantPartnerAccessInput!) { grantPartnerAccess(input: $input) { id brandId partnerClientId eventTypes revokedAt } }`;
const REVOKE = `mutation($id: ID!) { revokePartnerAccess(id: $id) { id revokedAt } }`;
const GRANTS = `query($brandId: ID!) { partnerGrants(brandId: $brandId) { edges { node { id eventTypes } } } }`;
const ME = `{ partnerMe { id clientId name grants { brandId eventTypes } } }`;
const LEAK = /stacktrace|\.ts:\d|\/src\/|typeorm|QueryFailedError|partner_grants|partner_clients|secret_hash|ERR_|JOSE|JWS[A-Z]/i;

interface TokenAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * Partner access through the gateway (docs/partners.md): an admin registers a partner platform, a brand
 * grants it event types, the partner exchanges its client id and secret for a token at POST /oauth/token
 * (OAuth 2.0 client credentials), and sees what the grants give now — a revocation at once.
 */
describe('partner access end to end', () => {
  let stack: TestStack;
  let origin: string;
  let admin: string;
  let member: string;
  let analyst: string;
  let rival: string;
  let creator: string;
  let brandId: string;
  let otherBrandId: string;
  let campaignId: string;

  const tokenRequest = async (
    form: Record<string, string> | string,
    init: { basic?: [string, string]; type?: string } = {},
  ): Promise<TokenAnswer> => {
    const headers: Record<string, string> = { 'content-type': init.type ?? 'application/x-www-form-urlencoded' };
    if (init.basic)
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(init.basic[0])}:${encodeURIComponent(init.basic[1])}`).toString('base64')}`;
    const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
    const res = await fetch(`${origin}/oauth/token`, { method: 'POST', headers, body });
    const text = await res.text();
    expect(text).not.toMatch(LEAK);
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> };
  };
  const register = async (name: string) =>
    (
      await ok<{ registerPartnerClient: { clientSecret: string; client: { id: string; clientId: string } } }>(
        stack,
        REGISTER,
        { name },
        admin,
      )
    ).registerPartnerClient;
  const tokenOf = async (clientId: string, secret: string): Promise<string> => {
    const answer = await tokenRequest({ grant_type: 'client_credentials' }, { basic: [clientId, secret] });
    expect(answer.status).toBe(200);
    return answer.body.access_token as string;
  };
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

  beforeAll(async () => {
    stack = await startTestStack();
    origin = new URL(stack.gateway.url).origin;
    admin = await stack.token({ sub: 'admin', roles: ['admin'] });
    const brand = (name: string) => createBrand(stack, name);
    brandId = await brand('Granting Teas');
    otherBrandId = await brand('Other Teas');
    member = await stack.token({ sub: 'gina', roles: ['brand_member'], brandIds: [brandId] });
    analyst = await stack.token({ sub: 'ana', roles: ['analyst'], brandIds: [brandId] });
    rival = await stack.token({ sub: 'rita', roles: ['brand_member'], brandIds: [otherBrandId] });
    creator = await stack.token({ sub: 'cleo', roles: ['creator'], creatorId: '0190a0a0-0000-7000-8000-00000000c1e0' });
    campaignId = (
      await ok<{ createCampaign: { id: string } }>(
        stack,
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        { input: campaignInput(brandId) },
        member,
      )
    ).createCampaign.id;
  }, 180_000);
  afterAll(() => stack?.close());

  it('registers a client (admins only), issues a token, and shows the grants live: granted, then revoked at once', async () => {
    const refused = await stack.query(REGISTER, { name: 'Shop CRM' }, member);
    expect(codeOf(refused)).toMatchObject({ code: 'FORBIDDEN' });
    const { client, clientSecret } = await register('Shop CRM');
    expect(client.clientId).toMatch(/^pc_/);
    expect(clientSecret).toMatch(/^pcs_/);

    const first = await tokenRequest({ grant_type: 'client_credentials' }, { basic: [client.clientId, clientSecret] });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'partner' });
    const token = first.body.access_token as string;
    expect(claimsOf(token)).toMatchObject({ sub: client.id, client_id: client.clientId, roles: ['partner'], brandIds: [] });
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    expect((await ok<{ partnerMe: { grants: unknown[] } }>(stack, ME, {}, token)).partnerMe).toMatchObject({
      id: client.id,
      name: 'Shop CRM',
      grants: [],
    });

    const grant = (
      await ok<{ grantPartnerAccess: { id: string; eventTypes: string[] } }>(
        stack,
        GRANT,
        { input: { brandId, clientId: client.clientId, eventTypes: ['order.attributed', 'deliverable.approved', 'order.attributed'] } },
        member,
      )
    ).grantPartnerAccess;
    expect(grant.eventTypes).toEqual(['deliverable.approved', 'order.attributed']);
    // granting again replaces the live grant's types: still one grant
    const again = (
      await ok<{ grantPartnerAccess: { id: string; eventTypes: string[] } }>(
        stack,
        GRANT,
        { input: { brandId, clientId: client.clientId, eventTypes: ['deliverable.approved', 'order.attributed', 'contract.signed'] } },
        member,
      )
    ).grantPartnerAccess;
    expect(again.id).toBe(grant.id);
    const listed = await ok<{ partnerGrants: { edges: { node: { id: string } }[] } }>(stack, GRANTS, { brandId }, analyst);
    expect(listed.partnerGrants.edges.map((e) => e.node.id)).toEqual([grant.id]);

    // the grant is read live: the token issued before it already sees it
    expect((await ok<{ partnerMe: { grants: { brandId: string }[] } }>(stack, ME, {}, token)).partnerMe.grants).toEqual([
      { brandId, eventTypes: ['contract.signed', 'deliverable.approved', 'order.attributed'] },
    ]);
    const granted = await tokenOf(client.clientId, clientSecret);
    expect(claimsOf(granted).brandIds).toEqual([brandId]);
    // the live subscription's question, as the partner: the granted types that are live types
    const access = await ok<{ campaignLiveAccess: { eventTypes: string[] } }>(
      stack,
      `query($id: ID!) { campaignLiveAccess(campaignId: $id) { eventTypes } }`,
      { id: campaignId },
      granted,
    );
    expect(access.campaignLiveAccess.eventTypes.sort()).toEqual(['contract.signed', 'deliverable.approved', 'order.attributed']);
    // and its webhooks: within the grant only
    const hook = await stack.query(
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { partnerClientId eventTypes } } }`,
      { input: { brandId, url: 'https://partner.example.com/hooks', eventTypes: ['order.attributed'] } },
      granted,
    );
    expect(hook.errors).toBeUndefined();
    expect(hook.data).toMatchObject({ createWebhookEndpoint: { endpoint: { partnerClientId: client.id } } });
    const beyond = await stack.query(
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
      { input: { brandId, url: 'https://partner.example.com/hooks', eventTypes: ['payout.succeeded'] } },
      granted,
    );
    expect(codeOf(beyond)).toMatchObject({ code: 'FORBIDDEN' });

    // a rival brand's member cannot revoke it (not found), an analyst cannot (read only)
    expect(codeOf(await stack.query(REVOKE, { id: grant.id }, rival))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await stack.query(REVOKE, { id: grant.id }, analyst))).toMatchObject({ code: 'FORBIDDEN' });
    const revoked = (await ok<{ revokePartnerAccess: { revokedAt: string | null } }>(stack, REVOKE, { id: grant.id }, member))
      .revokePartnerAccess;
    expect(revoked.revokedAt).not.toBeNull();
    // at once, with the very token that named the brand
    expect((await ok<{ partnerMe: { grants: unknown[] } }>(stack, ME, {}, granted)).partnerMe.grants).toEqual([]);
    expect(
      codeOf(await stack.query(`query($id: ID!) { campaignLiveAccess(campaignId: $id) { eventTypes } }`, { id: campaignId }, granted)),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(claimsOf(await tokenOf(client.clientId, clientSecret)).brandIds).toEqual([]);
  });

  it('refuses grants to the wrong people and of the wrong things', async () => {
    const { client } = await register('Agency Tool');
    const input = (over: Record<string, unknown> = {}) => ({
      input: { brandId, clientId: client.clientId, eventTypes: ['order.attributed'], ...over },
    });
    const cases: [string, Record<string, unknown>, string | undefined, string, string?][] = [
      ['anonymous', input(), undefined, 'UNAUTHENTICATED'],
      ['another brand', input(), rival, 'FORBIDDEN'],
      ['an analyst', input(), analyst, 'FORBIDDEN'],
      ['a creator', input(), creator, 'FORBIDDEN'],
      ['an unknown client', input({ clientId: 'pc_nobody' }), member, 'NOT_FOUND', 'input.clientId'],
      ['a private event type', input({ eventTypes: ['message.posted'] }), member, 'BAD_USER_INPUT', 'input.eventTypes'],
      ['no event type', input({ eventTypes: [] }), member, 'BAD_USER_INPUT', 'input.eventTypes'],
      ['a brand id that is not a UUID', input({ brandId: 'brand-1' }), member, 'BAD_USER_INPUT'],
      ['a huge client id', input({ clientId: 'x'.repeat(5000) }), member, 'BAD_USER_INPUT'],
      ['a NUL byte', input({ clientId: 'pc_\u0000' }), member, 'BAD_USER_INPUT'],
    ];
    for (const [name, variables, token, code, field] of cases) {
      const r = await stack.query(GRANT, variables, token);
      expect({ name, data: r.data?.grantPartnerAccess ?? null }).toEqual({ name, data: null });
      expect({ name, ...codeOf(r) }).toMatchObject({ name, code, ...(field ? { field } : {}) });
      expectNoLeak(r);
      expect(JSON.stringify(r.errors)).not.toMatch(LEAK);
    }
    expect(codeOf(await stack.query(GRANTS, { brandId }, creator))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await stack.query(GRANTS, { brandId }, rival))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await stack.query(`{ partnerClients { edges { node { id } } } }`, {}, member))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await stack.query(ME, {}, member))).toMatchObject({ code: 'FORBIDDEN' });
    // nothing was granted by any refusal
    const rows = await stack.subgraphs.campaign.runtime.dataSource.query(
      `SELECT count(*)::int AS n FROM partner_grants WHERE partner_client_id = $1`,
      [client.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it('answers the token endpoint as RFC 6749 does: one invalid_client for every wrong credential, and the request errors', async () => {
    const { client, clientSecret } = await register('Strict Partner');
    const grant = { grant_type: 'client_credentials' };
    // client_secret_post works as well as Basic
    expect((await tokenRequest({ ...grant, client_id: client.clientId, client_secret: clientSecret })).status).toBe(200);

    const wrong = [
      await tokenRequest(grant, { basic: [client.clientId, `${clientSecret}x`] }),
      await tokenRequest(grant, { basic: ['pc_unknown', clientSecret] }),
      await tokenRequest({ ...grant, client_id: client.clientId, client_secret: 'pcs_guess' }),
      await tokenRequest(grant),
    ];
    for (const answer of wrong) {
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('invalid_client');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    expect(new Set(wrong.slice(0, 3).map((a) => a.body.error_description)).size).toBe(1);

    const expectError = (answer: TokenAnswer, status: number, error: string) => {
      expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body.access_token).toBeUndefined();
    };
    const basic: [string, string] = [client.clientId, clientSecret];
    expectError(await tokenRequest({ grant_type: 'password' }, { basic }), 400, 'unsupported_grant_type');
    expectError(await tokenRequest({}, { basic }), 400, 'invalid_request');
    expectError(await tokenRequest({ ...grant, scope: 'admin' }, { basic }), 400, 'invalid_scope');
    expectError(await tokenRequest(JSON.stringify(grant), { basic, type: 'application/json' }), 400, 'invalid_request');
    expectError(await tokenRequest('grant_type=client_credentials&grant_type=client_credentials', { basic }), 400, 'invalid_request');
    expectError(
      await tokenRequest({ ...grant, client_id: client.clientId, client_secret: clientSecret }, { basic }),
      400,
      'invalid_request',
    );
    expectError(await tokenRequest(`grant_type=client_credentials&x=${'y'.repeat(10_000)}`, { basic }), 413, 'invalid_request');
    expectError(
      await tokenRequest({ ...grant, client_id: `${client.clientId}\u0000`, client_secret: clientSecret }),
      400,
      'invalid_request',
    );
    expectError(await tokenRequest(grant, { basic: [client.clientId, `${clientSecret}\u0000`] }), 401, 'invalid_client');
    const garbled = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic !!!' },
      body: 'grant_type=client_credentials',
    });
    expect(garbled.status).toBe(401);
    expect(((await garbled.json()) as { error: string }).error).toBe('invalid_client');

    // rotation: both secrets work during the overlap; disabling ends both, and the token's partnerMe
    const rotated = (
      await ok<{ rotatePartnerClientSecret: { clientSecret: string; client: { previousSecretExpiresAt: string } } }>(
        stack,
        ROTATE,
        { id: client.id },
        admin,
      )
    ).rotatePartnerClientSecret;
    expect(new Date(rotated.client.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const token = await tokenOf(client.clientId, rotated.clientSecret);
    await tokenOf(client.clientId, clientSecret);
    // after a leak: rotating with endPrevious ends the one before at once
    const leaked = rotated.clientSecret;
    const fresh = (
      await ok<{ rotatePartnerClientSecret: { clientSecret: string; client: { previousSecretExpiresAt: string | null } } }>(
        stack,
        `mutation($id: ID!) { rotatePartnerClientSecret(id: $id, endPrevious: true) { clientSecret client { previousSecretExpiresAt } } }`,
        { id: client.id },
        admin,
      )
    ).rotatePartnerClientSecret;
    expect(fresh.client.previousSecretExpiresAt).toBeNull();
    expectError(await tokenRequest(grant, { basic: [client.clientId, leaked] }), 401, 'invalid_client');
    expectError(await tokenRequest(grant, { basic: [client.clientId, clientSecret] }), 401, 'invalid_client');
    await tokenOf(client.clientId, fresh.clientSecret);

    const strictGrant = (
      await ok<{ grantPartnerAccess: { id: string } }>(
        stack,
        GRANT,
        { input: { brandId, clientId: client.clientId, eventTypes: ['order.attributed'] } },
        member,
      )
    ).grantPartnerAccess.id;
    const liveGrantIds = async () =>
      (await ok<{ partnerGrants: { edges: { node: { id: string } }[] } }>(stack, GRANTS, { brandId }, member)).partnerGrants.edges.map(
        (e) => e.node.id,
      );
    expect(await liveGrantIds()).toContain(strictGrant);
    await ok(stack, DISABLE, { id: client.id }, admin);
    expectError(await tokenRequest(grant, { basic: [client.clientId, fresh.clientSecret] }), 401, 'invalid_client');
    expect((await ok<{ partnerMe: { grants: unknown[] } }>(stack, ME, {}, token)).partnerMe.grants).toEqual([]);
    // a disabled client's grants give nothing, and the brand does not see them as live
    expect(await liveGrantIds()).not.toContain(strictGrant);
    // enabled again (admins only): tokens again, and the grant gives again
    const ENABLE = `mutation($id: ID!) { enablePartnerClient(id: $id) { disabledAt } }`;
    expect(codeOf(await stack.query(ENABLE, { id: client.id }, member))).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      (await ok<{ enablePartnerClient: { disabledAt: string | null } }>(stack, ENABLE, { id: client.id }, admin)).enablePartnerClient
        .disabledAt,
    ).toBeNull();
    const back = await tokenOf(client.clientId, fresh.clientSecret);
    expect((await ok<{ partnerMe: { grants: { brandId: string }[] } }>(stack, ME, {}, back)).partnerMe.grants).toEqual([
      { brandId, eventTypes: ['order.attributed'] },
    ]);
    expect(await liveGrantIds()).toContain(strictGrant);
  });

  it('leaves a partner whose grant was revoked only reading and deleting its endpoints, and lets the brand delete them', async () => {
    const { client, clientSecret } = await register('Revoked Partner');
    const grant = (
      await ok<{ grantPartnerAccess: { id: string } }>(
        stack,
        GRANT,
        { input: { brandId, clientId: client.clientId, eventTypes: ['order.attributed'] } },
        member,
      )
    ).grantPartnerAccess;
    const token = await tokenOf(client.clientId, clientSecret);
    const create = async () =>
      (
        await ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
          stack,
          `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
          { input: { brandId, url: 'https://crm.partner.example/in', eventTypes: ['order.attributed'] } },
          token,
        )
      ).createWebhookEndpoint.endpoint.id;
    const first = await create();
    const second = await create();
    const DELETE = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
    // while the grant is live the endpoint is the partner's to delete, not the brand's
    expect(codeOf(await stack.query(DELETE, { id: first }, member))).toMatchObject({ code: 'FORBIDDEN' });
    await ok(stack, REVOKE, { id: grant.id }, member);
    const refused: [string, Record<string, unknown>][] = [
      [
        `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { url: "https://elsewhere.partner.example/in" }) { id } }`,
        { id: first },
      ],
      [`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: first }],
      [`mutation($id: ID!) { enableWebhookEndpoint(id: $id) { id } }`, { id: first }],
    ];
    for (const [query, variables] of refused) {
      const r = await stack.query(query, variables, token);
      expect({ query, code: codeOf(r)?.code }).toEqual({ query, code: 'FORBIDDEN' });
      expectNoLeak(r);
    }
    const deliveries = await stack.query(
      `query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { id } } } }`,
      { id: first },
      token,
    );
    expect(deliveries.errors).toBeUndefined();
    expect((await ok<{ deleteWebhookEndpoint: boolean }>(stack, DELETE, { id: second }, token)).deleteWebhookEndpoint).toBe(true);
    expect((await ok<{ deleteWebhookEndpoint: boolean }>(stack, DELETE, { id: first }, member)).deleteWebhookEndpoint).toBe(true);
    const left = await stack.subgraphs.campaign.runtime.dataSource.query(
      `SELECT count(*)::int AS n FROM webhook_endpoints WHERE partner_client_id = $1`,
      [client.id],
    );
    expect(left[0].n).toBe(0);
  });

  it("never lets a partner token read a brand's data, and never lets the identity provider make a partner", async () => {
    const { client, clientSecret } = await register('Curious Partner');
    await ok(stack, GRANT, { input: { brandId, clientId: client.clientId, eventTypes: ['order.attributed'] } }, member);
    const token = await tokenOf(client.clientId, clientSecret);
    const reads: [string, Record<string, unknown>][] = [
      [`query($id: ID!) { brand(id: $id) { id name } }`, { id: brandId }],
      [`query($id: ID!) { campaign(id: $id) { id name } }`, { id: campaignId }],
      [`query($id: ID!) { campaigns(brandId: $id) { edges { node { id } } } }`, { id: brandId }],
      [`query($id: ID!) { campaignReport(campaignId: $id) { campaignId } }`, { id: campaignId }],
      [`query($id: ID!) { contracts(brandId: $id) { edges { node { id } } } }`, { id: brandId }],
      [`query($id: ID!) { partnerGrants(brandId: $id) { edges { node { id } } } }`, { id: brandId }],
    ];
    for (const [query, variables] of reads) {
      const r = await stack.query(query, variables, token);
      const data = (r.data ?? {}) as Record<string, unknown>;
      expect({ query, data: Object.values(data).filter((v) => v !== null) }).toEqual({ query, data: [] });
      expect({ query, code: r.errors?.[0]?.extensions?.code }).toEqual({
        query,
        code: expect.stringMatching(/^(FORBIDDEN|NOT_FOUND|BAD_USER_INPUT)$/),
      });
      expectNoLeak(r);
    }
    // a token of the identity provider claiming the partner role (and this client as its subject) is no partner
    const forged = await stack.token({ sub: client.id, roles: ['partner'], brandIds: [brandId] });
    expect(codeOf(await stack.query(ME, {}, forged))).toMatchObject({ code: 'FORBIDDEN' });
    // a partner token altered by a character is refused before anything runs
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
    const r = await stack.query(ME, {}, tampered);
    expect(r.status).toBe(401);
    expect(codeOf(r)).toMatchObject({ code: 'UNAUTHENTICATED' });
    // the partner issuer's keys are public
    const jwks = (await (await fetch(`${origin}/.well-known/partner-jwks.json`)).json()) as { keys: { kty: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.keys[0].d).toBeUndefined();
  });
});
