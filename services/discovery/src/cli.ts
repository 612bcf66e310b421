/**
 * Discovery's command line (`pnpm discovery …`, i.e. node services/discovery/dist/cli.js):
 *
 *   import <file|-> [--format ndjson|csv] [--existing update|reject] [--batch-size N] [--workers N|auto] [--writers N] [--json]
 *   seed --count N [--seed S] [--lite] [--out file.ndjson|-] [--batch-size N] [--workers N|auto] [--writers N] [--json]
 *
 * The database is the service's (DISCOVERY_DATABASE_URL, see docs/configuration.md); it is created when
 * missing and migrated before anything is written. Progress goes to stderr, the summary to stdout.
 * Exit code: 0 all imported, 2 some records refused, 1 the import failed. See docs/import.md.
 */
import 'reflect-metadata';
import {
  ConfigError,
  createDataSource,
  describePostgresError,
  ensureDatabase,
  initializeDataSource,
  loadServiceConfig,
} from '@influenceflow/kit';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  ImportError,
  ImportFormat,
  ImportFormatError,
  importCreators,
  importGenerated,
  ImportOptions,
  ImportProgress,
  ImportSummary,
  workerCount,
} from './ingest/importer';
import { generateCreators } from './ingest/synthetic';
import { discoverySubgraph } from './schema';

const USAGE = `Usage: pnpm discovery <command> [options]

  import <file|->        Import creators from an NDJSON file (one creator per line) or a CSV file (one
                         account per line); "-" reads stdin.
    --format ndjson|csv  Default: from the file extension (.ndjson/.jsonl → ndjson, .csv → csv); stdin: ndjson.
    --existing update|reject
                         A record with the handle of a stored creator updates it (default) or is refused.

  seed                   Generate synthetic creators (realistic distributions) and import them, or write
                         them as NDJSON with --out.
    --count N            How many (required).
    --seed S             Seed of the generator (default 1): the same seed gives the same creators.
    --lite               Fewer posts, comments and history points per account (for bulk benchmarks).
    --out FILE|-         Write NDJSON to FILE (or stdout) instead of importing.

  Common options:
    --batch-size N       Creators per transaction (default 5000).
    --workers N|auto     Worker threads validating records (default auto: cores − 1 for large inputs).
    --writers N          Database connections writing batches in parallel (default 1; for big database servers).
    --max-errors N       Problems listed in the summary (default 1000).
    --json               Print the summary as JSON.

The database is DISCOVERY_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/influenceflow_discovery).
Exit code: 0 everything imported, 2 some records were refused, 1 the import failed.
`;

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}

function formatOf(file: string, given: string | undefined): ImportFormat {
  if (given !== undefined) {
    if (given !== 'ndjson' && given !== 'csv') throw new UsageError(`--format must be ndjson or csv, got "${given}"`);
    return given;
  }
  if (file === '-') return 'ndjson';
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  throw new UsageError(`cannot tell the format of "${file}" from its extension: add --format ndjson or --format csv`);
}

