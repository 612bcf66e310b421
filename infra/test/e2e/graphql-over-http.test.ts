import { AuditResult, serverAudits } from 'graphql-http';
import { startTestStack, TestStack } from '../../src/testing/stack';

/**
 * The GraphQL-over-HTTP audits of graphql-http (`serverAudits`) against the gateway, and the status each
 * kind of error gets with each Accept header. docs/security.md, "GraphQL over HTTP", explains every result.
 *
 * GraphiQL is off, as in production: with it on, a GET that accepts anything gets the GraphiQL page (200),
 * which would pass 5A70 for the wrong reason.
 */

/**
 * SHOULDs Apollo Server cannot pass, each with the reason (the same list as the docs). Empty: every SHOULD
 * of graphql-http 1.23.1 passes. An audit named here must keep failing, so the list cannot go stale.
 */
const SHOULDS_APOLLO_CANNOT_PASS: Record<string, string> = {};

/** MAYs the gateway declines on purpose. */
const MAYS_DECLINED: Record<string, string> = {
  // Apollo's CSRF prevention (kept on) refuses a GET that has neither a content-type nor a non-simple header
  // such as apollo-require-preflight; the audits send none. With the header these GETs work (tested below).
  '5A70': 'CSRF prevention: a GET needs apollo-require-preflight (or x-apollo-operation-name)',
  D6D5: 'CSRF prevention: a GET needs apollo-require-preflight (or x-apollo-operation-name)',
  '6A70': 'CSRF prevention: a GET needs apollo-require-preflight (or x-apollo-operation-name)',
};

type Failure = Extract<AuditResult, { reason: string }>;
const JSON_TYPE = /^application\/json\b/;
const GRAPHQL_RESPONSE_TYPE = /^application\/graphql-response\+json\b/;
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const get = (query: string, headers: Record<string, string> = {}) => ({
  search: `?query=${encodeURIComponent(query)}`,
  init: { method: 'GET', headers },
});
const byId = (id: string) => post({ query: 'query($id: ID!) { creator(id: $id) { id } }', variables: { id } });

