import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { isUuid } from '@influenceflow/kit';

/**
 * The audit trail of a contract as a hash chain (pure: no database). Each entry's hash is the SHA-256 of
 * the RFC 8785 canonical JSON of everything the entry says plus the hash of the entry before it, so a
 * change to any entry, a removed, inserted or reordered entry, breaks every hash from there on.
 * docs/contracts.md, "Audit trail", says the same for people who verify it themselves.
 */

export const AUDIT_ACTIONS = [
  'created',
  'viewed',
  'sent',
  'signed',
  'executed',
  'amended',
  'terminated',
  'completed',
  'sign_refused',
  /** Refused signing attempts beyond the rate limit, counted instead of recorded one by one. */
  'sign_refusals_suppressed',
  /** The brand took a sent (or half-signed) contract back to draft; the signatures made were voided. */
  'recalled',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTOR_ROLES = ['brand', 'creator', 'admin', 'system', 'public'] as const;
export type AuditActorRole = (typeof AUDIT_ACTOR_ROLES)[number];

export interface AuditEntryInput {
  action: AuditAction;
  /** Who: the token subject, or 'system' for the platform's own moves. */
  actor: string;
  /** 'brand' | 'creator' | 'admin' | 'system' | 'public' */
  actorRole: string;
  at: Date;
  /** What the entry is about: { version, documentSha256, reason, ip, userAgent, refusal code, ... } — JSON only. */
  details: Record<string, unknown>;
}

export interface AuditEntryView extends AuditEntryInput {
  contractId: string;
  sequence: number;
  previousHash: string | null;
  hash: string;
}

export interface ChainVerification {
  intact: boolean;
  entries: number;
  headHash: string | null;
  /** The first entry (sequence) that does not verify, and why; null when intact. */
  brokenAt: number | null;
  reason: string | null;
}

/** What the hash covers, in this shape, canonicalised (RFC 8785). `v` names this layout. */
export const AUDIT_HASH_VERSION = 1;

/** Limits of what an entry may hold; strings longer than MAX_STRING are cut (the cut text is what is hashed). */
export const AUDIT_LIMITS = { MAX_ACTOR: 200, MAX_STRING: 2_048, MAX_KEY: 100, MAX_DEPTH: 8, MAX_DETAILS_BYTES: 32_768 } as const;

/** A bug of the caller (an entry the trail cannot hold), never the client's input: it surfaces as INTERNAL. */
export class AuditEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditEntryError';
  }
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string as PostgreSQL can store it and every JSON canonicaliser reads it alike: NUL (which text and jsonb
 * refuse) and lone surrogates (which are not Unicode) become U+FFFD; at most `max` UTF-16 units.
 */
function storable(value: string, max: number): string {
  let s = value.length > max ? value.slice(0, max) : value;
  s = s.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
  return s;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function jsonValue(value: unknown, path: string, depth: number): unknown {
  if (depth > AUDIT_LIMITS.MAX_DEPTH) throw new AuditEntryError(`details.${path}: nested deeper than ${AUDIT_LIMITS.MAX_DEPTH} levels`);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return storable(value, AUDIT_LIMITS.MAX_STRING);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AuditEntryError(`details.${path}: not a finite number`);
    return Object.is(value, -0) ? 0 : value;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new AuditEntryError(`details.${path}: an invalid date`);
    return value.toISOString();
  }
  if (Array.isArray(value)) return value.map((v, i) => jsonValue(v, `${path}.${i}`, depth + 1));
  if (isPlainObject(value)) return jsonObject(value, path, depth + 1);
  throw new AuditEntryError(`details.${path}: ${typeof value === 'object' ? 'not a plain object' : `a ${typeof value}`}, not JSON`);
}

function jsonObject(value: Record<string, unknown>, path: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue; // as JSON.stringify: an absent value
    const k = storable(key, AUDIT_LIMITS.MAX_KEY);
    if (k !== key) throw new AuditEntryError(`details${path ? `.${path}` : ''}: a key that is too long or not storable`);
    out[k] = jsonValue(v, path ? `${path}.${k}` : k, depth);
  }
  return out;
}

/**
 * The entry exactly as it is stored and hashed: checked (action, role, actor, time), details made plain
 * JSON (dates as ISO strings, `undefined` properties dropped, strings storable and bounded). Throws
 * AuditEntryError for what cannot be an entry.
 */
export function normalizeEntry(entry: AuditEntryInput): AuditEntryInput {
  if (!(AUDIT_ACTIONS as readonly string[]).includes(entry.action)) throw new AuditEntryError(`unknown audit action`);
  if (!(AUDIT_ACTOR_ROLES as readonly string[]).includes(entry.actorRole)) throw new AuditEntryError(`unknown actor role`);
  if (typeof entry.actor !== 'string' || entry.actor.trim() === '') throw new AuditEntryError('an entry needs an actor');
  if (!(entry.at instanceof Date) || Number.isNaN(entry.at.getTime())) throw new AuditEntryError('an entry needs a valid time');
  if (!isPlainObject(entry.details)) throw new AuditEntryError('details must be a plain JSON object');
  const details = jsonObject(entry.details, '', 1);
  const size = Buffer.byteLength(canonicalize(details) ?? '', 'utf8');
  if (size > AUDIT_LIMITS.MAX_DETAILS_BYTES)
    throw new AuditEntryError(`details take ${size} bytes, more than ${AUDIT_LIMITS.MAX_DETAILS_BYTES}`);
  return {
    action: entry.action,
    actor: storable(entry.actor, AUDIT_LIMITS.MAX_ACTOR),
    actorRole: entry.actorRole,
    at: new Date(entry.at.getTime()),
    details,
  };
}

