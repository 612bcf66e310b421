import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * The CloudEvents 1.0 envelope InfluenceFlow delivers (structured JSON mode, plus the `brandid` extension),
 * as docs/events.asyncapi.yaml describes it. `data` depends on `type`: see the catalogue there.
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  /** The aggregate the event is about (for `order.attributed`: the partnership id). */
  subject: string;
  time: string;
  datacontenttype?: string;
  brandid?: string;
  data: T;
}

/** What the receiver knows of one delivery besides the event: the Standard Webhooks message id. */
export interface Delivery {
  /** `webhook-id`: the same on every retry of this delivery, so the key to de-duplicate on. */
  webhookId: string;
  /** `webhook-timestamp`, seconds since the epoch: when this attempt was signed. */
  timestamp: number;
}

export type EventHandler = (event: CloudEvent, delivery: Delivery) => Promise<void> | void;

/**
 * Remembers which deliveries were handled. The in-memory one below forgets on restart and is per process:
 * in production keep the ids in your database, in the same transaction as what the handler stores (a
 * unique key on webhook_id), so that a retry after a crash is neither lost nor handled twice.
 */
export interface DeliveryStore {
  /** True if this webhook-id was handled already. */
  seen(webhookId: string): Promise<boolean> | boolean;
  /** Records that this webhook-id was handled (called only after the handler succeeded). */
  remember(webhookId: string): Promise<void> | void;
}

export class MemoryDeliveryStore implements DeliveryStore {
  private readonly ids = new Set<string>();
  seen(webhookId: string): boolean {
    return this.ids.has(webhookId);
  }
  remember(webhookId: string): void {
    this.ids.add(webhookId);
  }
  get size(): number {
    return this.ids.size;
  }
}

export interface ReceiverOptions {
  /**
   * The endpoint's secrets (`whsec_` + base64), at least one. During a rotation configure the new one and
   * the old one: a delivery is accepted if any of its signatures matches any of these secrets.
   */
  secrets: string[];
  handler: EventHandler;
  store?: DeliveryStore;
  /** The path deliveries are posted to (default `/webhooks`). */
  path?: string;
  /** Largest body accepted, in bytes (default 1 MiB); a larger one gets 413. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export class SignatureError extends Error {
  override name = 'SignatureError';
}

/**
 * Verifies one delivery with the standardwebhooks library against each configured secret in turn, on the
 * raw bytes of the body, and returns the parsed event. The library checks the headers, the timestamp
 * (within its tolerance of five minutes either way) and every entry of the space-separated signature
 * list. Throws SignatureError when none matches; SyntaxError when a signed body is not JSON.
 */
export function verifyDelivery(webhooks: Webhook[], rawBody: Buffer, headers: Record<string, string>): CloudEvent {
  let lastError: Error = new SignatureError('no secret configured');
  for (const webhook of webhooks) {
    try {
      return webhook.verify(rawBody, headers) as CloudEvent;
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      lastError = new SignatureError(err.message);
    }
  }
  throw lastError;
}

function isCloudEvent(value: unknown): value is CloudEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return e.specversion === '1.0' && typeof e.id === 'string' && typeof e.type === 'string' && typeof e.subject === 'string' && 'data' in e;
}

/** The three Standard Webhooks headers, as plain strings (a header sent twice counts as absent). */
function webhookHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = req.headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

class BodyTooLarge extends Error {}

function readRawBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so that the 413 reaches the sender.
      if (size > max) reject(new BodyTooLarge());
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * The partner endpoint: POST <path> with a Standard Webhooks delivery. Answers
 * - 401 when the signature, the headers or the timestamp do not verify (never handled);
 * - 400 when a verified body is not a CloudEvent;
 * - 200 `{ duplicate: true }` for a webhook-id handled before (a retry: acknowledged, not handled again);
 * - 204 once the handler has finished (so keep it quick: store the event, process it later);
 * - 500 when the handler failed, so the platform retries with the same webhook-id.
 */
export function createReceiver(options: ReceiverOptions): Server {
  if (options.secrets.length === 0) throw new Error('at least one webhook secret is needed');
  const webhooks = options.secrets.map((secret) => new Webhook(secret));
  const store = options.store ?? new MemoryDeliveryStore();
  const path = options.path ?? '/webhooks';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const log = options.log ?? ((line: string) => console.log(line));
  // Attempts of one delivery arriving together: each waits for the one before it.
  const inFlight = new Map<string, Promise<unknown>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (url.pathname !== path) return answer(res, 404, { error: 'not found' });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return answer(res, 405, { error: 'method not allowed' });
    }
    let raw: Buffer;
    try {
      // The signature covers these exact bytes: never verify JSON.parse'd and re-serialised data.
      raw = await readRawBody(req, maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        return answer(res, 413, { error: 'body too large' });
      }
      throw err;
    }
    const headers = webhookHeaders(req);
    let event: CloudEvent;
    try {
      event = verifyDelivery(webhooks, raw, headers);
    } catch (err) {
      if (err instanceof SignatureError) {
        log(`refused a delivery: ${err.message}`);
        return answer(res, 401, { error: 'invalid signature' });
      }
      if (err instanceof SyntaxError) return answer(res, 400, { error: 'body is not JSON' });
      throw err;
    }
    if (!isCloudEvent(event)) return answer(res, 400, { error: 'body is not a CloudEvent' });
    const webhookId = headers['webhook-id'];
    const delivery: Delivery = { webhookId, timestamp: Number.parseInt(headers['webhook-timestamp'], 10) };

    // Attempts of one webhook-id run one after the other (chained synchronously, before any await), so
    // each finds the previous one's outcome: handled (a duplicate) or failed (handle it now).
    const previous = inFlight.get(webhookId) ?? Promise.resolve('failed');
    const attempt = previous
      .catch(() => 'failed')
      .then(async (): Promise<'handled' | 'duplicate'> => {
        if (await store.seen(webhookId)) return 'duplicate';
        await options.handler(event, delivery);
        await store.remember(webhookId);
        return 'handled';
      });
    inFlight.set(webhookId, attempt);
    let outcome: 'handled' | 'duplicate';
    try {
      outcome = await attempt;
    } catch (err) {
      log(`handler failed for ${webhookId}: ${(err as Error).message}`);
      return answer(res, 500, { error: 'not stored, retry' });
    } finally {
      if (inFlight.get(webhookId) === attempt) inFlight.delete(webhookId);
    }
    if (outcome === 'duplicate') return answer(res, 200, { duplicate: true });
    res.writeHead(204).end();
  };

  return createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      log(`receiver error: ${err.message}`);
      if (!res.headersSent) answer(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
}

/** The example's handler: logs what arrived. Replace it with "store the event, process it later". */
export function loggingHandler(log: (line: string) => void = (line) => console.log(line)): EventHandler {
  return (event, delivery) => {
    log(`${event.type} subject=${event.subject} brand=${event.brandid ?? '-'} event=${event.id} webhook-id=${delivery.webhookId}`);
  };
}
