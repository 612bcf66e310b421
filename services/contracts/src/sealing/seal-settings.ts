import { ConfigError } from '@influenceflow/kit';
import { z } from 'zod';
import type { SealingConfig } from './sealing-identity';

const schema = z.object({
  NODE_ENV: z.string().optional(),
  CONTRACTS_SEAL_P12: z.string().min(1).optional(),
  CONTRACTS_SEAL_P12_PASSPHRASE: z.string().optional(),
  CONTRACTS_SEAL_DEV_DIR: z.string().min(1).default('.data/contracts'),
});

/**
 * Where the contracts service finds the certificate that seals executed contracts (docs/configuration.md,
 * "Contracts"): CONTRACTS_SEAL_P12 (+ _PASSPHRASE) in production, which refuses to start without it;
 * elsewhere, unset, the development certificate under CONTRACTS_SEAL_DEV_DIR.
 */
export function sealingSettings(env: NodeJS.ProcessEnv = process.env): SealingConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      'contracts',
      result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), problem: issue.message })),
    );
  }
  const v = result.data;
  if (v.NODE_ENV === 'production' && !v.CONTRACTS_SEAL_P12) {
    throw new ConfigError('contracts', [
      {
        variable: 'CONTRACTS_SEAL_P12',
        problem: 'production needs the PKCS#12 file of a sealing certificate (the self-signed development one is not trusted there)',
      },
    ]);
  }
  if (v.CONTRACTS_SEAL_P12_PASSPHRASE !== undefined && !v.CONTRACTS_SEAL_P12) {
    throw new ConfigError('contracts', [{ variable: 'CONTRACTS_SEAL_P12', problem: 'must be set when CONTRACTS_SEAL_P12_PASSPHRASE is' }]);
  }
  return { p12Path: v.CONTRACTS_SEAL_P12, p12Passphrase: v.CONTRACTS_SEAL_P12_PASSPHRASE, developmentDir: v.CONTRACTS_SEAL_DEV_DIR };
}
