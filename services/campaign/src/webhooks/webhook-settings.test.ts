import { ConfigError } from '@influenceflow/kit';
import { DEV_WEBHOOK_SECRET_KEY, webhookSettings } from './webhook-settings';

describe('webhook settings', () => {
  it('delivers, refuses private destinations and waits 10 s for an answer by default', () => {
    expect(webhookSettings({})).toEqual({
      delivery: true,
      allowPrivateDestinations: false,
      secretKey: Buffer.from(DEV_WEBHOOK_SECRET_KEY, 'base64'),
      timeoutMs: 10_000,
      pollMs: 1_000,
      concurrency: 8,
    });
  });

  it('reads the switches and the key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(webhookSettings({ WEBHOOK_DELIVERY: 'off', WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true', WEBHOOK_SECRET_KEY: key })).toMatchObject(
      {
        delivery: false,
        allowPrivateDestinations: true,
        secretKey: Buffer.alloc(32, 7),
      },
    );
    expect(webhookSettings({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: key }).delivery).toBe(true);
  });

  it('refuses bad values and the development key in production, never echoing a key', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        webhookSettings(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as Error).message).not.toContain('c2VjcmV0');
        return (err as ConfigError).problems.map((p) => p.variable);
      }
      throw new Error('expected a ConfigError');
    };
    expect(problems({ WEBHOOK_DELIVERY: 'maybe', WEBHOOK_TIMEOUT_MS: '10', WEBHOOK_SECRET_KEY: 'c2VjcmV0' })).toEqual([
      'WEBHOOK_DELIVERY',
      'WEBHOOK_SECRET_KEY',
      'WEBHOOK_TIMEOUT_MS',
    ]);
    expect(problems({ NODE_ENV: 'production' })).toEqual(['WEBHOOK_SECRET_KEY']);
  });
});