async function migratedDatabase(): Promise<string> {
  const { databaseUrl } = loadServiceConfig('discovery');
  await ensureDatabase(databaseUrl);
  const ds = createDataSource({
    url: databaseUrl,
    entities: discoverySubgraph.entities,
    migrations: discoverySubgraph.migrations,
    poolSize: 1,
  });
  try {
    await initializeDataSource(ds);
  } catch (err) {
    if ((err as { code?: string }).code) throw new Error(describePostgresError(databaseUrl, err));
    throw err;
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
  return databaseUrl;
}

function progressPrinter(): (p: ImportProgress) => void {
  const tty = process.stderr.isTTY;
  let lastPrinted = 0;
  return (p) => {
    const line = `${p.lines.toLocaleString('en-US')} lines · ${p.imported.toLocaleString('en-US')} imported · ${p.updated.toLocaleString('en-US')} updated · ${p.rejected.toLocaleString('en-US')} refused · ${(p.elapsedMs / 1000).toFixed(1)} s · ${p.rate.toLocaleString('en-US')} creators/s`;
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else if (Date.now() - lastPrinted >= 2000) {
      process.stderr.write(line + '\n');
      lastPrinted = Date.now();
    }
  };
}

function printSummary(summary: ImportSummary, json: boolean): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (json) {
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  const out = [
    `lines read:        ${n(summary.lines)}`,
    `creators imported: ${n(summary.imported)}`,
    `creators updated:  ${n(summary.updated)}`,
    `records refused:   ${n(summary.rejected)}`,
    `time:              ${(summary.elapsedMs / 1000).toFixed(1)} s (${n(summary.creatorsPerSecond)} creators/s)`,
    `derived in:        ${summary.workers === 0 ? 'this thread' : `${summary.workers} worker threads`}`,
  ];
  const shown = summary.errors.slice(0, 20);
  if (shown.length > 0) {
    out.push('', 'first problems:');
    for (const e of shown) out.push(`  line ${e.line}: ${e.field}: ${e.reason}`);
    const more = summary.errors.length - shown.length + summary.errorsOmitted;
    if (more > 0) out.push(`  … and ${n(more)} more (--json lists up to --max-errors)`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

async function writeNdjson(out: Writable, count: number, seed: string, lite: boolean): Promise<void> {
  let written = 0;
  let chunk = '';
  for (const creator of generateCreators(count, seed, { lite })) {
    chunk += JSON.stringify(creator) + '\n';
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      chunk = '';
    }
    if (++written % 50_000 === 0) process.stderr.write(`${written.toLocaleString('en-US')} creators written\n`);
  }
  await new Promise<void>((resolve, reject) => {
    if (out === process.stdout) out.write(chunk, (err) => (err ? reject(err) : resolve()));
    else out.end(chunk, () => resolve());
    out.once('error', reject);
  });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      existing: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      lite: { type: 'boolean' },
      out: { type: 'string' },
      'batch-size': { type: 'string' },
      workers: { type: 'string' },
      writers: { type: 'string' },
      'max-errors': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 1;
  }
  if (values.existing !== undefined && values.existing !== 'update' && values.existing !== 'reject') {
    throw new UsageError(`--existing must be update or reject, got "${values.existing}"`);
  }
  const workersArg = values.workers ?? 'auto';
  if (workersArg !== 'auto' && positiveInt('workers', workersArg) === undefined) throw new UsageError('--workers must be a number or auto');
  const options = (large: boolean): Omit<ImportOptions, 'databaseUrl'> => ({
    batchSize: positiveInt('batch-size', values['batch-size']),
    existing: values.existing as 'update' | 'reject' | undefined,
    maxErrors: positiveInt('max-errors', values['max-errors']),
    writers: positiveInt('writers', values.writers),
    // Workers take a second to start: worth it for large inputs only.
    workers: workersArg === 'auto' ? (large ? workerCount('auto') : 0) : workerCount(Number(workersArg)),
    onProgress: progressPrinter(),
  });

  let summary: ImportSummary;
  if (command === 'import') {
    if (rest.length !== 1) throw new UsageError('import needs one file (or - for stdin)');
    const file = rest[0];
    const format = formatOf(file, values.format);
    // Fails with a clear ENOENT before anything else when the file is not there.
    const size = file === '-' ? Number.POSITIVE_INFINITY : (await stat(file)).size;
    const databaseUrl = await migratedDatabase();
    const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
    summary = await importCreators(input, format, { databaseUrl, ...options(size > 20 * 1024 * 1024) });
  } else if (command === 'seed') {
    const count = positiveInt('count', values.count);
    if (count === undefined) throw new UsageError('seed needs --count N');
    const seed = values.seed ?? '1';
    if (values.out !== undefined) {
      const out = values.out === '-' ? process.stdout : createWriteStream(values.out);
      await writeNdjson(out, count, seed, values.lite ?? false);
      return 0;
    }
    const databaseUrl = await migratedDatabase();
    summary = await importGenerated(
      { count, seed: /^\d+$/.test(seed) ? Number(seed) : seed, lite: values.lite ?? false },
      {
        databaseUrl,
        ...options(count >= 20_000),
      },
    );
  } else {
    throw new UsageError(`unknown command "${command}"`);
  }
  printSummary(summary, values.json ?? false);
  return summary.rejected > 0 ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`✖ ${(err as Error).message}\n\n${USAGE}`);
    } else if (err instanceof ImportError) {
      printSummary(err.summary, false);
      process.stderr.write(`✖ ${err.message}\n`);
    } else if (err instanceof ImportFormatError || err instanceof ConfigError) {
      process.stderr.write(`✖ ${err.message}\n`);
    } else if ((err as { code?: string }).code === 'ENOENT') {
      process.stderr.write(`✖ ${(err as Error).message}\n`);
    } else {
      process.stderr.write(`✖ ${(err as Error).stack ?? String(err)}\n`);
    }
    process.exit(1);
  },
);
