import express from 'express';
import type { AddressInfo } from 'node:net';
import { jsonErrorHandler, notFoundHandler, parseJsonBody, rawBody } from './request-body';

/** The body rules of every HTTP app, on a bare Express app. */
describe('request bodies', () => {
  const logged: { level: string; args: unknown[] }[] = [];
  const logger = {
    warn: (...args: unknown[]) => logged.push({ level: 'warn', args }),
    error: (...args: unknown[]) => logged.push({ level: 'error', args }),
  } as never;
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express();
    app.post('/echo', ...rawBody(1024), parseJsonBody, (req, res) => void res.json({ got: req.body }));
    app.get('/boom', () => {
      throw new Error('secret internals at /work/main/x.ts:1:1');
    });
    app.use(notFoundHandler);
    app.use(jsonErrorHandler(logger));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());
  beforeEach(() => (logged.length = 0));

  const post = (body: string | Buffer, type = 'application/json') =>
    fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': type }, body });

  it('passes a JSON object on, and refuses what is not one with a JSON error and one warning line', async () => {
    expect(await (await post('{"query":"{ a }"}')).json()).toEqual({ got: { query: '{ a }' } });
    const cases: [string | Buffer, string, number, RegExp][] = [
      ['{"query":', 'application/json', 400, /not valid JSON/],
      ['null', 'application/json', 400, /must be a JSON object/],
      ['{}', 'application/json; charset=utf-16', 415, /UTF-8/],
      [Buffer.from([0x7b, 0xff, 0x7d]), 'application/json', 400, /not valid UTF-8/],
      ['{}', 'text/plain', 415, /application\/json/],
      [JSON.stringify({ q: 'x'.repeat(2000) }), 'application/json', 413, /too large/],
    ];
    for (const [body, type, status, message] of cases) {
      logged.length = 0;
      const res = await post(body, type);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const json = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(json.errors[0].message).toMatch(message);
      expect(json.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(logged).toHaveLength(1);
      expect(logged[0].level).toBe('warn');
      expect(JSON.stringify(logged[0].args)).not.toMatch(/\bat .+:\d+:\d+/);
    }
  });

  it('answers an unexpected failure with INTERNAL and nothing of it', async () => {
    const res = await fetch(`${url}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret|work\/main|<html/i);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('INTERNAL');
    expect(logged.map((l) => l.level)).toEqual(['error']);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await fetch(`${url}/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
