import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationHash } from '@influenceflow/gateway/dist/trusted-operations';
import { startTestStack, TestStack } from '../../src/testing/stack';

const TRUSTED = 'query Typename { __typename }';
const OTHER = 'query Other { __typename }';

/**
 * Persisted operations at the gateway (docs/security.md, "Persisted operations"): automatic persisted
 * queries (the hash alone once the text was sent with it), and with TRUSTED_OPERATIONS_FILE only the
 * manifest's operations, whether sent as text or as a hash.
 */
describe('persisted and trusted operations at the gateway', () => {
  let stack: TestStack;
  let dir: string;
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] },
    };
  };
  const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: operationHash(query) } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trusted-ops-'));
    const file = join(dir, 'manifest.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: operationHash(TRUSTED), body: TRUSTED, name: 'Typename', type: 'query' }],
      }),
    );
    stack = await startTestStack({ gateway: { trustedOperationsFile: file } });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a trusted operation by its hash once the text came with it (automatic persisted queries)', async () => {
    const unknown = await post({ extensions: persisted(TRUSTED) });
    // the protocol's answer, which makes a client send the text with the hash
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    const registered = await post({ query: TRUSTED, extensions: persisted(TRUSTED) });
    expect(registered.body).toEqual({ data: { __typename: 'Query' } });
    const byHash = await post({ extensions: persisted(TRUSTED) });
    expect(byHash.body).toEqual({ data: { __typename: 'Query' } });
    expect((await post({ query: TRUSTED })).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses every other operation, as text, as a hash, or changed by one character, with FORBIDDEN', async () => {
    for (const body of [{ query: OTHER }, { query: OTHER, extensions: persisted(OTHER) }, { query: `${TRUSTED} ` }]) {
      const res = await post(body);
      expect(res.status).toBe(403);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(res.body)).not.toMatch(/at |node_modules|stack/);
    }
    // a hash that does not match its text is refused before anything runs
    const lying = await post({ query: OTHER, extensions: persisted(TRUSTED) });
    expect(lying.body.data ?? null).toBeNull();
    expect(lying.body.errors?.[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

/** Requests a minute per token, and per address for anonymous callers (docs/security.md, "Rate limits"). */
describe('rate limits at the gateway', () => {
  let stack: TestStack;
  const ask = (token?: string) =>
    fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

  beforeAll(async () => {
    stack = await startTestStack({ gateway: { rateLimitPerMinute: 3 } });
  }, 180_000);
  afterAll(() => stack?.close());

  it('answers the fourth request of a minute of one token 429 RATE_LIMITED with when to try again; other tokens go on', async () => {
    const first = await stack.token({ sub: 'rl-first', roles: ['brand_member'], brandIds: [] });
    const second = await stack.token({ sub: 'rl-second', roles: ['brand_member'], brandIds: [] });
    for (let i = 0; i < 3; i++) expect((await ask(first)).status).toBe(200);
    const refused = await ask(first);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { errors: { message: string; extensions: { code: string; retryAfterSeconds: number } }[] };
    expect(body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter });
    expect((await ask(second)).status).toBe(200);
  });

  it('counts anonymous callers by their address, apart from the tokens', async () => {
    for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(429);
    // a made-up token is a caller of its own, refused by its verification, not by the address's count
    const forged = await ask('not-a-token');
    expect(forged.status).toBe(401);
  });
});
