import { createHash } from 'node:crypto';
import { campaignServices, campaignSettings, campaignSubgraph, webhookSettings } from '@influenceflow/campaign';
import type { AnySubgraphModule, ServiceName, SubgraphRuntime } from '@influenceflow/kit';
import { eventually, GraphQLResponse } from '@influenceflow/kit/testing';
import type { TestStack } from '../../src/testing/stack';

/** The ISO date `days` from today in UTC (campaigns may not lie wholly in the past). */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A campaign input that passes every rule; tests override what they are about. */
export function campaignInput(brandId: string, overrides: Record<string, unknown> = {}) {
  return {
    brandId,
    name: 'Spring trail launch',
    goal: { type: 'TRAFFIC', target: 500 },
    budget: { amountMinor: 1_250_000, currency: 'USD' },
    startsOn: daysFromToday(30),
    endsOn: daysFromToday(75),
    ...overrides,
  };
}

/** Saves a creator's profile and one platform account through the gateway, as the creator (token). */
export async function saveCreator(
  stack: TestStack,
  token: string,
  profile: Record<string, unknown>,
  account: Record<string, unknown>,
): Promise<void> {
  const saved = await stack.query(
    `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`,
    { input: profile },
    token,
  );
  expect(saved.errors).toBeUndefined();
  const accountSaved = await stack.query(
    `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`,
    { input: { platform: 'INSTAGRAM', ...account } },
    token,
  );
  expect(accountSaved.errors).toBeUndefined();
}

/** What a fault-free delivery of `events` looks like in the event-backbone scenarios' ledger. */
export function exactDelivery(events: number) {
  return {
    produced: events,
    unsent: 0,
    applications: events,
    applied: events,
    appliedTwice: 0,
    missing: 0,
    unexpected: 0,
    outOfOrder: 0,
    accountsDiffering: 0,
    inbox: events,
  };
}

/** The data of a gateway answer that must have no errors. */
export async function ok<T = Record<string, unknown>>(
  stack: TestStack,
  query: string,
  variables: Record<string, unknown>,
  token: string | undefined,
): Promise<T> {
  const r = await stack.query<T>(query, variables, token);
  expect(r.errors).toBeUndefined();
  return r.data!;
}

/** The first error's extensions (code, field, …). */
export const codeOf = (r: GraphQLResponse<unknown>) => r.errors?.[0]?.extensions;

