import { readFileSync } from 'node:fs';
import { ConfigError } from '@influenceflow/kit';
import { ConfiguredSigningKey, parseConfiguredKey, SigningKeyError } from './signing-keys';

/** What the contracts service reads for certificates of completion (docs/configuration.md, "Contracts"). */
export interface CertificateSettings {
  /** CONTRACTS_CERTIFICATE_KEY or CONTRACTS_CERTIFICATE_KEY_FILE; null: keys are generated and kept in the database. */
  configuredKey: ConfiguredSigningKey | null;
}

const KEY = 'CONTRACTS_CERTIFICATE_KEY';
const KEY_FILE = 'CONTRACTS_CERTIFICATE_KEY_FILE';

/**
 * The certificate settings from the environment. A bad value stops the service with one message per
 * variable, never showing the key itself.
 */
export function certificateSettings(env: NodeJS.ProcessEnv = process.env): CertificateSettings {
  const inline = env[KEY] || undefined;
  const file = env[KEY_FILE] || undefined;
  if (inline && file) {
    throw new ConfigError('contracts', [{ variable: KEY_FILE, problem: `set either ${KEY} or ${KEY_FILE}, not both` }]);
  }
  if (!inline && !file) return { configuredKey: null };
  let value: string;
  if (file) {
    try {
      value = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError('contracts', [
        { variable: KEY_FILE, problem: `cannot be read (${(err as { code?: string }).code ?? 'error'})`, got: file },
      ]);
    }
  } else {
    value = inline!;
  }
  try {
    return { configuredKey: parseConfiguredKey(value) };
  } catch (err) {
    if (!(err instanceof SigningKeyError)) throw err;
    throw new ConfigError('contracts', [{ variable: file ? KEY_FILE : KEY, problem: err.message }]);
  }
}
