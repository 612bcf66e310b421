import { uuidv7 } from './uuidv7';
import { isUuid } from '../validation/uuid';
import { currentTrace, formatTraceparent } from '../tracing/trace-context';

/**
 * CloudEvents 1.0, structured JSON mode, plus the `brandid` extension, so consumers and partner webhooks
 * can route and authorize without opening `data` (docs/events.md, "Envelope").
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  brandid?: string;
  /** The W3C traceparent of the work that made the event (the distributed tracing extension). */
  traceparent?: string;
  data: T;
}

export interface NewEvent<T> {
  type: string;
  /** The aggregate the event is about (its id): the Kafka key, so its events stay in order. */
  subject: string;
  data: T;
  brandid?: string | null;
}

/** The envelope of a new event, in the trace of the code that makes it (a request, an event handler) when there is one. */
export function createEvent<T>(source: string, event: NewEvent<T>, now = new Date()): CloudEvent<T> {
  const trace = currentTrace();
  return {
    specversion: '1.0',
    id: uuidv7(now.getTime()),
    source,
    type: event.type,
    subject: event.subject,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    ...(event.brandid ? { brandid: event.brandid } : {}),
    ...(trace ? { traceparent: formatTraceparent(trace) } : {}),
    data: event.data,
  };
}

export class MalformedEventError extends Error {
  override name = 'MalformedEventError';
}

/** Parses and checks a message from Kafka; anything that is not a valid envelope is rejected. */
export function parseEvent(value: Buffer | string | null): CloudEvent {
  if (value === null) throw new MalformedEventError('empty message');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch {
    throw new MalformedEventError('message is not JSON');
  }
  const e = parsed as Partial<CloudEvent>;
  if (e.specversion !== '1.0') throw new MalformedEventError('specversion must be "1.0"');
  if (!isUuid(e.id)) throw new MalformedEventError('id must be a UUID');
  for (const f of ['source', 'type', 'subject', 'time'] as const) {
    if (typeof e[f] !== 'string' || e[f] === '') throw new MalformedEventError(`${f} is missing`);
  }
  return e as CloudEvent;
}
