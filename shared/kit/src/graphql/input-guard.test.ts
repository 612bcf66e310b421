import { buildSchema, OperationDefinitionNode, parse } from 'graphql';
import { checkOperationInputs, INPUT_LIMITS, stringProblem } from './input-guard';

const schema = buildSchema(`
  scalar SafeInt
  scalar DateTimeISO
  enum Sort { NEW OLD }
  input Money { amountMinor: SafeInt! currency: String! }
  input Filter { niches: [String!] sort: Sort first: Int = 20 at: DateTimeISO }
  input CampaignInput { brandId: ID! name: String! budget: Money! target: Float }
  type Query { campaign(id: ID!): Boolean search(filter: Filter, first: Int): Boolean }
  type Mutation { createCampaign(input: CampaignInput!): Boolean }
`);

function check(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const error = checkOperationInputs(schema, document, operation, variables);
  return error ? { field: error.field, message: error.message } : null;
}

const ID = '0190a2b4-1c2d-7e3f-8a9b-0c1d2e3f4a5b';
const input = (over: Record<string, unknown> = {}) => ({
  brandId: ID,
  name: 'Spring',
  budget: { amountMinor: 100, currency: 'USD' },
  ...over,
});
const CREATE = 'mutation($input: CampaignInput!) { createCampaign(input: $input) }';

describe('input guard', () => {
  it('lets well-formed inputs through', () => {
    expect(check(`{ campaign(id: "${ID}") }`)).toBeNull();
    expect(check(CREATE, { input: input({ target: 2.5 }) })).toBeNull();
    expect(
      check('query($f: Filter) { search(filter: $f) }', { f: { niches: ['food'], sort: 'NEW', at: '2027-01-01T00:00:00Z' } }),
    ).toBeNull();
  });

  it('wants UUIDs for every ID, as literals and as variables, named by the argument path', () => {
    expect(check('{ campaign(id: "abc") }')).toEqual({ field: 'id', message: 'Invalid id: must be a UUID' });
    expect(check('{ campaign(id: 42) }')?.field).toBe('id');
    expect(check('query($x: ID!) { campaign(id: $x) }', { x: 'abc' })?.field).toBe('id');
    expect(check(CREATE, { input: input({ brandId: 'acme' }) })?.field).toBe('input.brandId');
  });

  it('refuses NUL bytes, lone surrogates and strings over the limit, anywhere in the input', () => {
    expect(check(CREATE, { input: input({ name: 'a\u0000b' }) })).toEqual({
      field: 'input.name',
      message: 'Invalid input.name: must not contain NUL characters',
    });
    expect(check(CREATE, { input: input({ name: 'a\ud800b' }) })?.message).toMatch(/lone surrogate/);
    expect(check(CREATE, { input: input({ name: 'a\udc00' }) })?.field).toBe('input.name');
    expect(check(CREATE, { input: input({ name: '😀 ok' }) })).toBeNull();
    expect(check(CREATE, { input: input({ name: 'x'.repeat(INPUT_LIMITS.maxStringLength + 1) }) })?.field).toBe('input.name');
    expect(
      check('mutation { createCampaign(input: { brandId: "' + ID + '", name: "a\\u0000", budget: { amountMinor: 1, currency: "USD" } }) }')
        ?.field,
    ).toBe('input.name');
    expect(check('query($f: Filter) { search(filter: $f) }', { f: { at: 'x\u0000' } })?.field).toBe('filter.at');
  });

  it('bounds lists', () => {
    const niches = Array.from({ length: INPUT_LIMITS.maxListLength + 1 }, () => 'n');
    expect(check('query($f: Filter) { search(filter: $f) }', { f: { niches } })?.field).toBe('filter.niches');
    expect(check('query($f: Filter) { search(filter: $f) }', { f: { niches: ['ok', 'bad\u0000'] } })?.field).toBe('filter.niches.1');
  });

  it('refuses numbers GraphQL would coerce with an echo of the value, and non-finite ones', () => {
    expect(check(CREATE, { input: input({ budget: { amountMinor: 2 ** 53, currency: 'USD' } }) })?.field).toBe('input.budget.amountMinor');
    expect(check(CREATE, { input: input({ budget: { amountMinor: 1.5, currency: 'USD' } }) })?.field).toBe('input.budget.amountMinor');
    expect(check(CREATE, { input: input({ target: Infinity }) })?.field).toBe('input.target');
    expect(check('query($n: Int) { search(first: $n) }', { n: 2 ** 31 })?.field).toBe('first');
    expect(check('{ search(first: 5) }')).toBeNull();
    expect(
      check(
        'mutation { createCampaign(input: { brandId: "' +
          ID +
          '", name: "a", budget: { amountMinor: 1, currency: "USD" }, target: 1e309 }) }',
      )?.field,
    ).toBe('input.target');
  });

  it('reports missing required fields and unknown ones without echoing values; defaults stay defaults', () => {
    expect(check(CREATE, { input: { brandId: ID, budget: { amountMinor: 1, currency: 'USD' } } })?.field).toBe('input.name');
    const unknown = check(CREATE, { input: input({ ['x'.repeat(1000)]: 1 }) });
    expect(unknown?.field).toBe('input');
    expect(unknown?.message).not.toContain('x'.repeat(65));
    expect(check('query($f: Filter) { search(filter: $f) }', { f: { sort: 'SIDEWAYS' } })?.message).toMatch(/one of NEW, OLD/);
    expect(check('query($f: Filter) { search(filter: $f) }', { f: {} })).toBeNull(); // first defaults to 20
    expect(check('query($x: ID!) { campaign(id: $x) }', {})).toBeNull(); // GraphQL reports the missing variable
  });

  it('describes string problems on their own', () => {
    expect(stringProblem('fine')).toBeNull();
    expect(stringProblem('\u0000')).toMatch(/NUL/);
  });
});
