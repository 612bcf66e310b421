import { ConfigError } from '@influenceflow/kit';
import { sealingSettings } from './seal-settings';

describe('sealingSettings', () => {
  it('defaults to the development certificate under .data/contracts', () => {
    expect(sealingSettings({})).toEqual({ p12Path: undefined, p12Passphrase: undefined, developmentDir: '.data/contracts' });
    expect(sealingSettings({ CONTRACTS_SEAL_DEV_DIR: '/var/lib/seal', CONTRACTS_SEAL_P12: '' })).toEqual({
      p12Path: undefined,
      p12Passphrase: undefined,
      developmentDir: '/var/lib/seal',
    });
  });

  it('reads the configured PKCS#12 file and passphrase', () => {
    expect(
      sealingSettings({ NODE_ENV: 'production', CONTRACTS_SEAL_P12: '/run/secrets/seal.p12', CONTRACTS_SEAL_P12_PASSPHRASE: 'pw' }),
    ).toEqual({
      p12Path: '/run/secrets/seal.p12',
      p12Passphrase: 'pw',
      developmentDir: '.data/contracts',
    });
  });

  it('refuses production without a configured certificate, and a passphrase without a file', () => {
    expect(() => sealingSettings({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => sealingSettings({ NODE_ENV: 'production' })).toThrow(/CONTRACTS_SEAL_P12: production needs the PKCS#12 file/);
    expect(() => sealingSettings({ CONTRACTS_SEAL_P12_PASSPHRASE: 'pw' })).toThrow(
      /CONTRACTS_SEAL_P12: must be set when CONTRACTS_SEAL_P12_PASSPHRASE is/,
    );
  });
});
