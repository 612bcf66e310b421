import { ApolloServer, HeaderMap } from '@apollo/server';
import { requestGuardPlugin, toClientError } from '@influenceflow/kit';
import { graphqlOverHttpPlugin, negotiatedMediaType } from './graphql-over-http';
import { DEFAULT_LIMITS, queryLimits } from './limits';

const SDL = `
  type Item { id: ID! children(first: Int = 20): [Item!]! }
  type Query { hello: String item(id: ID!): Item items(first: Int = 20): [Item!]! failing: String }
  type Mutation { touch: String }
`;

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/** An Apollo server set up like the gateway's: its limits, the input guard, toClientError and the plugin. */
async function server() {
  const limits = queryLimits({ ...DEFAULT_LIMITS, maxWork: 100 }, { hideSuggestions: false });
  const apollo = new ApolloServer({
    typeDefs: SDL,
    resolvers: {
      Query: {
        hello: () => 'hi',
        item: (_: unknown, { id }: { id: string }) => ({ id }),
        items: () => [],
        failing: () => {
          throw new Error('boom');
        },
      },
      Item: { children: () => [] },
      Mutation: { touch: () => 'ok' },
    },
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [requestGuardPlugin({ status: 400 }), ...limits.plugins, graphqlOverHttpPlugin()],
    formatError: (formatted, error) => toClientError(formatted, error),
  });
  await apollo.start();
  /** A request as it arrives over HTTP (what Apollo's Express middleware hands over). */
  const send = async (
    body: Record<string, unknown> | null,
    headers: Record<string, string> = {},
    method: 'POST' | 'GET' = 'POST',
    search = '',
  ) => {
    const res = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method,
        headers: new HeaderMap(Object.entries({ 'content-type': 'application/json', ...headers })),
        search,
        body: body ?? {},
      },
      context: async () => ({}),
    });
    const text = res.body.kind === 'complete' ? res.body.string : '';
    return { status: res.status ?? 200, type: res.headers.get('content-type'), body: JSON.parse(text) as Record<string, unknown> };
  };
  return { apollo, send };
}

const JSON_ACCEPTS = [undefined, '', '*/*', 'application/json', 'application/*', 'application/json, application/graphql-response+json'];
const GRAPHQL_RESPONSE_ACCEPTS = [
  'application/graphql-response+json',
  'application/graphql-response+json, application/json;q=0.9',
  'application/json;q=0.5, */*;q=0.8',
  'APPLICATION/GRAPHQL-RESPONSE+JSON; charset=UTF-8',
];

describe('GraphQL over HTTP statuses', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server();
  });
  afterAll(() => s.apollo.stop());

  it('negotiates the media type as Apollo does', async () => {
    const accepts = [
      ...JSON_ACCEPTS,
      ...GRAPHQL_RESPONSE_ACCEPTS,
      'application/json;q=0, application/graphql-response+json;q=0.1',
      'application/json;charset=utf-8;q=0.4, application/graphql-response+json;q=0.4',
      'application/graphql-response+json;q=0.4, application/json;q=0.4',
      'text/html, application/xhtml+xml, */*;q=0.1',
    ];
    for (const accept of accepts) {
      const res = await s.send({ query: '{ hello }' }, accept === undefined ? {} : { accept });
      expect({ accept, type: res.type?.split(';')[0] }).toEqual({ accept, type: negotiatedMediaType(accept) });
    }
    expect(negotiatedMediaType('text/html')).toBeNull();
    expect((await s.send({ query: '{ hello }' }, { accept: 'text/html' })).status).toBe(406);
  });

  const requestErrors: [string, Record<string, unknown>, RegExp][] = [
    ['a document that does not parse', { query: '{' }, /^Syntax Error/],
    ['a document that does not validate', { query: '{ nope }' }, /Cannot query field "nope"/],
    ['variables that cannot be coerced', { query: 'query($id: ID!) { item(id: $id) { id } }', variables: { id: { no: 1 } } }, /id/],
    ['a missing variable', { query: 'query($id: ID!) { item(id: $id) { id } }' }, /id/],
    ['an operation name that is not in the document', { query: 'query A { hello }', operationName: 'B' }, /Unknown operation named "B"/],
    [
      'a limit (aliases, a validation rule)',
      { query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: hello`).join(' ')} }` },
      /aliases/i,
    ],
    ['a limit (work, a plugin)', { query: '{ items(first: 100) { children(first: 1) { id } } }' }, /units of work/],
    ['the input guard (a plugin)', { query: 'query($id: ID!) { item(id: $id) { id } }', variables: { id: 'not-a-uuid' } }, /id/],
  ];

  it.each(requestErrors)(
    'answers %s with 200 as application/json, 400 as application/graphql-response+json',
    async (_what, body, message) => {
      for (const accept of JSON_ACCEPTS) {
        const res = await s.send(body, accept === undefined ? {} : { accept });
        expect({ accept, status: res.status, type: res.type }).toEqual({ accept, status: 200, type: JSON_TYPE });
        expect(res.body.data).toBeUndefined();
        expect(res.body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(message),
            extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
          }),
        ]);
      }
      for (const accept of GRAPHQL_RESPONSE_ACCEPTS) {
        const res = await s.send(body, { accept });
        expect({ accept, status: res.status, type: res.type }).toEqual({ accept, status: 400, type: GRAPHQL_RESPONSE_TYPE });
        expect(res.body.data).toBeUndefined();
      }
    },
  );

  it('keeps 4xx for what is not a GraphQL request, whatever the client accepts', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      expect((await s.send({ notquery: '{ hello }' }, { accept })).status).toBe(400);
      expect((await s.send({ query: '{ hello }', variables: 'nope' }, { accept })).status).toBe(400);
      const mutationOverGet = await s.send(
        null,
        { accept, 'apollo-require-preflight': 'true' },
        'GET',
        `?query=${encodeURIComponent('mutation { touch }')}`,
      );
      expect(mutationOverGet.status).toBe(405);
      const csrf = await s.send(null, { accept, 'content-type': 'text/plain' }, 'GET', `?query=${encodeURIComponent('{ hello }')}`);
      expect(csrf.status).toBe(400);
      expect(csrf.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
    }
  });

  it('leaves successes and field errors alone', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      expect(await s.send({ query: '{ hello }' }, { accept })).toMatchObject({ status: 200, body: { data: { hello: 'hi' } } });
      const field = await s.send({ query: '{ hello failing }' }, { accept });
      expect(field).toMatchObject({ status: 200, body: { data: { hello: 'hi', failing: null } } });
    }
  });

  it('does nothing without an HTTP request (executeOperation)', async () => {
    const res = await s.apollo.executeOperation({ query: '{' });
    expect(res.http.status).toBe(400);
  });
});
