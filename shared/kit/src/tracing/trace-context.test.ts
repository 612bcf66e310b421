import { childSpan, currentTrace, formatTraceparent, newTrace, parseTraceparent, runInTrace } from './trace-context';

// The specification's own example.
const EXAMPLE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('W3C traceparent', () => {
  it('reads a valid value, and formats it back the same', () => {
    expect(parseTraceparent(EXAMPLE)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 1 });
    expect(formatTraceparent(parseTraceparent(EXAMPLE)!)).toBe(EXAMPLE);
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.flags).toBe(0);
  });

  it.each([
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01'],
    ['an upper-case flag', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A'],
    ['an all-zero trace-id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent-id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['a short trace-id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['a long trace-id', '00-4bf92f3577b34da6a3ce929d0e0e47361-00f067aa0ba902b7-01'],
    ['a short parent-id', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01'],
    ['a long parent-id', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b71-01'],
    ['a one-digit flag', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1'],
    ['a one-digit version', '0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['version 00 with more after the flags', `${EXAMPLE}-extra`],
    ['a value with a space around it', ` ${EXAMPLE}`],
    ['another separator', '00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01'],
    ['two values joined (a repeated header)', `${EXAMPLE}, ${EXAMPLE}`],
    ['not hex', '00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01'],
    ['empty', ''],
    ['a huge value', `01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-${'a'.repeat(10_000)}`],
  ])('refuses %s', (_name, value) => {
    expect(parseTraceparent(value)).toBeNull();
  });

  it('never throws, whatever it is given', () => {
    for (const value of [undefined, null, 42, {}, ['x'], Symbol('t')]) expect(parseTraceparent(value)).toBeNull();
  });

  it('reads a later version by its first four fields, and answers in version 00', () => {
    const later = parseTraceparent('cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-adds');
    expect(later).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 1 });
    expect(formatTraceparent(later!)).toBe(EXAMPLE);
    // flags version 00 does not define go out as zero
    expect(formatTraceparent(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff')!)).toMatch(/-03$/);
  });

  it('makes new traces and child spans that are valid and random', () => {
    const trace = newTrace();
    expect(parseTraceparent(formatTraceparent(trace))).toEqual(trace);
    expect(trace.flags).toBe(1);
    const child = childSpan(trace);
    expect(child.traceId).toBe(trace.traceId);
    expect(child.spanId).not.toBe(trace.spanId);
    expect(child.flags).toBe(trace.flags);
    expect(newTrace().traceId).not.toBe(trace.traceId);
  });

  it('keeps the current trace across awaits, and none outside', async () => {
    const trace = newTrace();
    expect(currentTrace()).toBeNull();
    const seen = await runInTrace(trace, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const inner = await runInTrace(null, async () => currentTrace());
      return { after: currentTrace(), inner };
    });
    expect(seen).toEqual({ after: trace, inner: null });
    expect(currentTrace()).toBeNull();
  });
});
