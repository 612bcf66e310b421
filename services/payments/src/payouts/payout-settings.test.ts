import { ConfigError } from '@influenceflow/kit';
import { payoutSettings } from './payout-settings';

describe('payout settings', () => {
  it('defaults to the simulated provider with a 24 h key lifetime', () => {
    expect(payoutSettings({})).toMatchObject({
      provider: 'simulated',
      idempotencyTtlHours: 24,
      retry: { baseMs: 30_000, factor: 2, maxAttempts: 5 },
    });
  });

  it('reads every variable', () => {
    const s = payoutSettings({
      PAYMENTS_PROVIDER: 'manual',
      PAYMENTS_SIMULATED_LATENCY_MS: '0',
      PAYMENTS_SIMULATED_FAILURE_RATE: '0.25',
      PAYMENTS_RETRY_BASE_MS: '100',
      PAYMENTS_RETRY_FACTOR: '3',
      PAYMENTS_RETRY_MAX_DELAY_MS: '1000',
      PAYMENTS_RETRY_MAX_ATTEMPTS: '2',
      PAYMENTS_PAYOUT_POLL_MS: '20',
      PAYMENTS_SENDING_TIMEOUT_MS: '5000',
      PAYMENTS_IDEMPOTENCY_TTL_HOURS: '48',
    });
    expect(s).toEqual({
      provider: 'manual',
      simulatedLatencyMs: 0,
      simulatedFailureRate: 0.25,
      retry: { baseMs: 100, factor: 3, maxDelayMs: 1000, maxAttempts: 2 },
      pollMs: 20,
      sendingTimeoutMs: 5000,
      idempotencyTtlHours: 48,
    });
  });

  it('refuses bad values naming each variable, and keys kept less than 24 h', () => {
    try {
      payoutSettings({ PAYMENTS_PROVIDER: 'stripe', PAYMENTS_SIMULATED_FAILURE_RATE: '2', PAYMENTS_IDEMPOTENCY_TTL_HOURS: '12' });
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'PAYMENTS_IDEMPOTENCY_TTL_HOURS',
        'PAYMENTS_PROVIDER',
        'PAYMENTS_SIMULATED_FAILURE_RATE',
      ]);
    }
  });

  it('refuses the simulated provider in production', () => {
    expect(() => payoutSettings({ NODE_ENV: 'production' })).toThrow(/PAYMENTS_PROVIDER/);
    expect(payoutSettings({ NODE_ENV: 'production', PAYMENTS_PROVIDER: 'manual' }).provider).toBe('manual');
  });
});
