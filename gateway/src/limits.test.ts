import { ApolloServer } from '@apollo/server';
import { buildSchema, parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { toClientError } from '@influenceflow/kit';
import { DEFAULT_LIMITS, namedLimit, queryLimits, QueryLimits, workEstimator } from './limits';

const SDL = `
  type Creator { id: ID! handle: String! lookalikes(first: Int = 10): [Lookalike!]! accounts: [Account!]! child: Creator }
  type Lookalike { score: Int! creator: Creator! }
  type Account { followers: Int! }
  type CreatorEdge { node: Creator! cursor: String! }
  type CreatorConnection { edges: [CreatorEdge!]! }
  type Query { creators(first: Int = 20): CreatorConnection! creator(id: ID): Creator }
`;
const schema = buildSchema(SDL);
const work = (query: string, variables: Record<string, unknown> = {}) =>
  getComplexity({ schema, query: parse(query), variables, estimators: [workEstimator] });

async function serverWith(limits: Partial<QueryLimits> = {}, hideSuggestions = false) {
  const { parseOptions, validationRules, plugins } = queryLimits({ ...DEFAULT_LIMITS, ...limits }, { hideSuggestions });
  const resolvers = { Query: { creators: () => ({ edges: [] }), creator: () => null } };
  const server = new ApolloServer({
    typeDefs: SDL,
    resolvers,
    parseOptions,
    validationRules,
    plugins,
    formatError: (f, e) => namedLimit(toClientError(f, e)),
  });
  await server.start();
  const run = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await server.executeOperation({ query, variables });
    return res.body.kind === 'single' ? res.body.singleResult : null;
  };
  return { run, stop: () => server.stop() };
}

