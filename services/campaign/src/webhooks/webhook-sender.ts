import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  checkedLookup,
  checkLiteralHost,
  DestinationRefused,
  EXCERPT_BYTES,
  hostOf,
  Resolver,
  responseExcerpt,
} from './webhook-destination';

/** What one attempt gave: an HTTP status (any, 3xx included: redirects are not followed) or an error. */
export interface SendResult {
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  /** Why there is no status: refused destination, timeout, connection error. */
  error: string | null;
  /** True when the destination was refused before any connection (SSRF rules). */
  refused: boolean;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  resolver?: Resolver;
}

/**
 * POSTs one delivery. Connects only to addresses `checkedLookup` allowed, gives up after `timeoutMs` in
 * all (connecting and answering), keeps the first EXCERPT_BYTES of the answer and never follows a
 * redirect. Never throws: every failure is a result to record.
 */
export async function sendDelivery(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  const failure = (err: Error): SendResult => ({
    statusCode: null,
    responseExcerpt: null,
    latencyMs: elapsed(),
    refused: err instanceof DestinationRefused,
    error: err instanceof DestinationRefused ? `refused: ${err.message}` : describe(err),
  });
  let url: URL;
  try {
    url = new URL(target);
    checkLiteralHost(hostOf(url), options.allowPrivate);
  } catch (err) {
    return failure(err as Error);
  }
  const payload = Buffer.from(body, 'utf8');
  return new Promise((resolve) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': 'InfluenceFlow-Webhooks/1',
      },
      lookup: checkedLookup(options.allowPrivate, options.resolver) as never,
      // One connection per attempt: nothing pooled outlives the check of its address.
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    let done = false;
    const finish = (result: SendResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    req.on('error', (err) => finish(failure(err)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        // Only the excerpt is kept: past it the answer is cut off.
        chunks.push(chunk);
        kept += chunk.length;
        if (kept > EXCERPT_BYTES) res.destroy();
      });
      const answered = () =>
        finish({
          statusCode: res.statusCode ?? null,
          responseExcerpt: responseExcerpt(Buffer.concat(chunks)),
          error: null,
          refused: false,
          latencyMs: elapsed(),
        });
      res.on('end', answered);
      res.on('close', answered);
      res.on('error', answered);
    });
    req.end(payload);
  });
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code ? `${code}: ${err.message}` : err.message).slice(0, 500);
}