/** A refusal shows no stack trace, no source path and no internal name (`serviceName` is a development comfort: security.md). */
export function expectNoLeak(r: GraphQLResponse<unknown>): void {
  expect(JSON.stringify(r.errors ?? [])).not.toMatch(/stacktrace|at [\w.<>]+ \(|\.ts:\d|\/src\/|QueryFailedError|typeorm/i);
}

/**
 * A refused GraphQL request, as a hostile-input test wants it: no data, the stable code and field, a short
 * message, and nothing internal (`internal`: the service's table names and SQL words), no NUL byte, none of
 * a huge input echoed back, no library error codes.
 */
export function expectRefusal(r: GraphQLResponse<unknown>, internal: RegExp, code: string, field?: string): void {
  expect(r.data == null || Object.values(r.data as object).every((v) => v === null)).toBe(true);
  expect(r.errors?.[0]?.extensions).toMatchObject({ code, ...(field !== undefined ? { field } : {}) });
  expect(r.errors![0].message.length).toBeGreaterThan(0);
  expect(r.errors![0].message.length).toBeLessThanOrEqual(300);
  expectNoLeak(r);
  const text = JSON.stringify(r.errors);
  expect(text).not.toMatch(internal);
  expect(text).not.toContain('\u0000');
  expect(text).not.toContain('xxxxxxxxxx');
  // jose's codes and class names (ERR_JWS_INVALID, JWSInvalid, JWTExpired, JOSEAlgNotAllowed), not the words JWS or JWT.
  expect(text).not.toMatch(/\bERR_[A-Z_]+|\bJOSE[A-Z]\w*|\bJW[STK][A-Z]\w*/);
}

/** A request a hostile-input test expects refused: its name, the document, variables and token, and the code and field. */
export type RefusalCase = [
  name: string,
  query: string,
  variables: () => Record<string, unknown>,
  token: () => string | undefined,
  code: string,
  field?: string,
  extra?: { message?: RegExp; notMessage?: RegExp; extensions?: Record<string, unknown> },
];

/**
 * Sends each case, expects it refused (`expectRefusal`, with `internal` the service's own names) and the
 * stored `state` as it was (`unchanged`: equal, unless a test knows of a trace a refusal leaves).
 */
export async function refuseAll<S>(
  stack: TestStack,
  internal: RegExp,
  cases: RefusalCase[],
  state: () => Promise<S>,
  unchanged: (before: S, after: S, refused: RefusalCase) => void = (before, after) => expect(after).toEqual(before),
): Promise<void> {
  for (const refused of cases) {
    const [name, query, variables, token, code, field, extra] = refused;
    const before = await state();
    const r = await stack.query(query, variables(), token());
    try {
      expectRefusal(r, internal, code, field);
      if (extra?.message) expect(r.errors![0].message).toMatch(extra.message);
      if (extra?.notMessage) expect(r.errors![0].message).not.toMatch(extra.notMessage);
      if (extra?.extensions) expect(r.errors![0].extensions).toMatchObject(extra.extensions);
      unchanged(before, await state(), refused);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}\n${JSON.stringify(r.errors)}`);
    }
  }
}

/** SQL on a subgraph's own database (what a test checks behind the API: the outbox, a clock moved back). */
export function dbOf(stack: TestStack, service: ServiceName) {
  return <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> =>
    stack.subgraphs[service].runtime.dataSource.query(sql, params);
}

/** A brand a platform admin creates through the gateway; its id. */
export async function createBrand(stack: TestStack, name: string, websiteUrl?: string): Promise<string> {
  const admin = await stack.token({ sub: 'platform-admin', roles: ['admin'] });
  const data = await ok<{ createBrand: { id: string } }>(
    stack,
    `mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }`,
    { input: { name, ...(websiteUrl ? { websiteUrl } : {}) } },
    admin,
  );
  return data.createBrand.id;
}

/**
 * Invites a creator (who saved a profile in discovery) once the campaign service has heard of them
 * (creator.created over Kafka); the partnership's id. Any other refusal fails at once.
 */
export async function inviteWhenKnown(stack: TestStack, token: string, input: Record<string, unknown>): Promise<string> {
  return eventually(
    async () => {
      const r = await stack.query<{ inviteCreator: { id: string } }>(
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        { input },
        token,
      );
      if (r.errors && r.errors[0].extensions?.code !== 'NOT_FOUND') throw new Error(JSON.stringify(r.errors));
      return r.data?.inviteCreator.id;
    },
    60_000,
    'the campaign service to know the creator',
  );
}

/**
 * The creator accepts the invitation; contracts drafts the contract from partnership.accepted (over Kafka):
 * its id, once the brand sees it on the partnership.
 */
export async function acceptAndAwaitDraft(stack: TestStack, partnershipId: string, creator: string, brand: string): Promise<string> {
  await ok(stack, `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`, { id: partnershipId }, creator);
  return eventually(
    async () =>
      (
        await stack.query<{ partnership: { contract: { id: string } | null } }>(
          `query($id: ID!) { partnership(id: $id) { contract { id } } }`,
          { id: partnershipId },
          brand,
        )
      ).data?.partnership.contract?.id,
    60_000,
    'the draft contract',
  );
}

/** The brand sends the draft and each signer signs in turn, hashing the document they are served (both: executed). */
export async function sendAndSign(stack: TestStack, contractId: string, brand: string, signers: string[]): Promise<void> {
  await ok(stack, `mutation($id: ID!) { sendContract(id: $id) { status } }`, { id: contractId }, brand);
  for (const token of signers) {
    const served = (
      await ok<{ contract: { document: string; consentStatement: string } }>(
        stack,
        `query($id: ID!) { contract(id: $id) { document consentStatement } }`,
        { id: contractId },
        token,
      )
    ).contract;
    await ok(
      stack,
      `mutation($id: ID!, $sha: String!, $consent: String!) { signContract(contractId: $id, documentSha256: $sha, consent: $consent) { status } }`,
      { id: contractId, sha: createHash('sha256').update(served.document, 'utf8').digest('hex'), consent: served.consentStatement },
      token,
    );
  }
}

/** The events a subgraph's outbox holds for one subject (aggregate), in order, with whether each was sent. */
export async function outboxOf(
  stack: TestStack,
  service: ServiceName,
  subject: string,
): Promise<{ type: string; sent: boolean; envelope: { data: Record<string, unknown> } }[]> {
  return dbOf(stack, service)(`SELECT type, sent_at IS NOT NULL AS sent, envelope FROM outbox WHERE key = $1 ORDER BY seq`, [subject]);
}

/**
 * A real partner token (docs/partners.md): a client registered by an admin, granted `eventTypes` by each
 * brand in `grants` (through its member's token), exchanged at POST /oauth/token. Its client's UUID too.
 */
export async function partnerToken(
  stack: TestStack,
  name: string,
  grants: { brandId: string; memberToken: string; eventTypes: string[] }[] = [],
): Promise<{ token: string; partnerClientId: string }> {
  const admin = await stack.token({ sub: 'platform-admin', roles: ['admin'] });
  const { registerPartnerClient } = await ok<{ registerPartnerClient: { clientSecret: string; client: { id: string; clientId: string } } }>(
    stack,
    `mutation($name: String!) { registerPartnerClient(name: $name) { clientSecret client { id clientId } } }`,
    { name },
    admin,
  );
  const { client, clientSecret } = registerPartnerClient;
  for (const g of grants)
    await ok(
      stack,
      `mutation($input: GrantPartnerAccessInput!) { grantPartnerAccess(input: $input) { id } }`,
      {
        input: { brandId: g.brandId, clientId: client.clientId, eventTypes: g.eventTypes },
      },
      g.memberToken,
    );
  const res = await fetch(new URL('/oauth/token', stack.gateway.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`no partner token: ${res.status} ${body.error}`);
  return { token: body.access_token, partnerClientId: client.id };
}

/**
 * The campaign subgraph as the webhook tests run it: deliveries to receivers on this machine allowed
 * (WEBHOOK_ALLOW_PRIVATE_DESTINATIONS) and the queue polled every 100 ms.
 */
export function campaignWithLocalWebhooks(): AnySubgraphModule {
  return {
    ...campaignSubgraph,
    services: (runtime: SubgraphRuntime) =>
      campaignServices(
        runtime,
        campaignSettings({}),
        webhookSettings({ WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true', WEBHOOK_POLL_MS: '100' }),
      ),
  } as AnySubgraphModule;
}
