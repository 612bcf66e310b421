import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createEvent, Identity, RunningSubgraph, startSubgraph } from '@influenceflow/kit';
import {
  eventually,
  identities,
  publishRawEvent,
  startTestSubgraph,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { TOPICS } from '@influenceflow/vocabulary';
import { Webhook } from 'standardwebhooks';
import { campaignSubgraph } from '../src/schema';
import { CampaignServices, campaignServices } from '../src/services';
import { campaignSettings } from '../src/settings';
import { CLAIM_LEASE_MS } from '../src/webhooks/webhook-deliverer';
import { RETRY_DELAYS_MS } from '../src/webhooks/webhook-schedule';
import { webhookSettings } from '../src/webhooks/webhook-settings';
import { codeOf, newBrand, newCampaign, ok } from './support';

/** A receiver on 127.0.0.1 that answers what the test says and keeps every request. */
class Receiver {
  /** Each request with the deliverer's clock when it came (the test moves that clock). */
  readonly requests: { headers: IncomingHttpHeaders; body: string; path: string; receivedAt: number }[] = [];
  /** The status for each path (default 204). */
  readonly statusOf = new Map<string, number>();
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path, receivedAt: clock.now().getTime() });
      const status = this.statusOf.get(path) ?? 204;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 204 ? undefined : `status ${status} ${'x'.repeat(3000)}`);
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  to(path: string) {
    return this.requests.filter((r) => r.path === path);
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The deliverer's clock: real time plus what the test moved it by. */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs), random: () => 0.5 };
const hooks = webhookSettings({ WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true', WEBHOOK_POLL_MS: '100', WEBHOOK_TIMEOUT_MS: '2000' });
const webhooksModule = {
  ...campaignSubgraph,
  services: (runtime: Parameters<typeof campaignServices>[0]) => campaignServices(runtime, campaignSettings({}), hooks, { clock }),
};

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes disabledAt disabledReason partnerClientId } } }`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) { webhookDeliveries(endpointId: $id, status: $status, first: $first, after: $after) {
  edges { node { id webhookId eventType status attemptCount replays attempts { outcome statusCode latencyMs responseExcerpt error } } }
  pageInfo { hasNextPage endCursor } } }`;
const ENDPOINTS = `query($brandId: ID!) { webhookEndpoints(brandId: $brandId) { id disabledAt disabledReason partnerClientId } }`;

type Delivery = {
  id: string;
  webhookId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  replays: number;
  attempts: { outcome: string; statusCode: number | null; latencyMs: number; responseExcerpt: string | null; error: string | null }[];
};

