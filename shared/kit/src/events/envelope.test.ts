import { createEvent, MalformedEventError, parseEvent } from './envelope';
import { uuidv7 } from './uuidv7';
import { formatTraceparent, newTrace, runInTrace } from '../tracing/trace-context';

describe('CloudEvents envelope', () => {
  it('creates a structured CloudEvent 1.0 with a UUIDv7 id and the brand extension', () => {
    const event = createEvent(
      'campaign',
      { type: 'campaign.launched', subject: 'c1', brandid: 'b1', data: { x: 1 } },
      new Date('2026-01-02T03:04:05Z'),
    );
    expect(event).toMatchObject({
      specversion: '1.0',
      source: 'campaign',
      type: 'campaign.launched',
      subject: 'c1',
      time: '2026-01-02T03:04:05.000Z',
      datacontenttype: 'application/json',
      brandid: 'b1',
      data: { x: 1 },
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseEvent(JSON.stringify(event))).toEqual(event);
  });

  it('carries the traceparent of the trace it is made in, and none outside one', () => {
    const trace = newTrace();
    const made = runInTrace(trace, () => createEvent('campaign', { type: 'campaign.paused', subject: 'c1', data: {} }));
    expect(made.traceparent).toBe(formatTraceparent(trace));
    expect(parseEvent(JSON.stringify(made)).traceparent).toBe(formatTraceparent(trace));
    expect(createEvent('campaign', { type: 'campaign.paused', subject: 'c1', data: {} })).not.toHaveProperty('traceparent');
  });

  it('refuses what is not an envelope', () => {
    expect(() => parseEvent(null)).toThrow(MalformedEventError);
    expect(() => parseEvent('not json')).toThrow('message is not JSON');
    expect(() => parseEvent(JSON.stringify({ specversion: '0.3' }))).toThrow('specversion');
    expect(() => parseEvent(JSON.stringify({ specversion: '1.0', id: 'x' }))).toThrow('id must be a UUID');
    const noType = { ...createEvent('s', { type: 't', subject: 's', data: {} }), type: '' };
    expect(() => parseEvent(JSON.stringify(noType))).toThrow('type is missing');
  });
});

describe('uuidv7', () => {
  it('sorts by creation time, also within one millisecond', () => {
    const ms = Date.now() + 3_600_000; // later than any id made before in this file
    const ids = Array.from({ length: 500 }, () => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(500);
    expect(uuidv7(ms + 1) > ids[ids.length - 1]).toBe(true);
    expect(parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });
});
