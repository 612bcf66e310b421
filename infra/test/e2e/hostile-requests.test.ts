import { connect } from 'node:net';
import { DEV_SIGNING_SECRET, encodeCursor, IDENTITY_HEADER, SERVICE_NAMES, signGatewayCall } from '@influenceflow/kit';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput } from './support';

/**
 * What a careless or hostile client meets, through the gateway with real tokens (and directly at the
 * subgraphs for the signature): each refusal is a JSON GraphQL error with a stable code and its field,
 * nothing is half-written, and nothing internal (a stack, a path, the value sent) comes back.
 */
const CREATE_BRAND = `mutation($input: CreateBrandInput!) { createBrand(input: $input) { id name } }`;
const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`;

type Errors = { errors?: { message: string; extensions?: { code?: string; field?: string; limit?: string } }[] };

/** What no response may show: an HTML page, a stack frame, a path on this machine. */
function expectNothingInternal(text: string) {
  expect(text).not.toMatch(/<html|<!doctype/i);
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).not.toContain(process.cwd());
  expect(text).not.toMatch(/node_modules|QueryFailedError|violates|constraint/);
}

async function raw(url: string, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST') {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: method === 'GET' ? undefined : body,
  });
  const text = await res.text();
  expectNothingInternal(text);
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: JSON.parse(text) as Errors };
}

describe('hostile requests', () => {
  let stack: TestStack;
  let admin: string;
  let member: string;
  let brandId: string;

  const brandCount = async () =>
    Number((await stack.subgraphs.campaign.runtime.dataSource.query(`SELECT count(*)::int AS n FROM brands`))[0].n);
  const campaignCount = async () =>
    Number((await stack.subgraphs.campaign.runtime.dataSource.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n);
  const campaignInputOf = (over: Record<string, unknown> = {}) => campaignInput(brandId, over);

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await stack.token({ sub: 'admin', roles: ['admin'] });
    const brand = await stack.query<{ createBrand: { id: string } }>(CREATE_BRAND, { input: { name: 'Acme' } }, admin);
    brandId = brand.data!.createBrand.id;
    member = await stack.token({ sub: 'm', roles: ['brand_member'], brandIds: [brandId] });
  }, 120_000);
  afterAll(() => stack?.close());

  describe('bodies that are not GraphQL requests get a JSON error, never an HTML page with the stack', () => {
    const cases: [string, string | Buffer, Record<string, string>, number][] = [
      ['malformed JSON', '{"query": "{ __typename ', {}, 400],
      ['null', 'null', {}, 400],
      ['a JSON string', '"{ __typename }"', {}, 400],
      ['a wrong charset', '{"query":"{ __typename }"}', { 'content-type': 'application/json; charset=iso-8859-1' }, 415],
      ['UTF-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"query":"{ __typename }"}', 'utf16le')]), {}, 400],
      ['text/plain', '{"query":"{ __typename }"}', { 'content-type': 'text/plain' }, 415],
    ];
    it.each(cases)('%s, at the gateway', async (_name, body, headers, status) => {
      const res = await raw(stack.gateway.url, body, headers);
      expect(res.status).toBe(status);
      expect(res.type).toMatch(/^application\/json/);
      expect(res.json.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    });

    it('a body over the size limit, at the gateway (413)', async () => {
      const res = await raw(stack.gateway.url, JSON.stringify({ query: '{ __typename }', variables: { x: 'y'.repeat(1_100_000) } }));
      expect(res.status).toBe(413);
      expect(res.json.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    });

    it.each(SERVICE_NAMES)(
      'at the %s subgraph, an unsigned malformed body is refused for its signature before it is parsed',
      async (name) => {
        const url = stack.subgraphs[name].url;
        for (const [, body, headers] of cases) {
          const res = await raw(url, body, headers);
          expect(res.status).toBe(401);
          expect(res.json.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        }
      },
    );

    it('at a subgraph, a signed malformed body is a JSON BAD_REQUEST', async () => {
      const url = stack.subgraphs.campaign.url;
      for (const body of ['{"query": ', 'null']) {
        const header = signGatewayCall(null, { method: 'POST', subgraph: 'campaign', body }, DEV_SIGNING_SECRET);
        const res = await raw(url, body, { [IDENTITY_HEADER]: header });
        expect(res.status).toBe(400);
        expect(res.json.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
      }
    });

    it('an unknown path is a JSON 404', async () => {
      const res = await raw(stack.gateway.url.replace('/graphql', '/nope'), '', {}, 'GET');
      expect(res.status).toBe(404);
    });
  });

  describe('a captured gateway signature', () => {
    const query = JSON.stringify({ query: '{ brand(id: "00000000-0000-4000-8000-000000000001") { id } }' });
    const send = (subgraph: string, body: string, header: string, method = 'POST') =>
      fetch(stack.subgraphs[subgraph as 'campaign'].url, {
        method,
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: header },
        body: method === 'GET' ? undefined : body,
      });
    const adminIdentity = { sub: 'attacker', roles: ['admin' as const], brandIds: [], creatorId: null };

    it('works only for the body, the subgraph and the method it was made for', async () => {
      const header = signGatewayCall(adminIdentity, { method: 'POST', subgraph: 'campaign', body: query }, DEV_SIGNING_SECRET);
      expect((await send('campaign', query, header)).status).toBe(200);
      const otherBody = JSON.stringify({ query: '{ campaigns(brandId: "00000000-0000-4000-8000-000000000001") { edges { cursor } } }' });
      expect((await send('campaign', otherBody, header)).status).toBe(401);
      for (const other of SERVICE_NAMES.filter((n) => n !== 'campaign')) expect((await send(other, query, header)).status).toBe(401);
      expect((await send('campaign', query, header, 'GET')).status).toBe(405);
    });

    it('expires within seconds and is not accepted from the future', async () => {
      const old = signGatewayCall(
        adminIdentity,
        { method: 'POST', subgraph: 'campaign', body: query },
        DEV_SIGNING_SECRET,
        Date.now() - 11_000,
      );
      const ahead = signGatewayCall(
        adminIdentity,
        { method: 'POST', subgraph: 'campaign', body: query },
        DEV_SIGNING_SECRET,
        Date.now() + 3_000,
      );
      for (const header of [old, ahead]) {
        const res = await send('campaign', query, header);
        expect(res.status).toBe(401);
        expect(((await res.json()) as Errors).errors?.[0].message).toMatch(/expired gateway signature/);
      }
    });

    it('cannot run a mutation twice', async () => {
      const body = JSON.stringify({ query: CREATE_BRAND, variables: { input: { name: 'Replayed' } } });
      const header = signGatewayCall(adminIdentity, { method: 'POST', subgraph: 'campaign', body }, DEV_SIGNING_SECRET);
      const before = await brandCount();
      const first = (await (await send('campaign', body, header)).json()) as Errors & { data?: unknown };
      expect(first.errors).toBeUndefined();
      const again = (await (await send('campaign', body, header)).json()) as Errors;
      expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(again.errors?.[0].message).toMatch(/already received/);
      expect(await brandCount()).toBe(before + 1);
    });

    it('through the gateway, the same mutation sent twice runs twice (each call is signed anew)', async () => {
      const before = await brandCount();
      for (let i = 0; i < 2; i++) expect((await stack.query(CREATE_BRAND, { input: { name: 'Twice' } }, admin)).errors).toBeUndefined();
      expect(await brandCount()).toBe(before + 2);
    });
  });

  describe('client mistakes are BAD_USER_INPUT with the field, decided before the database', () => {
    const expectBadInput = (res: Errors, field: string) => {
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0].message.length).toBeLessThanOrEqual(300);
    };

    it('ids that are not UUIDs, as variables and as literals', async () => {
      expectBadInput(await stack.query(`query($id: ID!) { campaign(id: $id) { id } }`, { id: 'abc' }, member), 'id');
      expectBadInput(await stack.query(`{ campaign(id: "1; DROP TABLE campaigns") { id } }`, {}, member), 'id');
      expectBadInput(await stack.query(`{ campaign(id: 12345) { id } }`, {}, member), 'id');
      expectBadInput(await stack.query(CREATE_CAMPAIGN, { input: campaignInputOf({ brandId: 'acme' }) }, member), 'input.brandId');
      expectBadInput(await stack.query(`{ creator(id: "x") { id } }`), 'id');
    });

    it('cursors holding values of the wrong type', async () => {
      for (const after of [encodeCursor([123, { a: 1 }] as never), encodeCursor(['2027-01-01T00:00:00.000Z', 'not-a-uuid']), 'garbage']) {
        expectBadInput(
          await stack.query(
            `query($b: ID!, $a: String) { campaigns(brandId: $b, after: $a) { edges { cursor } } }`,
            { b: brandId, a: after },
            member,
          ),
          'after',
        );
      }
      const search = `query($a: String) { searchCreators(first: 5, after: $a) { edges { cursor } } }`;
      expectBadInput(
        await stack.query(search, { a: encodeCursor(['engagement', "1' OR '1'='1", '00000000-0000-4000-8000-000000000001']) }),
        'after',
      );
    });

    it('a NUL byte, a lone surrogate, a huge string or a huge list, and nothing is written', async () => {
      const before = await brandCount();
      expectBadInput(await stack.query(CREATE_BRAND, { input: { name: 'Ac\u0000me' } }, admin), 'input.name');
      expectBadInput(await stack.query(CREATE_BRAND, { input: { name: 'Ac\ud800me' } }, admin), 'input.name');
      expectBadInput(await stack.query(`mutation { createBrand(input: { name: "Ac\\u0000me" }) { id } }`, {}, admin), 'input.name');
      const huge = 'z'.repeat(200_000);
      const res = await stack.query(CREATE_BRAND, { input: { name: huge } }, admin);
      expectBadInput(res, 'input.name');
      expect(JSON.stringify(res)).not.toContain('z'.repeat(65));
      const niches = Array.from({ length: 1000 }, (_, i) => `n${i}`);
      expectBadInput(
        await stack.query(`query($f: CreatorSearchFilter) { searchCreators(filter: $f) { edges { cursor } } }`, { f: { niches } }),
        'filter.niches',
      );
      expect(await brandCount()).toBe(before);
    });

    it('a whitespace-only name (the table would refuse it as a CHECK violation)', async () => {
      const before = await campaignCount();
      expectBadInput(await stack.query(CREATE_BRAND, { input: { name: '   ' } }, admin), 'input.name');
      expectBadInput(await stack.query(CREATE_CAMPAIGN, { input: campaignInputOf({ name: ' \t ' }) }, member), 'input.name');
      expect(await campaignCount()).toBe(before);
    });

    it('amounts of 2^53 or 1.5 minor units, and numbers too large for a double', async () => {
      const before = await campaignCount();
      expectBadInput(
        await stack.query(CREATE_CAMPAIGN, { input: campaignInputOf({ budget: { amountMinor: 2 ** 53, currency: 'USD' } }) }, member),
        'input.budget.amountMinor',
      );
      expectBadInput(
        await stack.query(CREATE_CAMPAIGN, { input: campaignInputOf({ budget: { amountMinor: 1.5, currency: 'USD' } }) }, member),
        'input.budget.amountMinor',
      );
      // 1e309 is Infinity once JSON-parsed: an HTTP 500 before.
      const body = JSON.stringify({ query: CREATE_CAMPAIGN, variables: { input: campaignInputOf() } }).replace(
        '"target":500',
        '"target":1e309',
      );
      const res = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${member}` },
        body,
      });
      // A request error, answered as application/json: 200 (docs/security.md, "GraphQL over HTTP").
      expect(res.status).toBe(200);
      const viaJson = (await res.json()) as Errors;
      expectBadInput(viaJson, 'input.goal.target');
      const literal = `mutation { createCampaign(input: { brandId: "${brandId}", name: "x", goal: { type: TRAFFIC, target: 1e309 }, budget: { amountMinor: 1, currency: "USD" }, startsOn: "2027-03-01", endsOn: "2027-03-31" }) { id } }`;
      const viaLiteral = await stack.query(literal, {}, member);
      expectBadInput(viaLiteral, 'input.goal.target');
      expect(await campaignCount()).toBe(before);
    });

    it('an invalid currency is refused without being echoed', async () => {
      const res = await stack.query(
        CREATE_CAMPAIGN,
        { input: campaignInputOf({ budget: { amountMinor: 1, currency: 'EVIL<script>' } }) },
        member,
      );
      expectBadInput(res, 'input.budget.currency');
      expect(res.errors?.[0].message).not.toContain('EVIL');
    });
  });

  describe('operations too costly for the gateway', () => {
    it('refuses nested lookalikes, a 200,000-token list literal and needless depth before any subgraph runs', async () => {
      const nested = `{ creators(first: 100) { edges { node { lookalikes(first: 50) { creator { lookalikes(first: 50) { score } } } } } } }`;
      expect((await stack.query(nested)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const viaVariables = `query($n: Int, $m: Int) { creators(first: $n) { edges { node { lookalikes(first: $m) { creator { handle accounts { followers } } } } } } }`;
      const work = await stack.query(viaVariables, { n: 100, m: 50 });
      expect(work.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'work' });
      const tokens = `{ searchCreators(filter: { niches: [${Array.from({ length: 200_000 }, () => '1').join(',')}] }) { edges { cursor } } }`;
      const res = await stack.query(tokens);
      expect(res.status).toBe(200); // a request error as application/json (docs/security.md, "GraphQL over HTTP")
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/tokens/);
      let deep = 'handle';
      for (let i = 0; i < 6; i++) deep = `lookalikes(first: 1) { creator { ${deep} } }`;
      expect((await stack.query(`{ creators(first: 1) { edges { node { ${deep} } } } }`)).errors?.[0].extensions?.code).toBe(
        'BAD_USER_INPUT',
      );
    });
  });

  describe('tokens', () => {
    const claims = { sub: 'alice', roles: ['brand_member'], brandIds: [] as string[], creatorId: null };
    const now = () => Math.floor(Date.now() / 1000);

    it('refuses a token without exp, with a 100-year exp, or issued in the future', async () => {
      const refused = [
        await stack.issuer.signPayload({ ...claims, iat: now() }),
        await stack.issuer.signPayload({ ...claims, iat: now(), exp: now() + 100 * 365 * 86_400 }),
        await stack.issuer.signPayload({ ...claims, exp: now() + 100 * 365 * 86_400 }),
        await stack.issuer.signPayload({ ...claims, iat: now() + 3600, exp: now() + 7200 }),
      ];
      for (const token of refused) {
        const res = await stack.query(`{ __typename }`, {}, token);
        expect(res.status).toBe(401);
        expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      }
      const fine = await stack.issuer.signPayload({ ...claims, iat: now(), exp: now() + 3600 });
      expect((await stack.query(`{ __typename }`, {}, fine)).errors).toBeUndefined();
    });
  });

  describe('what a probe of the fixed stack still found', () => {
    const expectBadInput = (res: Errors, field?: string) => {
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      if (field) expect(res.errors?.[0].extensions?.field).toBe(field);
    };

    it("checks variables' declared defaults like literals, so a mutation does not half-run", async () => {
      expectBadInput(await stack.query(`query($id: ID = "not-a-uuid") { campaign(id: $id) { id } }`, {}, member), 'id');
      expectBadInput(await stack.query(`query($h: String = "trail\\u0000tess") { creatorByHandle(handle: $h) { id } }`), 'handle');
      const infinite = await stack.query(
        `query($x: Float = 1e309) { searchCreators(filter: { engagementRate: { min: $x } }, first: 1) { edges { cursor } } }`,
      );
      expect(infinite.status).not.toBe(500);
      expectBadInput(infinite, 'filter.engagementRate.min');
      const before = await brandCount();
      const half = await stack.query(
        `mutation($b: ID = "not-a-uuid") { a: createBrand(input: { name: "Half" }) { id } b: changeCampaignStatus(id: $b, status: ACTIVE) { id } }`,
        {},
        admin,
      );
      expectBadInput(half, 'id');
      expect(await brandCount()).toBe(before);
    });

    it('bounds what a NOT_FOUND error says of the value looked for', async () => {
      const res = await stack.query(`query($h: String!) { creatorByHandle(handle: $h) { id } }`, { h: 'a'.repeat(99_999) });
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res).length).toBeLessThan(1_000);
    });

    it('refuses bad SafeInt and DateTimeISO values with the field (they were INTERNAL)', async () => {
      const price = (amount: string) =>
        `mutation { setRateCardEntry(input: { platform: INSTAGRAM, format: REEL, price: { amountMinor: ${amount}, currency: "USD" } }) { id } }`;
      for (const amount of ['9007199254740993', '"12"', '1.5', '1e3'])
        expectBadInput(await stack.query(price(amount)), 'input.price.amountMinor');
      const creator = await stack.token({ sub: 'c', roles: ['creator'], creatorId: '00000000-0000-4000-8000-000000000077' });
      const save = `mutation($d: DateTimeISO!) { saveMyPlatformAccount(input: { platform: DISCORD, handle: "x.y", followers: 1, posts: [{ postedAt: $d, format: POST, likes: 1, comments: 1 }] }) { id } }`;
      for (const d of ['garbage', 12345]) expectBadInput(await stack.query(save, { d }, creator), 'input.posts.0.postedAt');
      // Built as text: JSON.stringify itself overflows at this depth.
      const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
      const body = `{"query":${JSON.stringify(save)},"variables":{"d":${deep}}}`;
      const nested = await raw(stack.gateway.url, body, { authorization: `Bearer ${creator}` });
      expect(nested.status).not.toBe(500);
      expectBadInput(nested.json);
    });

    it("answers an unknown operation name, an unnamed choice and a wrong persisted-query hash as the client's mistake", async () => {
      const bodies = [
        { query: 'query A { __typename }', operationName: 'B' },
        { query: 'query A { __typename } query B { __typename }' },
        { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      ];
      for (const body of bodies) {
        const res = await raw(stack.gateway.url, JSON.stringify(body));
        expect(res.status).toBeLessThan(500);
        expect(res.json.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      }
    });

    it('checks the dates and numbers inside cursors strictly', async () => {
      const list = `query($b: ID!, $a: String) { campaigns(brandId: $b, after: $a) { edges { cursor } } }`;
      for (const at of ['+275760-09-13T00:00:00Z', '2026-02-30T00:00:00.000Z', '2026', '1']) {
        expectBadInput(
          await stack.query(list, { b: brandId, a: encodeCursor([at, '687af845-661c-4ddf-8d5f-8ba4f46f65d5']) }, member),
          'after',
        );
      }
      const search = `query($a: String) { searchCreators(first: 5, after: $a) { edges { cursor } } }`;
      expectBadInput(
        await stack.query(search, { a: encodeCursor(['engagement', '1e400', '687af845-661c-4ddf-8d5f-8ba4f46f65d5']) }),
        'after',
      );
    });

    it('names the limit an operation broke', async () => {
      let deep = 'handle';
      for (let i = 0; i < 6; i++) deep = `lookalikes(first: 1) { creator { ${deep} } }`;
      const res = await stack.query(`{ creators(first: 1) { edges { node { ${deep} } } } }`);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'depth' });
      expect(res.errors?.[0].message).not.toMatch(/Syntax Error/);
    });

    it('answers a body announced larger than the limit at once, without waiting for it', async () => {
      const { hostname, port } = new URL(stack.gateway.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{"q`);
        });
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('utf8')));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toContain('"BAD_REQUEST"');
    });

    it("answers a media-kit path with a broken escape as the client's mistake", async () => {
      const base = stack.gateway.url.replace('/graphql', '');
      const broken = await fetch(`${base}/media-kits/%E0%A4%A`);
      expect(broken.status).toBe(400);
      expect(await broken.text()).not.toMatch(/<html|URIError/);
      expect((await fetch(`${base}/media-kits/a%00b.json`)).status).toBe(404);
    });

    it('refuses names that show nothing or show something else', async () => {
      for (const name of ['\u200b\u200b', '\u202eevil'])
        expectBadInput(await stack.query(CREATE_BRAND, { input: { name } }, admin), 'input.name');
    });
  });
});
