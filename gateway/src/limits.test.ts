import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { limitRules } from './limits';

const schema = buildSchema(`type Node { id: ID! child: Node } type Query { node: Node }`);
const check = (query: string) => validate(schema, parse(query), [...specifiedRules, ...limitRules({ maxDepth: 4, maxAliases: 2 })]);

describe('gateway operation limits', () => {
  it('accepts an operation within the depth limit and refuses a deeper one', () => {
    expect(check('{ node { child { child { id } } } }')).toEqual([]);
    const errors = check('{ node { child { child { child { id } } } } }');
    expect(errors.map((e) => e.message)).toEqual(['The operation is 5 levels deep; the limit is 4']);
    expect(errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'depth' });
  });

  it('counts depth through fragments and inline fragments', () => {
    const deep = 'query { node { ...F } } fragment F on Node { child { ... on Node { child { child { id } } } } }';
    expect(check(deep).map((e) => e.message)).toEqual(['The operation is 5 levels deep; the limit is 4']);
  });

  it("lets GraphiQL's deep introspection through, but not a deep query named like it", () => {
    const introspection = '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }';
    expect(check(introspection)).toEqual([]);
    expect(check('query __schema { node { child { child { child { id } } } } }')).toHaveLength(1);
  });

  it('refuses too many aliases', () => {
    expect(check('{ a: node { id } b: node { id } }')).toEqual([]);
    expect(check('{ a: node { id } b: node { id } c: node { id } }').map((e) => e.message)).toEqual([
      'The operation uses 3 aliases; the limit is 2',
    ]);
  });
});
