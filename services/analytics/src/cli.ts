/**
 * The analytics service's command line (`pnpm analytics …`, i.e. node services/analytics/dist/cli.js):
 *
 *   rebuild [--batch-size N]   empty the roll-ups and recompute them from the raw facts
 *
 * It uses the service's configuration (ANALYTICS_DATABASE_URL…); the summary goes to stdout, errors to
 * stderr. See docs/analytics-rollups.md ("Roll-ups and rebuild") and docs/runbook.md.
 */
import 'reflect-metadata';
import { createDataSource, initializeDataSource, loadServiceConfig } from '@influenceflow/kit';
import { rebuildRollups } from './rollups/rebuild';
import { analyticsSubgraph } from './schema';

const USAGE = `usage: pnpm analytics rebuild [--batch-size N]   (N: 1 to 100000, default 1000)\n`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'rebuild') {
    process.stderr.write(command && command !== '--help' && command !== '-h' ? `✖ unknown command "${command}"\n\n${USAGE}` : USAGE);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  let batchSize = 1000;
  if (rest.length > 0) {
    const n = Number(rest[1]);
    if (rest[0] !== '--batch-size' || rest.length !== 2 || !Number.isSafeInteger(n) || n < 1 || n > 100_000) {
      process.stderr.write(`✖ bad arguments\n\n${USAGE}`);
      return 2;
    }
    batchSize = n;
  }
  const { databaseUrl } = loadServiceConfig('analytics', process.env);
  const ds = createDataSource({ url: databaseUrl, entities: analyticsSubgraph.entities, migrations: analyticsSubgraph.migrations, poolSize: 2 });
  await initializeDataSource(ds);
  try {
    const s = await rebuildRollups(ds, { batchSize });
    const rows = Object.entries(s.read).map(([table, n]) => `  ${table}: ${n}`);
    const written = Object.entries(s.written).map(([table, n]) => `  ${table}: ${n}`);
    process.stdout.write(`rows read\n${rows.join('\n')}\nroll-up rows written\n${written.join('\n')}\nelapsed ${s.elapsedMs} ms\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`✖ ${(err as Error).message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
