import { createHmac, timingSafeEqual } from 'node:crypto';
import { Identity, identityFromClaims } from './identity';

/**
 * The gateway forwards the verified identity to subgraphs in this header, signed with a secret only the
 * gateway and the subgraphs know. A subgraph refuses any GraphQL request without a valid signature, so
 * nobody can call a subgraph directly (or its `_entities`) while pretending to be someone.
 *
 * Format: `v1.<unix seconds>.<base64url(JSON {identity})>.<base64url(HMAC-SHA256)>`; anonymous callers are
 * signed too, with `identity: null`.
 */
export const IDENTITY_HEADER = 'x-influenceflow-identity';
export const REQUEST_ID_HEADER = 'x-request-id';
const MAX_AGE_SECONDS = 300;

function mac(secret: string, signed: string): string {
  return createHmac('sha256', secret).update(signed).digest('base64url');
}

export function signIdentity(identity: Identity | null, secret: string, nowMs = Date.now()): string {
  const ts = Math.floor(nowMs / 1000);
  const payload = Buffer.from(JSON.stringify({ identity })).toString('base64url');
  const signed = `v1.${ts}.${payload}`;
  return `${signed}.${mac(secret, signed)}`;
}

export type SignatureCheck = { ok: true; identity: Identity | null } | { ok: false; reason: string };

export function verifyIdentityHeader(header: string | undefined, secret: string, nowMs = Date.now()): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing gateway signature' };
  const parts = header.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return { ok: false, reason: 'malformed gateway signature' };
  const [version, tsText, payload, signature] = parts;
  const expected = Buffer.from(mac(secret, `${version}.${tsText}.${payload}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'invalid gateway signature' };
  }
  const ts = Number(tsText);
  if (!Number.isFinite(ts) || Math.abs(nowMs / 1000 - ts) > MAX_AGE_SECONDS) {
    return { ok: false, reason: 'expired gateway signature' };
  }
  try {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { identity: unknown };
    const identity = decoded.identity === null ? null : identityFromClaims(decoded.identity as Record<string, unknown>);
    return { ok: true, identity };
  } catch {
    return { ok: false, reason: 'malformed gateway signature' };
  }
}