describe('GraphQL over HTTP', () => {
  let stack: TestStack;
  let results: AuditResult[];

  beforeAll(async () => {
    stack = await startTestStack({ gateway: { graphiql: false } });
    results = [];
    // One at a time, each response read to its end: the audits leave some bodies unread.
    const fetchFn = async (input: string | URL | Request | URL, init?: RequestInit) => {
      const res = await fetch(input, init);
      const body = await res.arrayBuffer();
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
    for (const audit of serverAudits({ url: stack.gateway.url, fetchFn })) results.push(await audit.fn());
  }, 120_000);
  afterAll(() => stack?.close());

  const failures = (level: 'MUST' | 'SHOULD' | 'MAY') =>
    results.filter((r): r is Failure => r.status !== 'ok' && r.name.startsWith(`${level} `));
  const described = (f: Failure) => `${f.id} ${f.name}: ${f.reason} (${f.response.status})`;
  /** Failures not in the list, and listed audits that pass now (the list must say what is true). */
  function unexpected(level: 'MUST' | 'SHOULD' | 'MAY', expected: Record<string, string>) {
    const failed = failures(level);
    return {
      failing: failed.filter((f) => !Object.hasOwn(expected, f.id)).map(described),
      passingThoughListed: Object.keys(expected).filter((id) => !failed.some((f) => f.id === id)),
    };
  }

  it('ran every audit', () => {
    expect(results.length).toBe(serverAudits({ url: stack.gateway.url }).length);
    expect(results.length).toBeGreaterThan(50);
  });

  it('passes every MUST', () => {
    expect(unexpected('MUST', {})).toEqual({ failing: [], passingThoughListed: [] });
  });

  it('passes every SHOULD but those Apollo cannot', () => {
    expect(unexpected('SHOULD', SHOULDS_APOLLO_CANNOT_PASS)).toEqual({ failing: [], passingThoughListed: [] });
  });

  it('declines only the MAYs it means to', () => {
    expect(unexpected('MAY', MAYS_DECLINED)).toEqual({ failing: [], passingThoughListed: [] });
  });

  it('serves GET with URL-encoded variables to a client that sends the preflight header, and never a mutation', async () => {
    const url = new URL(stack.gateway.url);
    url.searchParams.set('query', 'query Type($name: String!) { __type(name: $name) { name } }');
    url.searchParams.set('variables', JSON.stringify({ name: 'Query' }));
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await fetch(url, { headers: { accept, ...PREFLIGHT } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { __type: { name: 'Query' } } });
    }
    const mutation = new URL(stack.gateway.url);
    mutation.searchParams.set('query', 'mutation { __typename }');
    const res = await fetch(mutation, { headers: PREFLIGHT });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    await res.arrayBuffer();
  });

  it('answers 406 to a POST that accepts neither JSON type', async () => {
    const res = await fetch(stack.gateway.url, {
      ...post({ query: '{ __typename }' }),
      headers: { 'content-type': 'application/json', accept: 'text/html' },
    });
    expect(res.status).toBe(406);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  interface StatusCase {
    kind: string;
    request: { search?: string; init: RequestInit };
    /** The status with Accept: application/json, and with Accept: application/graphql-response+json. */
    json: number;
    graphqlResponse: number;
    /** kit: refused before Apollo (parseJsonBody, body limit), always as application/json; apollo: as accepted. */
    by: 'kit' | 'apollo';
    /** The first error's message: the request is refused for the reason the case is about. */
    message?: RegExp;
  }
  const statusCases: StatusCase[] = [
    { kind: 'a success', request: { init: post({ query: '{ __typename }' }) }, json: 200, graphqlResponse: 200, by: 'apollo' },
    {
      kind: 'a field error (NOT_FOUND, data null)',
      request: { init: byId('00000000-0000-4000-8000-00000000dead') },
      json: 200,
      graphqlResponse: 200,
      message: /not found/i,
      by: 'apollo',
    },
    {
      kind: 'a body that is not JSON',
      request: { init: post('{ "query": ') },
      json: 400,
      graphqlResponse: 400,
      message: /not valid JSON/,
      by: 'kit',
    },
    {
      kind: 'JSON that is not an object',
      request: { init: post('null') },
      json: 400,
      graphqlResponse: 400,
      message: /must be a JSON object/,
      by: 'kit',
    },
    {
      kind: 'another content type',
      request: { init: post('{}', { 'content-type': 'text/plain' }) },
      json: 415,
      graphqlResponse: 415,
      message: /application\/json/,
      by: 'kit',
    },
    {
      kind: 'a body over 1 MB',
      request: { init: post({ query: '{ __typename }', variables: { x: 'y'.repeat(1_100_000) } }) },
      json: 413,
      graphqlResponse: 413,
      message: /too large/,
      by: 'kit',
    },
    {
      kind: 'no query',
      request: { init: post({ notquery: '{ __typename }' }) },
      json: 400,
      graphqlResponse: 400,
      message: /non-empty `query`/,
      by: 'apollo',
    },
    {
      kind: 'variables that are not a map',
      request: { init: post({ query: '{ __typename }', variables: 'x' }) },
      json: 400,
      graphqlResponse: 400,
      message: /`variables`/,
      by: 'apollo',
    },
    {
      kind: 'a GET without the preflight header (CSRF)',
      request: get('{ __typename }'),
      json: 400,
      graphqlResponse: 400,
      message: /Cross-Site Request Forgery/,
      by: 'apollo',
    },
    {
      kind: 'a mutation over GET',
      request: get('mutation { __typename }', PREFLIGHT),
      json: 405,
      graphqlResponse: 405,
      message: /GET requests only support query/,
      by: 'apollo',
    },
    {
      kind: 'an invalid token',
      request: { init: post({ query: '{ __typename }' }, { authorization: 'Bearer x' }) },
      json: 401,
      graphqlResponse: 401,
      message: /Invalid token/,
      by: 'apollo',
    },
    {
      kind: 'a document that does not parse',
      request: { init: post({ query: '{' }) },
      json: 200,
      graphqlResponse: 400,
      message: /^Syntax Error/,
      by: 'apollo',
    },
    {
      kind: 'a document that does not validate',
      request: { init: post({ query: '{ nope }' }) },
      json: 200,
      graphqlResponse: 400,
      message: /Cannot query field "nope"/,
      by: 'apollo',
    },
    {
      // The input guard refuses values GraphQL would not coerce (with the field); a missing one is GraphQL's.
      kind: 'a required variable missing (coercion)',
      request: { init: post({ query: 'query($id: ID!) { creator(id: $id) { id } }' }) },
      json: 200,
      graphqlResponse: 400,
      message: /"\$id" of required type "ID!" was not provided/,
      by: 'apollo',
    },
    {
      kind: 'the input guard',
      request: { init: byId('not-a-uuid') },
      json: 200,
      graphqlResponse: 400,
      message: /must be a UUID/,
      by: 'apollo',
    },
    {
      kind: 'the token limit',
      request: { init: post({ query: `{ ${'__typename '.repeat(1_000)}}` }) },
      json: 200,
      graphqlResponse: 400,
      message: /tokens/,
      by: 'apollo',
    },
    {
      kind: 'the alias limit',
      request: { init: post({ query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ')} }` }) },
      json: 200,
      graphqlResponse: 400,
      message: /alias/i,
      by: 'apollo',
    },
    {
      kind: 'the work limit',
      request: {
        // Page sizes in variables: graphql-armor's cost (of the shape) lets it through, the work estimate does not.
        init: post({
          query:
            'query($n: Int, $m: Int) { creators(first: $n) { edges { node { lookalikes(first: $m) { creator { handle accounts { followers } } } } } } }',
          variables: { n: 100, m: 50 },
        }),
      },
      json: 200,
      graphqlResponse: 400,
      message: /units of work/,
      by: 'apollo',
    },
  ];

  it.each(statusCases)('answers $kind with $json (application/json) or $graphqlResponse (graphql-response+json)', async (c) => {
    for (const [accept, status] of [
      ['application/json', c.json],
      ['application/graphql-response+json', c.graphqlResponse],
    ] as const) {
      const headers = { ...(c.request.init.headers as Record<string, string>), accept };
      const res = await fetch(`${stack.gateway.url}${c.request.search ?? ''}`, { ...c.request.init, headers });
      const type = res.headers.get('content-type') ?? '';
      const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
      expect({ accept, status: res.status }).toEqual({ accept, status });
      expect(type).toMatch(c.by === 'kit' || accept === 'application/json' ? JSON_TYPE : GRAPHQL_RESPONSE_TYPE);
      if (c.kind === 'a success') expect(body).toEqual({ data: { __typename: 'Query' } });
      else expect(body.errors?.[0]).toMatchObject({ message: expect.stringMatching(c.message ?? /./) });
      // A request error has no data, whatever its status; a field error has data (null here).
      if (c.json !== 200 || c.graphqlResponse !== 200) expect(body.data).toBeUndefined();
      else expect('data' in body).toBe(true);
    }
  });
});