describe('gateway operation limits', () => {
  it('estimates work by what lists multiply: first, unpaged lists, connection edges once', () => {
    expect(work('{ creator { handle } }')).toBe(1);
    // creators(1) + 5 × (edges 1 + node 1)
    expect(work('{ creators(first: 5) { edges { node { handle } } } }')).toBe(11);
    expect(work('query($n: Int) { creators(first: $n) { edges { node { handle } } } }', { n: 50 })).toBe(101);
    // accounts is unpaged: 10 assumed
    // scalars come with their row; an unpaged list of objects counts 10 of them
    expect(work('{ creator { accounts { followers } } }')).toBe(1 + 1);
    expect(work('{ creator { child { accounts { followers } } } }')).toBe(1 + 1 + 1);
    expect(work('{ creators(first: 2) { edges { node { child { handle } } } } }')).toBe(1 + 2 * (1 + 1 + 1));
    // lookalikes: 25 of its own + first × what each item selects (its creator: 1)
    expect(work('{ creator { lookalikes(first: 4) { creator { handle } } } }')).toBe(1 + 25 + 4 * 1);
  });

  it('refuses nested lists that multiply past the work limit, naming the limit', async () => {
    const { run, stop } = await serverWith();
    try {
      // Page sizes count whether they are literals or variables.
      const nested =
        '{ creators(first: 100) { edges { node { lookalikes(first: 50) { creator { lookalikes(first: 50) { score } } } } } } }';
      expect((await run(nested))?.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'work' });
      const wide = `query($n: Int, $m: Int) { creators(first: $n) { edges { node {
        lookalikes(first: $m) { score } child { lookalikes(first: $m) { creator { handle } } } } } } }`;
      const refused = await run(wide, { n: 100, m: 50 });
      expect(refused?.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'work' });
      expect(refused?.errors?.[0].message).toMatch(/about 10301 units of work; the limit is 10000/);
      expect((await run(wide, { n: 10, m: 50 }))?.errors).toBeUndefined();
      const viaVariable = await run(
        'query($n: Int) { creators(first: $n) { edges { node { child { lookalikes(first: 50) { creator { id } } } } } } }',
        {
          n: 200,
        },
      );
      expect(viaVariable?.errors?.[0].extensions).toMatchObject({ limit: 'work' });
      const small = await run('query($n: Int) { creators(first: $n) { edges { node { lookalikes(first: 5) { score } } } } }', { n: 10 });
      expect(small?.errors).toBeUndefined();
    } finally {
      await stop();
    }
  });

  it('remembers estimates per document only by what they depend on: first, directives, left out or null', async () => {
    const { run, stop } = await serverWith({ maxWork: 2_000 });
    try {
      // the same query text (Apollo reuses its parsed document): accepted, then refused, then accepted again
      const paged =
        'query($n: Int, $id: ID) { creators(first: $n) { edges { node { lookalikes(first: 10) { score } } } } creator(id: $id) { id } }';
      expect((await run(paged, { n: 10, id: 'a' }))?.errors).toBeUndefined();
      expect((await run(paged, { n: 80, id: 'a' }))?.errors?.[0].extensions).toMatchObject({ limit: 'work' });
      expect((await run(paged, { n: 10, id: 'b' }))?.errors).toBeUndefined();
      // left out: the field's default (20: 1 + 20 × 27 + 1 = 542); null: no page size, MAX_PAGE_SIZE assumed
      expect((await run(paged, {}))?.errors).toBeUndefined();
      expect((await run(paged, { n: null }))?.errors?.[0].message).toMatch(/about 2702 units of work/);
      expect((await run(paged, {}))?.errors).toBeUndefined();
      // a directive's variable changes what is counted
      const optional = `query($deep: Boolean!) { creators(first: 100) { edges { node { handle
        lookalikes(first: 10) @include(if: $deep) { creator { lookalikes(first: 10) { score } } } } } } }`;
      expect((await run(optional, { deep: false }))?.errors).toBeUndefined();
      expect((await run(optional, { deep: true }))?.errors?.[0].extensions).toMatchObject({ limit: 'work' });
      expect((await run(optional, { deep: false }))?.errors).toBeUndefined();
    } finally {
      await stop();
    }
  });

  it('refuses operations deeper than the depth limit, also through fragments', async () => {
    const { run, stop } = await serverWith({ maxDepth: 4 });
    try {
      expect((await run('{ creator { child { child { handle } } } }'))?.errors).toBeUndefined();
      const deep = await run('{ creator { child { child { child { child { handle } } } } } }');
      expect(deep?.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'depth' });
      expect(deep?.errors?.[0].message).toBe('The operation is 6 levels deep; the limit is 4');
      const viaFragment = await run('{ creator { ...F } } fragment F on Creator { child { child { child { child { handle } } } } }');
      expect(viaFragment?.errors?.[0].extensions?.limit).toBe('depth');
    } finally {
      await stop();
    }
  });

  it('refuses too many aliases and too many tokens (a huge list literal)', async () => {
    const { run, stop } = await serverWith();
    try {
      const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: creator { id }`).join(' ');
      const tooMany = await run(`{ ${aliases} }`);
      expect(tooMany?.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'aliases' });
      expect(tooMany?.errors?.[0].message).toBe('The operation uses 16 aliases; the limit is 15');
      const literal = `{ creators(first: 1) { edges { cursor } } x: creator { lookalikes(first: [${Array.from({ length: 200_000 }, () => '1').join(',')}]) { score } } }`;
      const tokens = await run(literal);
      expect(tokens?.errors?.[0].message).toBe('The operation has more than 1000 tokens; the limit is 1000');
      expect(tokens?.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'tokens' });
    } finally {
      await stop();
    }
  });

  it('hides field suggestions when asked to (production)', async () => {
    const shown = await serverWith();
    const hidden = await serverWith({}, true);
    try {
      expect((await shown.run('{ creator { handel } }'))?.errors?.[0].message).toMatch(/Did you mean "handle"/);
      const message = (await hidden.run('{ creator { handel } }'))?.errors?.[0].message;
      expect(message).toMatch(/Cannot query field "handel"/);
      expect(message).not.toMatch(/Did you mean/);
    } finally {
      await shown.stop();
      await hidden.stop();
    }
  });

  it('does not let an operation merely named __schema past the limits', async () => {
    const { run, stop } = await serverWith({ maxDepth: 3 });
    try {
      const named = await run('query __schema { creator { child { child { child { handle } } } } }');
      expect(named?.errors?.[0].extensions?.limit).toBe('depth');
    } finally {
      await stop();
    }
  });
});
