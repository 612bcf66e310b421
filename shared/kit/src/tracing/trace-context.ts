import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header
 * `<version>-<trace-id>-<parent-id>-<flags>`, and the trace the running code belongs to.
 *
 * Written here rather than taken from npm: `traceparent` (the package) is unmaintained and throws on bad
 * input; @opentelemetry/core's parser needs Node 22 from 3.x on, its 2.x line wants an older
 * @opentelemetry/api than the gateway's, and it accepts whitespace around the value. The rules are short.
 */
export const TRACEPARENT_HEADER = 'traceparent';

export interface TraceContext {
  /** 32 lower-case hex digits, not all zero: the whole trace, from the client to the last webhook. */
  traceId: string;
  /** 16 lower-case hex digits, not all zero: this span (the `parent-id` of what it calls). */
  spanId: string;
  /** The trace flags; bit 0 is "sampled". */
  flags: number;
}

// version 00 is exactly these four fields; a later version may add more after a "-"
const FIELDS = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/s;
const ALL_ZERO = /^0+$/;
/** Longer than any traceparent a version we know of sends: not worth matching. */
const MAX_LENGTH = 512;
/** The flags version 00 defines (sampled, random trace id); the others must be sent as zero. */
const KNOWN_FLAGS = 0x03;

/**
 * The trace of a `traceparent` value, or null when it is not a valid one (never throws): upper-case hex,
 * wrong lengths, an all-zero trace-id or parent-id, version ff, or version 00 with anything after the flags.
 * A later version is read by its first four fields, as the specification asks.
 */
export function parseTraceparent(value: unknown): TraceContext | null {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return null;
  const m = FIELDS.exec(value);
  if (!m) return null;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return null;
  return { traceId, spanId, flags: parseInt(flags, 16) & KNOWN_FLAGS };
}

/** The `traceparent` value of a trace (always version 00). */
export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${(trace.flags & KNOWN_FLAGS).toString(16).padStart(2, '0')}`;
}

function randomHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!ALL_ZERO.test(hex)) return hex;
  }
}

/** A new trace (nobody sent one, or what was sent is not valid), sampled. */
export function newTrace(): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8), flags: 0x01 };
}

/** A span of the same trace below `parent`: what a service records for its own part of the work. */
export function childSpan(parent: TraceContext): TraceContext {
  return { traceId: parent.traceId, spanId: randomHex(8), flags: parent.flags };
}

/** The trace a request or an event handler runs in, for the code it calls (createEvent, loggers). */
const current = new AsyncLocalStorage<TraceContext | null>();

/** Runs `work` (and everything it starts) in `trace`; null runs it outside any trace. */
export function runInTrace<T>(trace: TraceContext | null, work: () => T): T {
  return current.run(trace, work);
}

/** The trace of the running code, if any. */
export function currentTrace(): TraceContext | null {
  return current.getStore() ?? null;
}

/** The log fields of a trace (`traceId`), for a child logger: none without one. */
export function traceLogFields(trace: TraceContext | null | undefined): { traceId?: string } {
  return trace ? { traceId: trace.traceId } : {};
}
