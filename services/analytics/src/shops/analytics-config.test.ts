import { loadServiceConfig } from '@influenceflow/kit';
import { randomBytes } from 'node:crypto';
import { ANALYTICS_CONFIG, analyticsSettingsOf, DEV_ANALYTICS_SECRET_KEY } from './analytics-config';

const production = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'p'.repeat(40) };

describe('analytics configuration', () => {
  it('seals with the development key by default, and with a key of its own when set', () => {
    expect(analyticsSettingsOf(loadServiceConfig('analytics', {}, ANALYTICS_CONFIG)).secretKey).toEqual(
      Buffer.from(DEV_ANALYTICS_SECRET_KEY, 'base64'),
    );
    const key = randomBytes(32);
    const config = loadServiceConfig('analytics', { ANALYTICS_SECRET_KEY: key.toString('base64') }, ANALYTICS_CONFIG);
    expect(analyticsSettingsOf(config).secretKey).toEqual(key);
  });

  it('refuses a key that is not 32 bytes of base64, naming the variable', () => {
    for (const bad of [randomBytes(16).toString('base64'), 'not base64 at all!', randomBytes(32).toString('hex')]) {
      expect(() => loadServiceConfig('analytics', { ANALYTICS_SECRET_KEY: bad }, ANALYTICS_CONFIG)).toThrow(
        /ANALYTICS_SECRET_KEY: must be 32 bytes/,
      );
    }
  });

  it('refuses the development key in production, from the loader and from a config built without it', () => {
    expect(() => loadServiceConfig('analytics', production, ANALYTICS_CONFIG)).toThrow(
      /ANALYTICS_SECRET_KEY: the development key must not be used/,
    );
    const own = loadServiceConfig(
      'analytics',
      { ...production, ANALYTICS_SECRET_KEY: randomBytes(32).toString('base64') },
      ANALYTICS_CONFIG,
    );
    expect(analyticsSettingsOf(own).secretKey).toHaveLength(32);
    expect(() => analyticsSettingsOf({ ...own, settings: undefined })).toThrow(/ANALYTICS_SECRET_KEY/);
  });
});