describe('webhooks: subscriptions, signed deliveries from Kafka, retries, disabling, SSRF, restarts, replay (R10)', () => {
  let sub: TestSubgraph<CampaignServices>;
  const receiver = new Receiver();
  let brandId: string;
  let otherBrandId: string;
  let member: Identity;
  const db = (sql: string, params: unknown[] = []) => sub.runtime.dataSource.query(sql, params);

  beforeAll(async () => {
    await receiver.start();
    sub = await startTestSubgraph(webhooksModule);
    brandId = await newBrand(sub, { name: 'Hook Brand' });
    otherBrandId = await newBrand(sub, { name: 'Other Brand' });
    member = identities.brandMember(brandId);
  }, 120_000);
  afterAll(async () => {
    await sub?.close();
    await receiver.stop();
  });

  async function endpoint(path: string, eventTypes = ['campaign.created'], who: Identity = member, forBrand = brandId) {
    const r = await sub.query<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
      CREATE,
      { input: { brandId: forBrand, url: `${receiver.url}${path}`, eventTypes, description: `test ${path}` } },
      who,
    );
    const created = ok(r).createWebhookEndpoint;
    return { id: created.endpoint.id, secret: created.secret };
  }
  const publish = (type: string, brand: string, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
    const event = { ...createEvent('campaign', { type, subject: `${brand}`, brandid: brand, data }), ...extra };
    return publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.campaign}`, event).then(() => event);
  };
  const deliveries = async (id: string, who: Identity = member) =>
    ok(await sub.query<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(DELIVERIES, { id }, who)).webhookDeliveries.edges.map(
      (e) => e.node,
    );
  /**
   * Verifies with the library's own verifier, as the receiver would have when the request came. Its
   * timestamp check reads the real clock: once the test has moved the deliverer's clock, the library's is
   * set, for the call, to the deliverer's clock when the request arrived.
   */
  const verify = (secret: string, req: { headers: IncomingHttpHeaders; body: string; receivedAt: number }) => {
    const spy = Math.abs(req.receivedAt - Date.now()) < 1000 ? null : jest.spyOn(Date, 'now').mockReturnValue(req.receivedAt);
    try {
      return new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
    } finally {
      spy?.mockRestore();
    }
  };

  it('delivers an event of a real flow (a campaign created), signed so the library verifies it', async () => {
    const hook = await endpoint('/created');
    const campaignId = await newCampaign(sub, member, {
      brandId,
      name: 'Hooked',
      goal: { type: 'CONTENT', target: 1 },
      budget: { amountMinor: 1000, currency: 'EUR' },
      startsOn: '2027-06-01',
      endsOn: '2027-06-30',
    });
    await eventually(async () => receiver.to('/created').length === 1, 30_000, 'the delivery');
    const [req] = receiver.to('/created');
    const event = verify(hook.secret, req) as { id: string; type: string; subject: string; brandid: string };
    expect(event).toMatchObject({ type: 'campaign.created', subject: campaignId, brandid: brandId });
    expect(req.headers['webhook-id']).toBe(event.id);
    expect(req.headers['content-type']).toBe('application/json');
    const [logged] = await eventually(async () => {
      const d = await deliveries(hook.id);
      return d[0]?.status === 'SUCCEEDED' && d;
    });
    expect(logged).toMatchObject({ webhookId: event.id, eventType: 'campaign.created', attemptCount: 1 });
    expect(logged.attempts).toEqual([
      { outcome: 'SUCCEEDED', statusCode: 204, latencyMs: expect.any(Number), responseExcerpt: null, error: null },
    ]);
    // An analyst reads the log; a creator, anonymous and another brand's member do not.
    expect(await deliveries(hook.id, identities.analyst(brandId))).toHaveLength(1);
    expect(codeOf(await sub.query(DELIVERIES, { id: hook.id }, identities.creator('00000000-0000-4000-8000-000000000001')))?.code).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await sub.query(DELIVERIES, { id: hook.id }, null))?.code).toBe('UNAUTHENTICATED');
    expect(codeOf(await sub.query(DELIVERIES, { id: hook.id }, identities.brandMember(otherBrandId)))?.code).toBe('NOT_FOUND');
  });

  it('retries on the specification schedule on the controlled clock, with the same webhook-id, and sends the traceparent', async () => {
    const hook = await endpoint('/flaky', ['campaign.paused']);
    receiver.statusOf.set('/flaky', 500);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const event = await publish('campaign.paused', brandId, { n: 1 }, { traceparent });
    await eventually(async () => receiver.to('/flaky').length === 1, 30_000, 'the first attempt');
    const times = [Number(receiver.to('/flaky')[0].headers['webhook-timestamp'])];
    // Each retry comes once its delay has passed on the deliverer's clock, and not before.
    for (const [i, delay] of RETRY_DELAYS_MS.slice(0, 4).entries()) {
      clock.offsetMs += delay - 1_000;
      await new Promise((r) => setTimeout(r, 400)); // several polls on a clock just short of the delay
      expect(receiver.to('/flaky')).toHaveLength(i + 1);
      clock.offsetMs += 1_000;
      await eventually(async () => receiver.to('/flaky').length === i + 2, 30_000, `retry ${i + 1}`);
      times.push(Number(receiver.to('/flaky')[i + 1].headers['webhook-timestamp']));
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    RETRY_DELAYS_MS.slice(0, 4).forEach((d, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(Math.floor(d / 1000) - 1);
      expect(gaps[i]).toBeLessThanOrEqual(Math.ceil(d / 1000) + 2);
    });
    for (const req of receiver.to('/flaky')) {
      expect(req.headers['webhook-id']).toBe(event.id);
      expect(req.headers.traceparent).toBe(traceparent);
      expect(verify(hook.secret, req)).toMatchObject({ id: event.id });
    }
    const [logged] = await deliveries(hook.id);
    expect(logged.status).toBe('PENDING');
    expect(logged.attempts.length).toBe(5);
    expect(logged.attempts[0]).toMatchObject({ outcome: 'FAILED', statusCode: 500, error: 'HTTP 500' });
    expect(Buffer.byteLength(logged.attempts[0].responseExcerpt!)).toBe(1024);
    // Then it succeeds: the delivery is done and the endpoint stays enabled.
    receiver.statusOf.set('/flaky', 200);
    clock.offsetMs += RETRY_DELAYS_MS[4] + 1_000;
    await eventually(async () => (await deliveries(hook.id))[0].status === 'SUCCEEDED', 30_000, 'the last retry');
    expect(receiver.to('/flaky')).toHaveLength(6);
  });

  it('disables an endpoint that answers 410 at once, with the reason; its later deliveries wait and resume once enabled', async () => {
    const hook = await endpoint('/gone', ['campaign.resumed']);
    receiver.statusOf.set('/gone', 410);
    await publish('campaign.resumed', brandId);
    const reason = await eventually(async () => {
      const e = (await db(`SELECT disabled_reason FROM webhook_endpoints WHERE id = $1`, [hook.id]))[0];
      return (e.disabled_reason as string | null) ?? undefined;
    });
    expect(reason).toMatch(/410 Gone/);
    const shown = ok(
      await sub.query<{ webhookEndpoints: { id: string; disabledReason: string }[] }>(ENDPOINTS, { brandId }, member),
    ).webhookEndpoints;
    expect(shown.find((e) => e.id === hook.id)?.disabledReason).toBe(reason);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'FAILED', attemptCount: 1 });
    // Disabled: a new event is queued but not sent.
    receiver.statusOf.set('/gone', 204);
    await publish('campaign.resumed', brandId);
    await eventually(async () => (await deliveries(hook.id)).length === 2, 30_000, 'the second delivery queued');
    await new Promise((r) => setTimeout(r, 500)); // several polls of the worker
    expect(receiver.to('/gone')).toHaveLength(1);
    expect((await deliveries(hook.id)).map((d) => d.status).sort()).toEqual(['FAILED', 'PENDING']);
    ok(await sub.query(`mutation($id: ID!) { enableWebhookEndpoint(id: $id) { disabledAt } }`, { id: hook.id }, member));
    // The new event goes now; the 410'd one only when replayed.
    await eventually(async () => receiver.to('/gone').length === 2, 30_000, 'the waiting delivery');
    const failed = (await deliveries(hook.id)).find((d) => d.status === 'FAILED')!;
    ok(await sub.query(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { status replays } }`, { id: failed.id }, member));
    await eventually(async () => receiver.to('/gone').length === 3, 30_000, 'the replay');
    expect(receiver.to('/gone')[2].headers['webhook-id']).toBe(failed.webhookId);
  });

  it('disables an endpoint whose delivery failed every attempt with nothing succeeding since', async () => {
    const hook = await endpoint('/down', ['campaign.cancelled']);
    receiver.statusOf.set('/down', 503);
    await publish('campaign.cancelled', brandId);
    for (let n = 1; n <= RETRY_DELAYS_MS.length + 1; n++) {
      await eventually(async () => receiver.to('/down').length === n, 30_000, `attempt ${n}`);
      // the clock moves on only once the attempt is recorded (its next one is scheduled from then)
      await eventually(async () => (await deliveries(hook.id))[0]?.attemptCount === n, 30_000, `attempt ${n} recorded`);
      if (n <= RETRY_DELAYS_MS.length) clock.offsetMs += RETRY_DELAYS_MS[n - 1] * 1.1 + 1_000;
    }
    const [logged] = await eventually(async () => {
      const d = await deliveries(hook.id);
      return d[0]?.status === 'FAILED' && d;
    });
    expect(logged.attemptCount).toBe(10);
    const [row] = await db(`SELECT disabled_at, disabled_reason FROM webhook_endpoints WHERE id = $1`, [hook.id]);
    expect(row.disabled_at).not.toBeNull();
    expect(row.disabled_reason).toMatch(/every attempt .* failed .*HTTP 503/);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.to('/down')).toHaveLength(10);
  });

  it('refuses private, loopback and link-local destinations at delivery time when they are not allowed, as attempts with the reason', async () => {
    const port = new URL(receiver.url).port;
    const targets = {
      loopback: `http://127.0.0.1:${port}/ssrf`,
      private: 'http://10.0.0.1/ssrf',
      metadata: 'http://169.254.169.254/latest/meta-data',
      name: `http://localhost:${port}/ssrf`,
    };
    const ids: Record<string, string> = {};
    for (const [name, url] of Object.entries(targets)) {
      const r = ok(
        await sub.query<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
          CREATE,
          { input: { brandId, url, eventTypes: ['brief.published'] } },
          member,
        ),
      );
      ids[name] = r.createWebhookEndpoint.endpoint.id;
    }
    hooks.allowPrivateDestinations = false;
    try {
      await publish('brief.published', brandId);
      for (const [name, id] of Object.entries(ids)) {
        const [d] = await eventually(
          async () => {
            const list = await deliveries(id);
            return list[0]?.attempts.length === 1 && list;
          },
          30_000,
          `the refused attempt to ${name}`,
        );
        expect(d.attempts[0]).toMatchObject({ outcome: 'REFUSED', statusCode: null });
        expect(d.attempts[0].error).toMatch(/^refused: .*not a public internet address/);
        expect(d.status).toBe('PENDING'); // retried on the schedule: a name may come to resolve elsewhere
      }
      expect(receiver.to('/ssrf')).toHaveLength(0);
      // And at creation, without private destinations: http://, IP and local hosts are refused.
      for (const url of Object.values(targets).concat([
        'https://127.0.0.1/',
        'https://[::1]/',
        'https://10.0.0.1/',
        'https://localhost/',
      ])) {
        const r = await sub.query(CREATE, { input: { brandId, url, eventTypes: ['brief.published'] } }, member);
        expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
      }
    } finally {
      hooks.allowPrivateDestinations = true;
    }
  });

  it('replays a time range: each delivery again with its own webhook-id, capped, only for who manages the endpoint', async () => {
    const hook = await endpoint('/range', ['deliverable.approved']);
    const before = clock.now();
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await publish('deliverable.approved', brandId, { i }));
    await eventually(
      async () => (await deliveries(hook.id)).filter((d) => d.status === 'SUCCEEDED').length === 3,
      30_000,
      'three deliveries',
    );
    const after = new Date(clock.now().getTime() + 1000);
    const REPLAY = `mutation($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { replayWebhookDeliveries(endpointId: $id, from: $from, to: $to) }`;
    const vars = { id: hook.id, from: before.toISOString(), to: after.toISOString() };
    expect(codeOf(await sub.query(REPLAY, vars, identities.analyst(brandId)))?.code).toBe('FORBIDDEN');
    expect(codeOf(await sub.query(REPLAY, vars, identities.brandMember(otherBrandId)))?.code).toBe('NOT_FOUND');
    expect(codeOf(await sub.query(REPLAY, { ...vars, to: vars.from }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(ok(await sub.query<{ replayWebhookDeliveries: number }>(REPLAY, vars, member)).replayWebhookDeliveries).toBe(3);
    await eventually(async () => receiver.to('/range').length === 6, 30_000, 'the replays');
    const ids = receiver.to('/range').map((r) => r.headers['webhook-id']);
    for (const e of sent) expect(ids.filter((id) => id === e.id)).toHaveLength(2);
    // recorded once each answer is in, which may come just after the receiver saw the request
    await eventually(
      async () => (await deliveries(hook.id)).every((d) => d.replays === 1 && d.status === 'SUCCEEDED'),
      30_000,
      'the replays recorded',
    );
  });

  it("gives a partner only its grant's event types of the brands that granted it, checked live", async () => {
    const partnerId = '0f0f0f0f-0000-4000-8000-00000000abcd';
    const partner: Identity = { sub: partnerId, roles: ['partner'], brandIds: [brandId], creatorId: null };
    // No grant: nothing.
    const refused = await sub.query(
      CREATE,
      { input: { brandId, url: `${receiver.url}/partner`, eventTypes: ['campaign.completed'] } },
      partner,
    );
    expect(codeOf(refused)?.code).toBe('FORBIDDEN');
    // A real client and grant (partners/partner-grants.ts reads them live).
    await db(
      `INSERT INTO partner_clients (id, name, client_id, secret_hash, created_by) VALUES ($1, 'Test CRM', 'pc_webhooks_test', $2, 'test')`,
      [partnerId, '0'.repeat(64)],
    );
    const grantId = randomUUID();
    await db(`INSERT INTO partner_grants (id, partner_client_id, brand_id, event_types, granted_by) VALUES ($1, $2, $3, $4, 'test')`, [
      grantId,
      partnerId,
      brandId,
      ['campaign.completed'],
    ]);
    const beyond = await sub.query(
      CREATE,
      { input: { brandId, url: `${receiver.url}/partner`, eventTypes: ['campaign.completed', 'payout.failed'] } },
      partner,
    );
    expect(codeOf(beyond)).toMatchObject({ code: 'FORBIDDEN', field: 'input.eventTypes' });
    const hook = await endpoint('/partner', ['campaign.completed'], partner);
    // The other brand's event never reaches it, nor does anything before its grant covers it.
    await publish('campaign.completed', otherBrandId);
    const first = await publish('campaign.completed', brandId);
    await eventually(async () => receiver.to('/partner').length === 1, 30_000, "the partner's delivery");
    expect(verify(hook.secret, receiver.to('/partner')[0])).toMatchObject({ id: first.id, brandid: brandId });
    // The brand's member sees the partner's endpoint but cannot change it, only disable it.
    const listed = ok(
      await sub.query<{ webhookEndpoints: { id: string; partnerClientId: string }[] }>(ENDPOINTS, { brandId }, member),
    ).webhookEndpoints;
    expect(listed.find((e) => e.id === hook.id)?.partnerClientId).toBe(partnerId);
    const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`;
    expect(codeOf(await sub.query(ROTATE, { id: hook.id }, member))?.code).toBe('FORBIDDEN');
    // The partner sees only its own endpoints.
    const own = ok(await sub.query<{ webhookEndpoints: { id: string }[] }>(ENDPOINTS, { brandId }, partner)).webhookEndpoints;
    expect(own.map((e) => e.id)).toEqual([hook.id]);
    // Revoked: a queued delivery is refused at delivery time, and new events are not queued.
    await sub.services.webhookWorker.stop();
    await publish('campaign.completed', brandId);
    await eventually(
      async () => (await db(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [hook.id]))[0].n === 2,
    );
    await db(`UPDATE partner_grants SET revoked_at = now(), revoked_by = 'test' WHERE id = $1`, [grantId]);
    await publish('campaign.completed', brandId);
    await sub.services.webhookWorker.start();
    const revoked = await eventually(async () => {
      const list = await deliveries(hook.id, partner);
      return list.find((d) => d.status === 'FAILED');
    });
    expect(revoked.attempts[0]).toMatchObject({ outcome: 'REFUSED', error: expect.stringMatching(/grant no longer covers/) });
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.to('/partner')).toHaveLength(1);
    expect(await db(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [hook.id])).toEqual([{ n: 2 }]);
    const DISABLE = `mutation($id: ID!) { disableWebhookEndpoint(id: $id) { disabledReason } }`;
    expect(
      ok(await sub.query<{ disableWebhookEndpoint: { disabledReason: string } }>(DISABLE, { id: hook.id }, member)).disableWebhookEndpoint
        .disabledReason,
    ).toMatch(/brand/);
    // The partner cannot undo the brand's decision; the brand's member can.
    const ENABLE = `mutation($id: ID!) { enableWebhookEndpoint(id: $id) { disabledAt } }`;
    expect(codeOf(await sub.query(ENABLE, { id: hook.id }, partner))?.code).toBe('FORBIDDEN');
    expect(
      ok(await sub.query<{ enableWebhookEndpoint: { disabledAt: null } }>(ENABLE, { id: hook.id }, member)).enableWebhookEndpoint
        .disabledAt,
    ).toBeNull();
    expect(codeOf(await sub.query(ENABLE, { id: hook.id }, member))?.code).toBe('FORBIDDEN');
  });

  it('refuses hostile input with a code and a field, and writes nothing', async () => {
    const count = async () => (await db(`SELECT count(*)::int AS n FROM webhook_endpoints`))[0].n as number;
    const n = await count();
    const input = (over: Record<string, unknown>) => ({
      input: { brandId, url: `${receiver.url}/x`, eventTypes: ['campaign.created'], ...over },
    });
    expect(codeOf(await sub.query(CREATE, input({ url: `${receiver.url}/${'a'.repeat(10_000)}` }), member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.url',
    });
    expect(codeOf(await sub.query(CREATE, input({ url: `${receiver.url}/\u0000` }), member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.url',
    });
    expect(codeOf(await sub.query(CREATE, input({ eventTypes: ['campaign.created', 'no.such'] }), member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.eventTypes',
    });
    expect(codeOf(await sub.query(CREATE, input({ eventTypes: ['click.recorded'] }), member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.eventTypes',
    });
    expect(codeOf(await sub.query(CREATE, input({ eventTypes: [] }), member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.eventTypes',
    });
    expect(codeOf(await sub.query(CREATE, input({ brandId: otherBrandId }), member))?.code).toBe('FORBIDDEN');
    expect(codeOf(await sub.query(CREATE, input({}), identities.analyst(brandId)))?.code).toBe('FORBIDDEN');
    expect(codeOf(await sub.query(CREATE, input({}), identities.creator('00000000-0000-4000-8000-000000000001')))?.code).toBe('FORBIDDEN');
    expect(codeOf(await sub.query(CREATE, input({}), null))?.code).toBe('UNAUTHENTICATED');
    expect(await count()).toBe(n);
    const mine = await endpoint('/mine', ['campaign.created']);
    const DELETE = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
    expect(codeOf(await sub.query(DELETE, { id: mine.id }, identities.brandMember(otherBrandId)))?.code).toBe('NOT_FOUND');
    expect(codeOf(await sub.query(DELETE, { id: 'not-a-uuid' }, member))?.code).toBe('BAD_USER_INPUT');
    const r = await sub.query(DELETE, { id: mine.id }, member);
    expect(JSON.stringify(r)).not.toMatch(/stack|webhook_endpoints/);
    expect(ok(r)).toEqual({ deleteWebhookEndpoint: true });
  });

  it('rotates the secret: deliveries carry both signatures until the previous one expires', async () => {
    const hook = await endpoint('/rotate', ['partnership.accepted']);
    const rotated = ok(
      await sub.query<{ rotateWebhookSecret: { secret: string } }>(
        `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
        { id: hook.id },
        member,
      ),
    ).rotateWebhookSecret.secret;
    expect(rotated).not.toBe(hook.secret);
    await publish('partnership.accepted', brandId);
    await eventually(async () => receiver.to('/rotate').length === 1, 30_000, 'the delivery');
    const [req] = receiver.to('/rotate');
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(rotated, req)).toBeTruthy();
    expect(verify(hook.secret, req)).toBeTruthy();
    // After 24 hours only the new one signs.
    clock.offsetMs += 24 * 3_600_000 + 1000;
    await publish('partnership.accepted', brandId);
    await eventually(async () => receiver.to('/rotate').length === 2, 30_000, 'the later delivery');
    const later = receiver.to('/rotate')[1];
    expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verify(rotated, later)).toBeTruthy();
    expect(() => verify(hook.secret, later)).toThrow();
  });

  it('loses nothing when the deliverer stops half-way, or dies holding claimed deliveries, and starts again', async () => {
    const hook = await endpoint('/restart', ['partnership.invited']);
    await sub.services.webhookWorker.stop();
    const events = [];
    for (let i = 0; i < 8; i++) events.push(await publish('partnership.invited', brandId, { i }));
    await eventually(
      async () => (await db(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [hook.id]))[0].n === 8,
      30_000,
      'the queued deliveries',
    );
    expect(receiver.to('/restart')).toHaveLength(0);
    // A process claimed three of them (their lease taken) and died before sending: nobody else takes them
    // until the lease has run out.
    const leased = (await db(
      `UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id IN
         (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY event_id LIMIT 3) RETURNING event_id`,
      [hook.id, new Date(clock.now().getTime() + CLAIM_LEASE_MS)],
    )) as [{ event_id: string }[], number];
    const leasedIds = leased[0].map((r) => r.event_id);
    await sub.services.webhookWorker.start();
    await eventually(async () => receiver.to('/restart').length === 5, 30_000, 'the unclaimed deliveries');
    // The whole process stops (consumer and worker); another starts on the same database, events keep coming.
    await sub.stop();
    let again: RunningSubgraph<CampaignServices> | null = null;
    try {
      again = await startSubgraph(webhooksModule, sub.config);
      await again.ready();
      for (let i = 0; i < 4; i++) await publish('partnership.invited', brandId, { late: i });
      await eventually(async () => receiver.to('/restart').length === 9, 60_000, 'the later deliveries');
      const before = receiver.to('/restart').map((r) => r.headers['webhook-id']);
      for (const id of leasedIds) expect(before).not.toContain(id);
      clock.offsetMs += CLAIM_LEASE_MS;
      await eventually(async () => receiver.to('/restart').length === 12, 60_000, 'the deliveries of the dead claim');
      const ids = receiver.to('/restart').map((r) => r.headers['webhook-id']);
      for (const e of events) expect(ids).toContain(e.id);
      // At least once; here nothing twice, as the stop let the attempts in flight finish and be recorded.
      expect(new Set(ids).size).toBe(12);
      // each attempt is recorded once its answer is in: the receiver may have answered the last ones already
      const byStatus = async () =>
        (await again!.runtime.dataSource.query(
          `SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 GROUP BY status`,
          [hook.id],
        )) as { status: string; n: number }[];
      await eventually(async () => (await byStatus()).every((r) => r.status === 'succeeded'), 30_000, 'the last attempts recorded');
      expect(await byStatus()).toEqual([{ status: 'succeeded', n: 12 }]);
    } finally {
      // close() in afterAll stops the first process (already stopped: nothing happens) and drops the database.
      await again?.stop();
    }
  }, 120_000);
});
