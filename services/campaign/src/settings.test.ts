import { ConfigError } from '@influenceflow/kit';
import { campaignSettings } from './settings';

describe('campaign settings', () => {
  it('runs the lifecycle task every minute and keeps ended links where they went, by default', () => {
    expect(campaignSettings({})).toEqual({ lifecycleIntervalMs: 60_000, campaignEndedUrl: null });
    expect(campaignSettings({ CAMPAIGN_LIFECYCLE_INTERVAL_MS: '', CAMPAIGN_ENDED_URL: '' })).toEqual({
      lifecycleIntervalMs: 60_000,
      campaignEndedUrl: null,
    });
  });

  it('reads the interval and a public "campaign ended" page', () => {
    expect(
      campaignSettings({ CAMPAIGN_LIFECYCLE_INTERVAL_MS: '300000', CAMPAIGN_ENDED_URL: 'https://brand.example/ended?from=link' }),
    ).toEqual({ lifecycleIntervalMs: 300_000, campaignEndedUrl: 'https://brand.example/ended?from=link' });
  });

  it('refuses bad values, naming each variable', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        campaignSettings(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems.map((p) => p.variable);
      }
      throw new Error('expected a ConfigError');
    };
    expect(problems({ CAMPAIGN_LIFECYCLE_INTERVAL_MS: '10', CAMPAIGN_ENDED_URL: 'http://localhost/ended' })).toEqual([
      'CAMPAIGN_LIFECYCLE_INTERVAL_MS',
      'CAMPAIGN_ENDED_URL',
    ]);
    for (const url of ['javascript:alert(1)', 'http://169.254.169.254/', 'https://u:p@brand.example/', 'not a url']) {
      expect(problems({ CAMPAIGN_ENDED_URL: url })).toEqual(['CAMPAIGN_ENDED_URL']);
    }
    expect(problems({ CAMPAIGN_LIFECYCLE_INTERVAL_MS: 'soon' })).toEqual(['CAMPAIGN_LIFECYCLE_INTERVAL_MS']);
  });
});
