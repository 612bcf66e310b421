/**
 * The contracts service's command line (`pnpm contracts …`, i.e. node services/contracts/dist/cli.js):
 *
 *   keys list | rotate [--reason …] | revoke <kid> --reason … | log [<kid>]   (the certificate keys)
 *
 * It uses the service's configuration (CONTRACTS_DATABASE_URL, CONTRACTS_CERTIFICATE_KEY…); the answer
 * goes to stdout, logs and errors to stderr. See docs/contracts.md ("Keys and rotation") and docs/runbook.md.
 */
import 'reflect-metadata';
import { createLogger } from '@influenceflow/kit';
import { KEYS_USAGE, runKeysCommand } from './certificates/key-command';
import { contractsSubgraph } from './schema';

async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (group !== 'keys') {
    process.stderr.write(group && group !== '--help' && group !== '-h' ? `✖ unknown command "${group}"\n\n${KEYS_USAGE}` : KEYS_USAGE);
    return group === '--help' || group === '-h' ? 0 : 2;
  }
  return runKeysCommand(
    rest,
    {
      env: process.env,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      logger: createLogger('contracts', process.env.LOG_LEVEL ?? 'info', process.stderr).child({ component: 'keys' }),
    },
    { entities: contractsSubgraph.entities, migrations: contractsSubgraph.migrations },
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`✖ ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
