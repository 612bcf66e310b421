import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createReceiver, loggingHandler, MemoryDeliveryStore, type CloudEvent, type Delivery } from '../src/receiver';
import { secretsFromEnv } from '../src/config';
import { sampleOrderAttributed, sendSample } from '../src/send-sample';

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

const orderAttributed = () => sampleOrderAttributed();

/** Signs like the deliverer will: the library's own `sign` over `id.timestamp.body`. */
function signed(secret: string, body: string, id = `msg_${randomUUID()}`, at = new Date()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

describe('example webhook receiver', () => {
  const current = newSecret();
  const previous = newSecret();
  const handled: { event: CloudEvent; delivery: Delivery }[] = [];
  const logged: string[] = [];
  const store = new MemoryDeliveryStore();
  let failNext = false;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createReceiver({
      secrets: [current, previous],
      store,
      log: (line) => logged.push(line),
      handler: (event, delivery) => {
        if (failNext) {
          failNext = false;
          throw new Error('database down');
        }
        handled.push({ event, delivery });
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  });
  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });
  beforeEach(() => {
    handled.length = 0;
  });

  const post = (body: string, headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers });

  it('accepts a delivery signed by the library and hands the event to the handler once', async () => {
    const event = orderAttributed();
    const body = JSON.stringify(event);
    const headers = signed(current, body);
    const res = await post(body, headers);
    expect(res.status).toBe(204);
    expect(handled).toHaveLength(1);
    expect(handled[0].event).toEqual(event);
    expect(handled[0].event.type).toBe('order.attributed');
    expect(handled[0].delivery.webhookId).toBe(headers['webhook-id']);
    expect(store.seen(headers['webhook-id'])).toBe(true);
  });

  it('acknowledges a retry (same webhook-id, newer signature) without handling it twice', async () => {
    const body = JSON.stringify(orderAttributed());
    const id = `msg_${randomUUID()}`;
    expect((await post(body, signed(current, body, id, new Date(Date.now() - 60_000)))).status).toBe(204);
    const retry = await post(body, signed(current, body, id));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ duplicate: true });
    expect(handled).toHaveLength(1);
  });

  it('handles two attempts of one delivery arriving together only once', async () => {
    const body = JSON.stringify(orderAttributed());
    const headers = signed(current, body);
    const answers = await Promise.all([post(body, headers), post(body, headers)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 204]);
    expect(handled).toHaveLength(1);
  });

  it('after a failed attempt, handles only one of the retries arriving together', async () => {
    const body = JSON.stringify(orderAttributed());
    const headers = signed(current, body);
    failNext = true;
    const answers = await Promise.all([post(body, headers), post(body, headers), post(body, headers)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 204, 500]);
    expect(handled).toHaveLength(1);
  });

  it('answers 500 when the handler fails, then handles the retry', async () => {
    const body = JSON.stringify(orderAttributed());
    const headers = signed(current, body);
    failNext = true;
    expect((await post(body, headers)).status).toBe(500);
    expect(handled).toHaveLength(0);
    expect(store.seen(headers['webhook-id'])).toBe(false);
    expect((await post(body, headers)).status).toBe(204);
    expect(handled).toHaveLength(1);
  });

  it('refuses a tampered body with 401', async () => {
    const event = orderAttributed();
    const body = JSON.stringify(event);
    const headers = signed(current, body);
    const tampered = JSON.stringify({ ...event, data: { ...(event.data as object), amountMinor: 999_999 } });
    const res = await post(tampered, headers);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid signature' });
    expect(handled).toHaveLength(0);
    expect(store.seen(headers['webhook-id'])).toBe(false);
  });

  it('refuses the same JSON re-serialised (whitespace changed): the signature is over the raw bytes', async () => {
    const event = orderAttributed();
    const body = JSON.stringify(event, null, 2);
    const headers = signed(current, body);
    expect((await post(JSON.stringify(event), headers)).status).toBe(401);
    expect((await post(body, headers)).status).toBe(204);
    expect(handled).toHaveLength(1);
  });

  it('refuses a delivery signed with another secret with 401', async () => {
    const body = JSON.stringify(orderAttributed());
    expect((await post(body, signed(newSecret(), body))).status).toBe(401);
    expect(handled).toHaveLength(0);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('refuses a delivery without %s with 401', async (name) => {
    const body = JSON.stringify(orderAttributed());
    const headers = signed(current, body);
    delete headers[name];
    expect((await post(body, headers)).status).toBe(401);
    expect(handled).toHaveLength(0);
  });

  it('refuses a timestamp outside the tolerance (old, future, not a number) with 401', async () => {
    const body = JSON.stringify(orderAttributed());
    const old = signed(current, body, undefined, new Date(Date.now() - 6 * 60_000));
    const future = signed(current, body, undefined, new Date(Date.now() + 6 * 60_000));
    const garbage = { ...signed(current, body), 'webhook-timestamp': 'yesterday' };
    for (const headers of [old, future, garbage]) expect((await post(body, headers)).status).toBe(401);
    expect(handled).toHaveLength(0);
    expect(logged.some((l) => l.includes('timestamp too old'))).toBe(true);
  });

  it('accepts a delivery signed with the second (rotated) secret', async () => {
    const body = JSON.stringify(orderAttributed());
    expect((await post(body, signed(previous, body))).status).toBe(204);
    expect(handled).toHaveLength(1);
  });

  it('accepts a signature list in which one entry is valid, refuses one in which none is', async () => {
    const body = JSON.stringify(orderAttributed());
    const headers = signed(previous, body);
    const id = headers['webhook-id'];
    const at = new Date(Number(headers['webhook-timestamp']) * 1000);
    const wrong = new Webhook(newSecret()).sign(id, at, body);
    const list = { ...headers, 'webhook-signature': `${wrong} v2,${wrong.slice(3)} ${headers['webhook-signature']}` };
    const none = { ...headers, 'webhook-signature': `${wrong} v1,AAAA` };
    expect((await post(body, none)).status).toBe(401);
    expect((await post(body, list)).status).toBe(204);
    expect(handled).toHaveLength(1);
  });

  it('refuses a verified body that is not a CloudEvent with 400, and other methods and paths', async () => {
    const body = JSON.stringify({ hello: 'world' });
    expect((await post(body, signed(current, body))).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url.replace('/webhooks', '/other'), { method: 'POST', body })).status).toBe(404);
    expect(handled).toHaveLength(0);
  });

  it("accepts the sample sender's delivery once, and acknowledges its retry", async () => {
    const id = `msg_${randomUUID()}`;
    expect(await sendSample(url, previous, id)).toBe(204);
    expect(await sendSample(url, previous, id)).toBe(200);
    expect(await sendSample(url, newSecret())).toBe(401);
    expect(handled.map((h) => h.event.type)).toEqual(['order.attributed']);
  });

  it('refuses a body over the limit with 413', async () => {
    const small = createReceiver({ secrets: [current], handler: () => undefined, maxBodyBytes: 100, log: () => undefined });
    small.listen(0, '127.0.0.1');
    await once(small, 'listening');
    try {
      const body = JSON.stringify(orderAttributed());
      const res = await fetch(`http://127.0.0.1:${(small.address() as AddressInfo).port}/webhooks`, {
        method: 'POST',
        body,
        headers: signed(current, body),
      });
      expect(res.status).toBe(413);
    } finally {
      small.close();
      await once(small, 'close');
    }
  });

  describe('the Standard Webhooks reference vector (the library test "sign function works")', () => {
    // From standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const vector = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const body = '{"test": 2432232314}';
    let vectorServer: Server;
    let vectorUrl: string;
    let now: jest.SpyInstance<number, []>;

    beforeAll(async () => {
      vectorServer = createReceiver({ secrets: [newSecret(), secret], handler: () => undefined, log: () => undefined });
      vectorServer.listen(0, '127.0.0.1');
      await once(vectorServer, 'listening');
      vectorUrl = `http://127.0.0.1:${(vectorServer.address() as AddressInfo).port}/webhooks`;
    });
    afterAll(async () => {
      vectorServer.close();
      await once(vectorServer, 'close');
    });
    afterEach(() => now?.mockRestore());

    it('verifies (signature accepted: the body is then refused only for not being a CloudEvent)', async () => {
      // The library reads the clock with Date.now(): put it 10 s after the vector's timestamp.
      now = jest.spyOn(Date, 'now').mockReturnValue((1614265330 + 10) * 1000);
      const res = await fetch(vectorUrl, { method: 'POST', body, headers: vector });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'body is not a CloudEvent' });
      const tampered = await fetch(vectorUrl, { method: 'POST', body: '{"test": 2432232315}', headers: vector });
      expect(tampered.status).toBe(401);
    });

    it("is refused at today's clock (the timestamp is from 2021)", async () => {
      const res = await fetch(vectorUrl, { method: 'POST', body, headers: vector });
      expect(res.status).toBe(401);
    });
  });
});

