import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subgraphFetcher } from './subgraph-fetcher';

describe('the subgraph fetcher', () => {
  let server: Server;
  let url: string;
  let connections: number;
  let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    connections = 0;
  });

  it('posts the exact body and headers, and answers what Apollo reads of a response', async () => {
    let seen: { method?: string; signature?: string | string[]; type?: string; length?: string; body?: string } = {};
    handler = (req, body, res) => {
      seen = {
        method: req.method,
        signature: req.headers['x-influenceflow-identity'],
        type: req.headers['content-type'],
        length: req.headers['content-length'],
        body,
      };
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' }).end('{"data":{"ok":"é"}}');
    };
    const send = subgraphFetcher(5_000);
    const body = JSON.stringify({ query: '{ ok }', variables: { name: 'Zoë' } });
    const res = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-influenceflow-identity': 'v2.sig' },
      body,
    });
    expect(seen).toEqual({ method: 'POST', signature: 'v2.sig', type: 'application/json', length: String(Buffer.byteLength(body)), body });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('max-age=60');
    expect(res.headers.get('x-missing')).toBeNull();
    await expect(res.json()).resolves.toEqual({ data: { ok: 'é' } });
  });

  it('reuses one connection for calls one after another', async () => {
    handler = (_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}');
    const send = subgraphFetcher(5_000);
    for (let i = 0; i < 5; i++) {
      const res = await send(url, { method: 'POST', headers: {}, body: `{"i":${i}}` });
      expect(res.status).toBe(200);
    }
    expect(connections).toBe(1);
  });

  it('answers a refusal as not ok, with its status and body', async () => {
    handler = (_req, _body, res) =>
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"invalid gateway signature"}]}');
    const res = await subgraphFetcher(5_000)(url, { method: 'POST', headers: {}, body: '{}' });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(401);
    await expect(res.text()).resolves.toContain('invalid gateway signature');
  });

  it('gives up on a subgraph that does not answer in time', async () => {
    handler = () => undefined; // never answers
    await expect(subgraphFetcher(200)(url, { method: 'POST', headers: {}, body: '{}' })).rejects.toThrow(
      'the subgraph did not answer within 200 ms',
    );
  });

  it('fails, not hangs, when nothing listens', async () => {
    await expect(subgraphFetcher(5_000)('http://127.0.0.1:9/graphql', { method: 'POST', headers: {}, body: '{}' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
