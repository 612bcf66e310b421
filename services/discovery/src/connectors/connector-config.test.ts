import { loadServiceConfig } from '@influenceflow/kit';
import { randomBytes } from 'node:crypto';
import { CONNECTOR_CONFIG, connectorSettingsOf, DEV_TOKEN_KEY } from './connector-config';

const youtube = {
  YOUTUBE_CLIENT_ID: 'id.apps.example',
  YOUTUBE_CLIENT_SECRET: 'secret',
  CONNECT_REDIRECT_URL: 'https://app.example/connected',
};
const production = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'p'.repeat(40) };

describe('connector configuration', () => {
  it('offers no platform without credentials, and a platform once both its client id and secret are set', () => {
    expect(connectorSettingsOf(loadServiceConfig('discovery', {}, CONNECTOR_CONFIG))).toMatchObject({ youtube: null, instagram: null });
    const settings = connectorSettingsOf(loadServiceConfig('discovery', youtube, CONNECTOR_CONFIG));
    expect(settings.youtube).toMatchObject({
      clientId: 'id.apps.example',
      redirectUri: 'https://app.example/connected',
      authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      apiUrl: 'https://www.googleapis.com/youtube/v3',
    });
    expect(settings.instagram).toBeNull();
    expect(settings.refreshIntervalMs).toBe(6 * 3_600_000);
  });

  it('refuses half a client, a client without a redirect page, and a key that is not 32 bytes', () => {
    expect(() => loadServiceConfig('discovery', { YOUTUBE_CLIENT_ID: 'id' }, CONNECTOR_CONFIG)).toThrow(
      /YOUTUBE_CLIENT_SECRET: set both YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET/,
    );
    expect(() => loadServiceConfig('discovery', { INSTAGRAM_CLIENT_ID: 'a', INSTAGRAM_CLIENT_SECRET: 'b' }, CONNECTOR_CONFIG)).toThrow(
      /CONNECT_REDIRECT_URL: is needed/,
    );
    expect(() => loadServiceConfig('discovery', { CONNECTOR_TOKEN_KEY: randomBytes(16).toString('base64') }, CONNECTOR_CONFIG)).toThrow(
      /CONNECTOR_TOKEN_KEY: must be 32 bytes in base64/,
    );
    expect(() => loadServiceConfig('discovery', { ...youtube, YOUTUBE_API_URL: 'file:///etc' }, CONNECTOR_CONFIG)).toThrow(
      /YOUTUBE_API_URL/,
    );
  });

  it('refuses to start in production with the development token key while a platform is offered', () => {
    expect(() => loadServiceConfig('discovery', { ...production, ...youtube }, CONNECTOR_CONFIG)).toThrow(
      /CONNECTOR_TOKEN_KEY: the development key must not be used in production/,
    );
    const key = randomBytes(32).toString('base64');
    const config = loadServiceConfig('discovery', { ...production, ...youtube, CONNECTOR_TOKEN_KEY: key }, CONNECTOR_CONFIG);
    expect(connectorSettingsOf(config).tokenKey.toString('base64')).toBe(key);
    // A production config built without the loader is checked too.
    expect(() => connectorSettingsOf({ ...config, settings: { ...config.settings, CONNECTOR_TOKEN_KEY: DEV_TOKEN_KEY } })).toThrow(
      /CONNECTOR_TOKEN_KEY/,
    );
  });
});