describe('the example handler', () => {
  it('logs the event type, subject, brand and webhook-id', async () => {
    const lines: string[] = [];
    const event = orderAttributed();
    await loggingHandler((line) => lines.push(line))(event, { webhookId: 'msg_1', timestamp: 1 });
    expect(lines).toEqual([`order.attributed subject=${event.subject} brand=${event.brandid} event=${event.id} webhook-id=msg_1`]);
  });
});

describe('WEBHOOK_SECRET', () => {
  it('takes one secret or several separated by spaces or commas, and refuses none', () => {
    expect(secretsFromEnv({ WEBHOOK_SECRET: 'whsec_a' })).toEqual(['whsec_a']);
    expect(secretsFromEnv({ WEBHOOK_SECRET: ' whsec_a  whsec_b,whsec_c ' })).toEqual(['whsec_a', 'whsec_b', 'whsec_c']);
    expect(() => secretsFromEnv({})).toThrow('WEBHOOK_SECRET is not set');
    expect(() => secretsFromEnv({ WEBHOOK_SECRET: '  ' })).toThrow('WEBHOOK_SECRET is not set');
  });

  it('refuses to start without a secret', () => {
    expect(() => createReceiver({ secrets: [], handler: () => undefined })).toThrow('at least one webhook secret');
  });
});
