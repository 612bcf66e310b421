import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { AppError, ErrorCode, IDENTITY_HEADER, Identity, verifyGatewayGet } from '@influenceflow/kit';
import { mountReportExports } from './report-exports';
import type { GatewayContext } from './context';

const SECRET = 'test-secret-of-the-exports';
const MEMBER: Identity = { sub: 'm', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-000000000001'], creatorId: null };

function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

describe('report exports through the gateway', () => {
  let analytics: { server: Server; base: string };
  let gateway: { server: Server; base: string };
  const seen: { identity: Identity | null; ok: boolean }[] = [];

  let hasty: { server: Server; base: string };

  beforeAll(async () => {
    // analytics as far as the gateway can tell: it checks the signature for the URL it is asked for
    const upstream = express();
    // a long file: its answer begins at once, its rows come in over longer than the subgraph timeout
    upstream.get('/exports/long.csv', async (_req, res) => {
      res.type('text/csv; charset=utf-8');
      for (let i = 0; i < 4; i++) {
        res.write(`row,${i}\r\n`);
        await new Promise((r) => setTimeout(r, 150));
      }
      res.end('end\r\n');
    });
    upstream.get('/exports/:file', (req, res) => {
      const check = verifyGatewayGet(req.header(IDENTITY_HEADER), { subgraph: 'analytics', pathAndQuery: req.originalUrl }, SECRET);
      seen.push({ identity: check.ok ? check.identity : null, ok: check.ok });
      if (!check.ok) return res.status(401).json({ error: { code: 'UNAUTHENTICATED' } });
      res.setHeader('content-disposition', 'attachment; filename="campaign-report.csv"');
      res.setHeader('x-internal', 'not for clients');
      res.type('text/csv; charset=utf-8');
      res.write('section,key\r\n');
      res.end('campaign,x\r\n');
    });
    analytics = await listen(upstream);
    const app = express();
    const contextOf = async (req: express.Request, requestId: string): Promise<GatewayContext> => {
      const auth = req.header('authorization');
      if (!auth) return { requestId, identity: null, client: null } as unknown as GatewayContext;
      if (auth !== 'Bearer good') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Invalid token: expired');
      return { requestId, identity: MEMBER, client: { ip: '203.0.113.9', userAgent: 'test' } } as GatewayContext;
    };
    const logger = { warn: () => undefined, child: () => logger } as never;
    mountReportExports(app, `${analytics.base}/graphql`, SECRET, 5_000, contextOf, logger);
    gateway = await listen(app);
    // the same with a subgraph timeout shorter than the long file takes to stream
    const hastyApp = express();
    mountReportExports(hastyApp, `${analytics.base}/graphql`, SECRET, 100, contextOf, logger);
    hasty = await listen(hastyApp);
  });
  afterAll(async () => {
    await new Promise((r) => hasty?.server.close(r));
    await new Promise((r) => gateway?.server.close(r));
    await new Promise((r) => analytics?.server.close(r));
  });

  it('forwards a signed-in caller, signed for the very URL, and streams the file back', async () => {
    const res = await fetch(`${gateway.base}/exports/campaign-report.csv?campaignId=00000000-0000-4000-8000-000000000010&interval=week`, {
      headers: { authorization: 'Bearer good' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('section,key\r\ncampaign,x\r\n');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="campaign-report.csv"');
    expect(res.headers.get('x-internal')).toBeNull();
    expect(seen.at(-1)).toEqual({ ok: true, identity: MEMBER });
  });

  it('answers 401 without a token or with a bad one, and asks analytics nothing', async () => {
    const before = seen.length;
    const none = await fetch(`${gateway.base}/exports/campaign-report.csv`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Sign in: send Authorization: Bearer <token>' } });
    const bad = await fetch(`${gateway.base}/exports/campaign-report.csv`, { headers: { authorization: 'Bearer bad' } });
    expect(bad.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it('streams a file to its end even when that takes longer than the subgraph timeout (which bounds only the answer beginning)', async () => {
    const res = await fetch(`${hasty.base}/exports/long.csv`, { headers: { authorization: 'Bearer good' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('row,0\r\nrow,1\r\nrow,2\r\nrow,3\r\nend\r\n');
  });
});
