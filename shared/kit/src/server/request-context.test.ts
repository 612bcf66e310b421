import pino from 'pino';
import { isRetryableTransactionError, RequestContext, ServiceRuntime } from './request-context';

const deadlock = Object.assign(new Error('deadlock detected'), { driverError: { code: '40P01' } });
const unique = Object.assign(new Error('duplicate key'), { driverError: { code: '23505' } });

/** A runtime whose database fails the first `failures` transactions with `error`, then runs them. */
function runtimeFailing(error: Error, failures: number) {
  let calls = 0;
  let committed = 0;
  const runtime = {
    dataSource: {
      transaction: async <T>(work: (tx: unknown) => Promise<T>) => {
        calls++;
        const result = await work({});
        if (calls <= failures) throw error;
        return result;
      },
    },
    onEventsCommitted: () => committed++,
  } as unknown as ServiceRuntime;
  return { runtime, calls: () => calls, committed: () => committed };
}

const contextOf = (runtime: ServiceRuntime) => new RequestContext('r', null, pino({ level: 'silent' }), runtime, {});

describe('RequestContext.transaction', () => {
  it('runs a deadlock victim again, and the events are announced once, after the commit', async () => {
    const db = runtimeFailing(deadlock, 2);
    let ran = 0;
    await expect(contextOf(db.runtime).transaction(async () => ++ran)).resolves.toBe(3);
    expect(db.calls()).toBe(3);
    expect(db.committed()).toBe(1);
  });

  it('gives up after three attempts, and never runs again what is no deadlock', async () => {
    const stuck = runtimeFailing(deadlock, 10);
    await expect(contextOf(stuck.runtime).transaction(async () => 1)).rejects.toBe(deadlock);
    expect(stuck.calls()).toBe(3);
    const other = runtimeFailing(unique, 1);
    await expect(contextOf(other.runtime).transaction(async () => 1)).rejects.toBe(unique);
    expect(other.calls()).toBe(1);
    expect(other.committed()).toBe(0);
  });

  it('tells retryable failures from the others', () => {
    expect(isRetryableTransactionError(deadlock)).toBe(true);
    expect(isRetryableTransactionError({ code: '40001' })).toBe(true);
    expect(isRetryableTransactionError(unique)).toBe(false);
    expect(isRetryableTransactionError(new Error('x'))).toBe(false);
    expect(isRetryableTransactionError(null)).toBe(false);
  });
});