/** The bytes an entry's hash is taken over (RFC 8785 canonical JSON, UTF-8). */
export function hashedContent(contractId: string, sequence: number, previousHash: string | null, entry: AuditEntryInput): string {
  const text = canonicalize({
    v: AUDIT_HASH_VERSION,
    contractId: contractId.toLowerCase(),
    sequence,
    previousHash,
    action: entry.action,
    actor: entry.actor,
    actorRole: entry.actorRole,
    at: entry.at.toISOString(),
    details: entry.details,
  });
  if (text === undefined) throw new AuditEntryError('the entry cannot be canonicalised');
  return text;
}

/** SHA-256 (hex) of the entry's canonical JSON, which includes the previous entry's hash. */
export function entryHash(contractId: string, sequence: number, previousHash: string | null, entry: AuditEntryInput): string {
  return createHash('sha256')
    .update(hashedContent(contractId, sequence, previousHash, entry), 'utf8')
    .digest('hex');
}

export interface ChainExpectations {
  /** How many entries the trail recorded (its head row): fewer means entries were cut off the end. */
  expectedEntries?: number;
  /** The head hash the trail recorded, or a head known from elsewhere: a different last hash is a wrong head. */
  expectedHeadHash?: string | null;
  /**
   * A hash the chain must contain, kept outside the database (a certificate's `auditHeadHash`): its absence
   * means the chain was rewritten (every hash recomputed) or cut before it.
   */
  anchorHash?: string;
}

const broken = (entries: number, headHash: string | null, at: number, reason: string): ChainVerification => ({
  intact: false,
  entries,
  headHash,
  brokenAt: at,
  reason,
});

function safeEntryHash(e: AuditEntryView): string | null {
  try {
    return entryHash(e.contractId, e.sequence, e.previousHash, e);
  } catch {
    return null; // an entry that cannot even be hashed does not verify
  }
}

/**
 * Verifies a contract's entries in the order given (the trail lists them by sequence): sequences 1, 2, 3…
 * without a gap, each entry holding the hash of the one before (the first: none), each hash matching the
 * entry's content, one contract throughout, and whatever `expect` adds (the recorded head, an anchor).
 */
export function verifyChain(entries: readonly AuditEntryView[], expect: ChainExpectations = {}): ChainVerification {
  const n = entries.length;
  const headHash = n > 0 ? entries[n - 1].hash : null;
  const contractId = n > 0 ? String(entries[0].contractId).toLowerCase() : null;
  let previous: string | null = null;
  for (let i = 0; i < n; i++) {
    const e = entries[i];
    const expected = i + 1;
    if (String(e.contractId).toLowerCase() !== contractId)
      return broken(n, headHash, expected, `entry ${expected} belongs to another contract`);
    if (e.sequence !== expected) {
      const why =
        Number.isInteger(e.sequence) && e.sequence > expected
          ? `entry ${expected} is missing`
          : `entry ${expected} is out of order or repeated (it says ${String(e.sequence)})`;
      return broken(n, headHash, expected, why);
    }
    if (e.previousHash !== previous) {
      return broken(
        n,
        headHash,
        expected,
        i === 0 ? 'the first entry claims an entry before it' : `entry ${expected} does not hold the hash of entry ${i}`,
      );
    }
    if (typeof e.hash !== 'string' || !HASH_PATTERN.test(e.hash) || safeEntryHash(e) !== e.hash) {
      return broken(n, headHash, expected, `entry ${expected} does not match its hash: it was changed`);
    }
    previous = e.hash;
  }
  if (expect.expectedEntries !== undefined && expect.expectedEntries !== n) {
    return expect.expectedEntries > n
      ? broken(
          n,
          headHash,
          n + 1,
          expect.expectedEntries === n + 1 ? `entry ${n + 1} is missing` : `entries ${n + 1} to ${expect.expectedEntries} are missing`,
        )
      : broken(n, headHash, expect.expectedEntries + 1, `entries after ${expect.expectedEntries} were not appended by the trail`);
  }
  if (expect.expectedHeadHash !== undefined && expect.expectedHeadHash !== headHash) {
    return broken(n, headHash, Math.max(n, 1), 'the last entry is not the recorded head of the trail');
  }
  if (expect.anchorHash !== undefined && !entries.some((e) => e.hash === expect.anchorHash)) {
    return broken(n, headHash, 1, 'no entry has the anchored hash: the trail was rewritten or cut');
  }
  return { intact: true, entries: n, headHash, brokenAt: null, reason: null };
}

/** The contract id as the trail keys it (lowercase UUID); throws AuditEntryError for anything else. */
export function auditContractId(contractId: string): string {
  if (!isUuid(contractId)) throw new AuditEntryError('the contract id is not a UUID');
  return contractId.toLowerCase();
}
