import { ManualTransferProvider, ProviderSendRequest, SimulatedProvider } from './providers';

const request = (n = 1): ProviderSendRequest => ({
  payoutId: 'p',
  attemptId: `a${n}`,
  attempt: n,
  providerKey: `payout:p:attempt:${n}`,
  creatorId: 'c',
  amountMinor: 100,
  currency: 'USD',
});

describe('the simulated provider', () => {
  it('succeeds, counts its calls and answers a repeated key with the first outcome', async () => {
    const sim = new SimulatedProvider(0, 0);
    const first = await sim.send(request());
    expect(first).toMatchObject({ status: 'SUCCEEDED', providerRef: 'sim_a1' });
    expect(await sim.send(request())).toEqual(first);
    expect(sim.calls).toBe(2);
    expect(sim.callsByKey.get('payout:p:attempt:1')).toBe(2);
    expect(await sim.lookup('payout:p:attempt:1')).toEqual(first);
    expect(await sim.lookup('payout:p:attempt:9')).toBeNull();
  });

  it('fails the next N calls when told, retryable, then succeeds', async () => {
    const sim = new SimulatedProvider(0, 0);
    sim.failNext(2, 'bank said no');
    expect(await sim.send(request(1))).toEqual({ status: 'FAILED', providerRef: null, failureReason: 'bank said no', retryable: true });
    expect((await sim.send(request(2))).status).toBe('FAILED');
    expect((await sim.send(request(3))).status).toBe('SUCCEEDED');
  });

  it('fails the configured share of its calls', async () => {
    const draws = [0.1, 0.9, 0.2, 0.8];
    const sim = new SimulatedProvider(0, 0.5, () => draws.shift()!);
    const statuses = [];
    for (let n = 1; n <= 4; n++) statuses.push((await sim.send(request(n))).status);
    expect(statuses).toEqual(['FAILED', 'SUCCEEDED', 'FAILED', 'SUCCEEDED']);
  });
});

describe('the manual provider', () => {
  it('takes the transfer and leaves it pending for an admin', async () => {
    const manual = new ManualTransferProvider();
    expect(await manual.send(request())).toEqual({ status: 'PENDING', providerRef: 'manual:a1', failureReason: null, retryable: false });
    expect(await manual.lookup()).toBeNull();
  });
});
