import { ConnectorError } from './connector';

/*
 * The HTTP calls adapters make: JSON answers, bounded in time and size, with failures sorted into
 * ConnectorError kinds. Messages never carry a URL (Graph API URLs hold the access token) nor a token.
 */

/** Answers larger than this are not a platform's documented response. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** When a platform says to wait but not how long. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** What an adapter says of a platform's error answer: a ConnectorError, or null for the default. */
export type ErrorReading = (status: number, body: unknown) => ConnectorError | null;

export interface PlatformHttpOptions {
  /** The platform's name, for messages ("YouTube"). */
  name: string;
  timeoutMs: number;
  readError: ErrorReading;
}

/** The delay a Retry-After header asks for (seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** GETs or POSTs (a form) and gives the parsed JSON body of a 2xx answer; anything else is a ConnectorError. */
export async function platformJson(
  options: PlatformHttpOptions,
  url: string,
  init: { method?: 'GET' | 'POST'; form?: Record<string, string>; bearer?: string } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) throw new ConnectorError('malformed', `${options.name} sent an answer too large to be its API's`);
    text = await res.text();
  } catch (err) {
    if (err instanceof ConnectorError) throw err;
    throw new ConnectorError('unavailable', `${options.name} could not be reached (${(err as Error).name})`);
  }
  if (text.length > MAX_BODY_BYTES) throw new ConnectorError('malformed', `${options.name} sent an answer too large to be its API's`);
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status === 429) {
    throw new ConnectorError(
      'rate_limited',
      `${options.name} asks us to slow down (429)`,
      retryAfterMs(res.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS,
    );
  }
  if (res.status >= 200 && res.status < 300) {
    if (body === undefined || body === null || typeof body !== 'object') {
      throw new ConnectorError('malformed', `${options.name} answered ${res.status} with something that is not JSON`);
    }
    return body;
  }
  const read = options.readError(res.status, body);
  if (read) {
    if (read.kind === 'rate_limited' && read.retryAfterMs === null) {
      throw new ConnectorError('rate_limited', read.message, retryAfterMs(res.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS);
    }
    throw read;
  }
  if (res.status >= 500) throw new ConnectorError('unavailable', `${options.name} failed (${res.status})`);
  throw new ConnectorError('refused', `${options.name} refused the request (${res.status})`);
}

/** A URL with these query parameters added. */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** `base` + `/path`, whatever slashes `base` ends with. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

// Reading documented responses: each check names what was wrong, never the value.

export function malformed(platform: string, what: string): ConnectorError {
  return new ConnectorError('malformed', `${platform} answered without ${what}, unlike its documented response`);
}

export function objectAt(platform: string, value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(platform, what);
  return value as Record<string, unknown>;
}

export function arrayAt(platform: string, value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(platform, what);
  return value;
}

export function stringAt(platform: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 10_000) throw malformed(platform, what);
  return value;
}

/** A count the API gives as a number or, like YouTube's uint64 fields, as a string of digits. */
export function countAt(platform: string, value: unknown, what: string): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw malformed(platform, what);
  return n;
}

/** A count that may be absent (hidden likes, disabled comments): null then. */
export function optionalCountAt(platform: string, value: unknown, what: string): number | null {
  return value === undefined || value === null ? null : countAt(platform, value, what);
}

export function dateAt(platform: string, value: unknown, what: string): Date {
  // Graph API timestamps end in "+0000", which Date.parse reads only with a colon.
  const text = typeof value === 'string' ? value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : '';
  const date = new Date(text);
  if (text === '' || Number.isNaN(date.getTime())) throw malformed(platform, what);
  return date;
}
