import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Identity, identityFromClaims } from './identity';

/**
 * The gateway forwards the verified identity to subgraphs in this header, signed with a secret only the
 * gateway and the subgraphs know. A subgraph refuses any GraphQL request without a valid signature, so
 * nobody can call a subgraph directly (or its `_entities`) while pretending to be someone.
 *
 * The signature binds one call: the HTTP method, the subgraph it is meant for, the SHA-256 of the exact
 * body, a call id of its own and a time in milliseconds, besides the identity. A captured header is
 * therefore good for nothing but repeating the same body to the same subgraph, within MAX_AGE_MS of
 * being signed (MAX_SKEW_MS ahead is tolerated for clocks that drift), and subgraphs refuse to run a
 * mutation whose call id they already saw (see `CallLedger`). docs/security.md says what this guarantees.
 *
 * Format: `v2.<ms>.<call id>.<base64url sha256(body)>.<base64url JSON {identity, client?}>.<base64url HMAC-SHA256>`,
 * the HMAC over `v2\n<ms>\n<call id>\n<METHOD>\n<subgraph>\n<body digest>\n<identity>`. Anonymous callers
 * are signed too, with `identity: null`.
 */
export const IDENTITY_HEADER = 'x-influenceflow-identity';
export const REQUEST_ID_HEADER = 'x-request-id';
/** How long a signed call stays acceptable after it was signed. */
export const SIGNATURE_MAX_AGE_MS = 10_000;
/** How far ahead of the subgraph's clock the gateway's may be. */
export const SIGNATURE_MAX_SKEW_MS = 2_000;

const VERSION = 'v2';
const CALL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface GatewayCall {
  method: string;
  /** The subgraph the call is for (its service name). */
  subgraph: string;
  body: string | Buffer;
  /** The client as the gateway saw it (signed with the identity); absent for calls no client made. */
  client?: ClientInfo | null;
}

/**
 * The client of a request as the gateway saw it: its address (the socket's, or the first address not of
 * the gateway's TRUSTED_PROXIES) and its User-Agent. Subgraphs record it where a record needs it (an
 * electronic signature); it is signed with the identity, so no client can claim another address.
 */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

const MAX_IP_LENGTH = 64;
const MAX_USER_AGENT_LENGTH = 512;

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

function cleanClientText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(CONTROL_CHARACTERS, '').trim().slice(0, max);
  return text || null;
}

/** What a subgraph keeps of a signed client: strings only, bounded, without control characters. */
export function clientInfoOf(value: unknown): ClientInfo | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  return { ip: cleanClientText(v.ip, MAX_IP_LENGTH), userAgent: cleanClientText(v.userAgent, MAX_USER_AGENT_LENGTH) };
}

export function bodyDigest(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64url');
}

function mac(secret: string, ts: string, callId: string, method: string, subgraph: string, digest: string, payload: string): string {
  return createHmac('sha256', secret)
    .update(`${VERSION}\n${ts}\n${callId}\n${method.toUpperCase()}\n${subgraph}\n${digest}\n${payload}`)
    .digest('base64url');
}

/** The header value for one call from the gateway to a subgraph. */
export function signGatewayCall(
  identity: Identity | null,
  call: GatewayCall,
  secret: string,
  nowMs = Date.now(),
  callId = randomUUID(),
): string {
  const ts = String(nowMs);
  const digest = bodyDigest(call.body);
  const signed = call.client ? { identity, client: clientInfoOf(call.client) } : { identity };
  const payload = Buffer.from(JSON.stringify(signed)).toString('base64url');
  return `${VERSION}.${ts}.${callId}.${digest}.${payload}.${mac(secret, ts, callId, call.method, call.subgraph, digest, payload)}`;
}

export type SignatureCheck =
  { ok: true; identity: Identity | null; client: ClientInfo | null; callId: string; bodyDigest: string } | { ok: false; reason: string };

/**
 * Checks the header of a call to `subgraph` made with `method`, before its body is read: the HMAC, the
 * time window and the form. The body's digest is returned; the caller reads the body and compares it with
 * `bodyMatches` before parsing anything.
 */
