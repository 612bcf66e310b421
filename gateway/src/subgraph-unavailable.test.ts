import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTcpServer, Server as TcpServer, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { createLogger, formatTraceparent, newTrace, parseTraceparent } from '@influenceflow/kit';
import { SigningDataSource } from './signing-data-source';
import { isGraphQLAnswer, missingPaths, refusalErrors, unavailableAnswer, valueCompletionPlugin } from './subgraph-unavailable';

describe('the parts a failed fetch leaves missing', () => {
  it('are the root fields of a root fetch, by response name, without __typename and what @skip/@include leave out', () => {
    const doc = parse(`query($a: Boolean!, $b: Boolean!) {
      __typename
      report: campaignReport(campaignId: "x") { totals { clicks } }
      shops(brandId: "y") { id }
      skipped: shops(brandId: "z") @skip(if: $a) { id }
      kept: shops(brandId: "w") @include(if: $b) { id }
      ...More
    }
    fragment More on Query { reportShares(campaignId: "x") { id } }`);
    expect(missingPaths(doc, { a: true, b: true })).toEqual([['report'], ['shops'], ['kept'], ['reportShares']]);
    expect(missingPaths(doc, { a: false, b: false })).toEqual([['report'], ['shops'], ['skipped'], ['reportShares']]);
  });

  it('are each field asked of each entity of an entity fetch, by the entity type', () => {
    const doc = parse(`query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Campaign { __typename metrics { clicks } spend: budgetSpent }
      ... on Creator { performance { platform } }
    } }`);
    const representations = [
      { __typename: 'Campaign', id: 'c1' },
      { __typename: 'Creator', id: 'k1' },
      { __typename: 'Campaign', id: 'c2' },
    ];
    expect(missingPaths(doc, { representations })).toEqual([
      ['_entities', 0, 'metrics'],
      ['_entities', 0, 'spend'],
      ['_entities', 1, 'performance'],
      ['_entities', 2, 'metrics'],
      ['_entities', 2, 'spend'],
    ]);
  });

  it('are always at least one error, with the code and a message that names the service and nothing of how it is reached', () => {
    const answer = unavailableAnswer('analytics', parse(`{ shops(brandId: "y") { id } }`), {});
    expect(answer).toEqual({
      errors: [
        {
          message: 'The analytics service is not answering; the rest of the answer is here.',
          path: ['shops'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
        },
      ],
    });
    expect(unavailableAnswer('payments', parse(`mutation { pay { id } }`), {}).errors[0].message).toMatch(/may not have been made/);
    expect(unavailableAnswer('payments', null, {}).errors).toEqual([
      { message: expect.any(String), extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
    ]);
  });

  it('names no service in production (null): the path says what is missing', () => {
    const [error] = unavailableAnswer(null, parse(`{ shops(brandId: "y") { id } }`), {}).errors;
    expect(error).toEqual({
      message: "One of the platform's services is not answering; the rest of the answer is here.",
      path: ['shops'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
    expect(unavailableAnswer(null, parse(`mutation { pay { id } }`), {}).errors[0].message).not.toMatch(/payments|analytics/);
  });
});

describe('what counts as a GraphQL answer', () => {
  it.each([
    [{ data: { a: 1 } }, undefined, true],
    [{ data: null, errors: [{ message: 'no' }] }, undefined, true],
    [{ errors: [{ message: 'no' }] }, undefined, true],
    [{ data: { _entities: [{}, null] } }, [{}, {}], true],
    [{}, undefined, false],
    [{ data: null }, undefined, false],
    [{ errors: [] }, undefined, false],
    [{ errors: 'no' }, undefined, false],
    [{ errors: [{ reason: 'no message' }] }, undefined, false],
    [{ data: 'text' }, undefined, false],
    ['<html>bad gateway</html>', undefined, false],
    [{ data: {} }, [{}], false],
    [{ data: { _entities: [{}] } }, [{}, {}], false],
  ])('%j (representations %j): %s', (answer, representations, expected) => {
    expect(isGraphQLAnswer(answer, representations)).toBe(expected);
  });

  it('relays the GraphQL errors of a refusal below 500 (without the URL Apollo adds), and nothing else', () => {
    const refusal = (status: number, body: unknown) => ({
      extensions: { response: { url: 'http://10.0.0.5:4005/graphql', status, body } },
    });
    expect(
      refusalErrors(
        refusal(401, { errors: [{ message: 'Subgraphs accept requests only from the gateway', extensions: { code: 'UNAUTHENTICATED' } }] }),
      ),
    ).toEqual([{ message: 'Subgraphs accept requests only from the gateway', extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(refusalErrors(refusal(404, '<html>not found</html>'))).toBeNull();
    expect(refusalErrors(refusal(503, { errors: [{ message: 'down' }] }))).toBeNull();
    expect(refusalErrors(new Error('connect ECONNREFUSED 127.0.0.1:4005'))).toBeNull();
  });
});

describe('an answer with a part missing', () => {
  type Result = { data?: unknown; errors?: unknown[]; extensions?: Record<string, unknown> };
  const send = async (singleResult: Result) => {
    const hooks = await valueCompletionPlugin(createLogger('gateway', 'silent')).requestDidStart!({} as never);
    await (hooks as { willSendResponse(ctx: unknown): Promise<void> }).willSendResponse({
      response: { body: { kind: 'single', singleResult } },
    });
    return singleResult;
  };

  it("always says why in errors: Apollo's valueCompletion alone becomes an error at its path", async () => {
    const completion = [
      Object.assign(new Error('Cannot return null for non-nullable field Query.campaignReport.'), { path: ['campaignReport'] }),
    ];
    expect(await send({ data: null, extensions: { valueCompletion: completion } })).toEqual({
      data: null,
      extensions: undefined,
      errors: [
        {
          message: 'Cannot return null for non-nullable field Query.campaignReport.',
          path: ['campaignReport'],
          extensions: { code: 'INTERNAL' },
        },
      ],
    });
  });

  it('leaves an answer whose errors already say it, or that lacks nothing, as it is', async () => {
    const errors = [{ message: 'The analytics service is not answering; the rest of the answer is here.', path: ['campaignReport'] }];
    expect(await send({ data: null, errors })).toEqual({ data: null, errors });
    expect(await send({ data: { a: 1 }, extensions: { other: true } })).toEqual({ data: { a: 1 }, extensions: { other: true } });
    // a reference the caller may not see resolves to null at a nullable field: the data model's answer
    const hidden = {
      data: { me: { creator: null } },
      extensions: { valueCompletion: [{ message: 'Cannot return null', path: ['me', 'creator', 'handle'] }] },
    };
    expect(await send(structuredClone(hidden))).toEqual(hidden);
  });
});

describe('the signing data source when a subgraph does not answer', () => {
  let server: Server;
  let url: string;
  let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;
  let hung: TcpServer;
  let hungUrl: string;
  const sockets: Socket[] = [];
  const logger = createLogger('gateway', 'silent');

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    // accepts connections and never answers
    hung = createTcpServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => hung.close(resolve));
  });

  const trace = newTrace();
  const call = (target: string, query: string, variables: Record<string, unknown> = {}, timeoutMs = 2_000) =>
    new SigningDataSource(target, 'analytics', 'x'.repeat(40), timeoutMs, logger).process({
      kind: 'incoming operation',
      request: { query, variables },
      incomingRequestContext: {},
      context: { requestId: 'r-1', identity: null, trace },
      pathInIncomingRequest: [],
    } as unknown as Parameters<SigningDataSource['process']>[0]);

  const ROOT = `{ campaignReport(campaignId: "c") { totals { clicks } } shops(brandId: "b") { id } }`;
  const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Campaign { metrics { clicks } } } }`;
  const unavailable = (path: (string | number)[]) => ({
    message: 'The analytics service is not answering; the rest of the answer is here.',
    path,
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });

  it('passes a good answer through, and sends a child span of the trace', async () => {
    let seen: string | undefined;
    handler = (req, _body, res) => {
      seen = req.headers.traceparent as string | undefined;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"shops":[]}}');
    };
    expect(await call(url, ROOT)).toMatchObject({ data: { shops: [] } });
    const sent = parseTraceparent(seen);
    expect(sent?.traceId).toBe(trace.traceId);
    expect(sent?.spanId).not.toBe(trace.spanId);
    expect(seen).not.toBe(formatTraceparent(trace));
  });

  it.each([
    ['a 500', (res: ServerResponse) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"boom"}]}')],
    ['a 502 page', (res: ServerResponse) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>')],
    ['a 200 page', (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>')],
    ['a 200 of broken JSON', (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":')],
    [
      'a 200 of JSON that is not GraphQL',
      (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    ],
    ['a 404 page', (res: ServerResponse) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>')],
    ['a connection cut', (res: ServerResponse) => res.socket?.destroy()],
  ])('answers %s as the missing parts, each with its path', async (_name, answer) => {
    handler = (_req, _body, res) => answer(res);
    expect(await call(url, ROOT)).toEqual({ errors: [unavailable(['campaignReport']), unavailable(['shops'])] });
  });

  it('answers a refused connection and a hung subgraph (within its timeout) the same way', async () => {
    expect(await call('http://127.0.0.1:9/graphql', ROOT)).toEqual({ errors: [unavailable(['campaignReport']), unavailable(['shops'])] });
    expect(await call(hungUrl, ROOT, {}, 150)).toEqual({ errors: [unavailable(['campaignReport']), unavailable(['shops'])] });
  });

  it("names each entity's missing field for an entity fetch, also when the answer has too few entities", async () => {
    const representations = [
      { __typename: 'Campaign', id: 'c1' },
      { __typename: 'Campaign', id: 'c2' },
    ];
    handler = (_req, _body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"_entities":[{"metrics":null}]}}');
    expect(await call(url, ENTITIES, { representations })).toEqual({
      errors: [unavailable(['_entities', 0, 'metrics']), unavailable(['_entities', 1, 'metrics'])],
    });
    expect(await call('http://127.0.0.1:9/graphql', ENTITIES, { representations })).toEqual({
      errors: [unavailable(['_entities', 0, 'metrics']), unavailable(['_entities', 1, 'metrics'])],
    });
  });

  it("relays a subgraph's own refusal in GraphQL, without Apollo's URL", async () => {
    handler = (_req, _body, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(
          '{"errors":[{"message":"Subgraphs accept requests only from the gateway (bad signature)","extensions":{"code":"UNAUTHENTICATED"}}]}',
        );
    const answer = await call(url, ROOT);
    expect(answer).toEqual({
      errors: [{ message: 'Subgraphs accept requests only from the gateway (bad signature)', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(JSON.stringify(answer)).not.toContain('127.0.0.1');
  });
});
