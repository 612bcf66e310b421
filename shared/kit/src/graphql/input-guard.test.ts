import { buildSchema, OperationDefinitionNode, parse } from 'graphql';
import { checkOperationInputs, INPUT_LIMITS, stringProblem } from './input-guard';

const schema = buildSchema(`
  scalar SafeInt
  scalar DateTimeISO
  scalar _Any
  enum Sort { NEW OLD }
  input Money { amountMinor: SafeInt! currency: String! }
  input Filter { niches: [String!] sort: Sort first: Int = 20 at: DateTimeISO }
  input CampaignInput { brandId: ID! name: String! budget: Money! target: Float }
  type Query { campaign(id: ID!): Boolean search(filter: Filter, first: Int): Boolean _entities(representations: [_Any!]!): [Boolean]! posted(at: DateTimeISO!, amount: SafeInt): Boolean }
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

  it('checks the defaults an operation declares for its variables, as literals', () => {
    expect(check('query($id: ID = "not-a-uuid") { campaign(id: $id) }', {})?.field).toBe('id');
    expect(check('query($id: ID = "not-a-uuid") { campaign(id: $id) }', { id: ID })).toBeNull(); // the value given wins
    expect(check('query($x: Float = 1e309) { search(filter: { first: 1 }, first: 1) createdAfter: search(first: 2) }', {})).toBeNull();
    expect(check('query($t: Float = 1e309) { createCampaign: search(first: 1) }', {})).toBeNull(); // unused
    expect(
      check(
        `mutation($n: String = "a\\u0000b") { createCampaign(input: { brandId: "${ID}", name: $n, budget: { amountMinor: 1, currency: "USD" } }) }`,
        {},
      )?.field,
    ).toBe('input.name');
  });

  it('checks SafeInt and DateTimeISO, which the gateway knows by name only', () => {
    expect(check(`{ posted(at: "2027-03-01T09:30:00Z", amount: 9007199254740991) }`)).toBeNull();
    expect(check(`{ posted(at: "2027-03-01T09:30:00Z", amount: 9007199254740993) }`)?.field).toBe('amount');
    expect(check(`{ posted(at: "2027-03-01T09:30:00Z", amount: "12") }`)?.field).toBe('amount');
    expect(check(`{ posted(at: "2027-03-01T09:30:00Z", amount: 1e3) }`)?.field).toBe('amount');
    expect(check(`{ posted(at: "garbage") }`)?.message).toMatch(/ISO 8601/);
    expect(check(`{ posted(at: 12345) }`)?.field).toBe('at');
    expect(check('query($d: DateTimeISO!) { posted(at: $d) }', { d: 'garbage' })?.field).toBe('at');
    expect(check('query($d: DateTimeISO!) { posted(at: $d) }', { d: '2027-02-30T00:00:00Z' })).toBeNull(); // Date.parse rolls it; the subgraph decides
  });

  it('bounds nesting inside custom scalars instead of overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(check('query($r: [_Any!]!) { _entities(representations: $r) }', { r: [{ __typename: 'Creator', id: ID }] })).toBeNull();
    expect(check('query($f: Filter) { search(filter: $f) }', { f: { at: deep } })?.message).toMatch(/ISO 8601/);
    const schemaWithJson = buildSchema('scalar JSON type Query { echo(value: JSON): Boolean }');
    const document = parse('query($v: JSON) { echo(value: $v) }');
    const error = checkOperationInputs(schemaWithJson, document, document.definitions[0] as OperationDefinitionNode, { v: deep });
    expect(error?.message).toMatch(/nest deeper than 32 levels/);
  });

  it("leaves the gateway's entity representations alone, however many", () => {
    const representations = Array.from({ length: 2000 }, () => ({ __typename: 'Creator', id: ID }));
    expect(check('query($r: [_Any!]!) { _entities(representations: $r) }', { r: representations })).toBeNull();
  });

  it('names every malformed field of an operation in one error, literals and variables alike', () => {
    const document = parse(
      'mutation($input: CampaignInput!, $id: ID!) { a: createCampaign(input: $input) b: createCampaign(input: { brandId: $id, name: "x\\u0000", budget: { amountMinor: 1, currency: "USD" } }) }',
    );
    const operation = document.definitions[0] as OperationDefinitionNode;
    const error = checkOperationInputs(schema, document, operation, {
      input: { brandId: 'nope', name: 'a\u0000b', budget: { amountMinor: 1.5, currency: 'USD' }, extra: 1 },
      id: 'also-nope',
    });
    // The same problem of the same field (both mutations' brandId, both names' NUL) is listed once.
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input', message: expect.stringMatching(/and 3 more: see problems/) });
    expect(error!.details!.problems).toEqual([
      { field: 'input', reason: 'has no field named "extra" (CampaignInput)' },
      { field: 'input.brandId', reason: 'must be a UUID' },
      { field: 'input.name', reason: 'must not contain NUL characters' },
      { field: 'input.budget.amountMinor', reason: 'must be a whole number below 2^53 in size' },
    ]);
  });
  it('checks each request of the same parsed document with its own variables (the walk is remembered, not the verdict)', () => {
    // Apollo hands every request of the same query text the same document object
    const document = parse('query($f: Filter, $id: ID!) { search(filter: $f) campaign(id: $id) }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const run = (variables: Record<string, unknown>) => checkOperationInputs(schema, document, operation, variables)?.field ?? null;
    expect(run({ id: ID, f: { niches: ['food'] } })).toBeNull();
    expect(run({ id: 'abc', f: { niches: ['food'] } })).toBe('id');
    expect(run({ id: ID, f: { niches: ['a\u0000'] } })).toBe('filter.niches.0');
    expect(run({ id: ID })).toBeNull();
    // the same text parsed again (another document object): checked alike
    const again = parse('query($f: Filter, $id: ID!) { search(filter: $f) campaign(id: $id) }');
    expect(checkOperationInputs(schema, again, again.definitions[0] as OperationDefinitionNode, { id: 'x' })?.field).toBe('id');
  });
});