export function verifyGatewayCall(
  header: string | undefined,
  call: { method: string; subgraph: string },
  secret: string,
  nowMs = Date.now(),
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing gateway signature' };
  const parts = header.split('.');
  if (parts.length !== 6 || parts[0] !== VERSION) return { ok: false, reason: 'malformed gateway signature' };
  const [, ts, callId, digest, payload, signature] = parts;
  if (!/^\d{1,15}$/.test(ts) || !CALL_ID.test(callId) || !BASE64URL.test(digest) || !BASE64URL.test(payload)) {
    return { ok: false, reason: 'malformed gateway signature' };
  }
  const expected = Buffer.from(mac(secret, ts, callId, call.method, call.subgraph, digest, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'invalid gateway signature' };
  }
  const age = nowMs - Number(ts);
  if (age > SIGNATURE_MAX_AGE_MS || age < -SIGNATURE_MAX_SKEW_MS) return { ok: false, reason: 'expired gateway signature' };
  try {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { identity: unknown; client?: unknown };
    const identity = decoded.identity === null ? null : identityFromClaims(decoded.identity as Record<string, unknown>);
    return { ok: true, identity, client: clientInfoOf(decoded.client), callId, bodyDigest: digest };
  } catch {
    return { ok: false, reason: 'malformed gateway signature' };
  }
}

/** Whether a body is the one the signature was made for (constant time). */
export function bodyMatches(signedDigest: string, body: Buffer): boolean {
  const actual = Buffer.from(bodyDigest(body));
  const signed = Buffer.from(signedDigest);
  return actual.length === signed.length && timingSafeEqual(actual, signed);
}

/**
 * A subgraph's GET route (a file download) has no body: the gateway signs the path and query in its
 * place, so a captured header opens that one URL of that one subgraph, for MAX_AGE_MS, and nothing else.
 */
export function signGatewayGet(
  identity: Identity | null,
  call: { subgraph: string; pathAndQuery: string; client?: ClientInfo | null },
  secret: string,
): string {
  return signGatewayCall(identity, { method: 'GET', subgraph: call.subgraph, body: call.pathAndQuery, client: call.client }, secret);
}

/** Checks a signed GET (`signGatewayGet`): the signature, its time, and that it was made for this very path and query. */
export function verifyGatewayGet(
  header: string | undefined,
  call: { subgraph: string; pathAndQuery: string },
  secret: string,
  nowMs = Date.now(),
): SignatureCheck {
  const check = verifyGatewayCall(header, { method: 'GET', subgraph: call.subgraph }, secret, nowMs);
  if (check.ok && !bodyMatches(check.bodyDigest, Buffer.from(call.pathAndQuery)))
    return { ok: false, reason: 'the signature is for another URL' };
  return check;
}

/** What a signed upload covers: its path and query, a line break, then the body's bytes. */
function uploadSigned(pathAndQuery: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${pathAndQuery}\n`), body]);
}

/**
 * A subgraph's POST route that takes a file (a CSV upload): the gateway signs the path and query with the
 * body, so a captured header sends that one file to that one URL, for MAX_AGE_MS, and nothing else.
 */
export function signGatewayUpload(
  identity: Identity | null,
  call: { subgraph: string; pathAndQuery: string; body: Buffer; client?: ClientInfo | null },
  secret: string,
): string {
  return signGatewayCall(
    identity,
    { method: 'POST', subgraph: call.subgraph, body: uploadSigned(call.pathAndQuery, call.body), client: call.client },
    secret,
  );
}

/** Checks a signed upload (`signGatewayUpload`): the signature, its time, and that it was made for this URL and these bytes. */
export function verifyGatewayUpload(
  header: string | undefined,
  call: { subgraph: string; pathAndQuery: string; body: Buffer },
  secret: string,
  nowMs = Date.now(),
): SignatureCheck {
  const check = verifyGatewayCall(header, { method: 'POST', subgraph: call.subgraph }, secret, nowMs);
  if (check.ok && !bodyMatches(check.bodyDigest, uploadSigned(call.pathAndQuery, call.body)))
    return { ok: false, reason: 'the signature is for another URL or body' };
  return check;
}
