import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  createDataSource,
  describePostgresError,
  initializeDataSource,
  loadServiceConfig,
  type Logger,
  type SubgraphModule,
} from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import { certificateSettings } from './certificate-settings';
import { KeyListing, SigningKeyError, SigningKeys } from './signing-keys';

export const KEYS_USAGE = `Usage: pnpm contracts keys <command> [options]
       (or: pnpm --filter @influenceflow/contracts keys <command> [options])

  list                     The certificate keys: kid, algorithm, source, status, when created, retired
                           and revoked, and which one is active (signs the next certificate).
  rotate [--reason TEXT]   A new active key; the previous one is retired and stays published, so the
                           certificates it signed still verify.
  revoke <kid> --reason TEXT
                           Withdraws a key (compromised): it leaves the published keys and every
                           certificate it signed stops verifying. The active key is not revoked: rotate
                           first, then revoke it.
  log [<kid>]              What was done to the keys, oldest first: who, when and why.

  Options:
    --by NAME              Who does it, for the key log (default: the system user).
    --json                 Print the answer as JSON.

The database is the contracts service's (CONTRACTS_DATABASE_URL, docs/configuration.md); a configured key
(CONTRACTS_CERTIFICATE_KEY or CONTRACTS_CERTIFICATE_KEY_FILE) is rotated by configuring another one, not here.
Exit code: 0 done, 1 refused or failed, 2 a usage error.
`;

export interface KeysCommandIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  logger: Logger;
}

class UsageError extends Error {}

const MAX_REASON = 1000;

function reasonOf(value: string | undefined, required: boolean): string | null {
  const text = (value ?? '').trim();
  if (!text) {
    if (required) throw new UsageError('--reason is required: say why (it is kept in the key log)');
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text.replace(/[\t\n]/g, ' '))) throw new UsageError('--reason must be plain text');
  if (text.length > MAX_REASON) throw new UsageError(`--reason must be at most ${MAX_REASON} characters`);
  return text;
}

function operatorOf(value: string | undefined, env: NodeJS.ProcessEnv): string {
  const given = (value ?? '').trim();
  if (given) {
    if (given.length > 200) throw new UsageError('--by must be at most 200 characters');
    return given;
  }
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return `operator:${env.USER ?? 'unknown'}`;
  }
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : '-');

function table(keys: KeyListing[], configuredKid: string | null): string {
  if (!keys.length) return 'No certificate keys yet: the service makes one for its first certificate (or run: keys rotate).\n';
  const rows = keys.map((k) => [
    k.kid,
    k.alg,
    k.source + (k.kid === configuredKid ? ' (this environment)' : ''),
    k.status === 'active' ? 'active *' : k.status,
    iso(k.createdAt),
    iso(k.retiredAt),
    iso(k.revokedAt),
  ]);
  const head = ['kid', 'alg', 'source', 'status', 'created', 'retired', 'revoked'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    line(head),
    ...rows.map(line),
    '',
    '* the active key signs the next certificate; active and retired keys are published.',
    '',
  ].join('\n');
}

/** The contracts subgraph's tables: its entities and migrations. */
export type ContractsTables = Pick<SubgraphModule, 'entities' | 'migrations'>;

async function openDatabase(env: NodeJS.ProcessEnv, { entities, migrations }: ContractsTables): Promise<DataSource> {
  const { databaseUrl } = loadServiceConfig('contracts', env);
  const ds = createDataSource({ url: databaseUrl, entities, migrations, poolSize: 2 });
  try {
    // The service's own migrations: a command run before the service's first start sees the same tables.
    await initializeDataSource(ds);
  } catch (err) {
    if (ds.isInitialized) await ds.destroy();
    if ((err as { code?: string }).code) throw new Error(describePostgresError(databaseUrl, err));
    throw err;
  }
  return ds;
}

/** The key command's options (a word after `revoke` that is none of these is the kid). */
const KEYS_OPTIONS = new Set(['--reason', '--by', '--json', '--help', '-h']);

/**
 * The operators' command for the certificate keys (docs/contracts.md, "Keys and rotation"; docs/runbook.md):
 * list, rotate, revoke, log, on the contracts database with the service's configuration. Returns the exit
 * code; every change is in the key log (`signing_key_events`) and logged.
 */
export async function runKeysCommand(argv: string[], io: KeysCommandIo, schema: ContractsTables): Promise<number> {
  let ds: DataSource | null = null;
  try {
    // A kid is base64url and may begin with "-" (an RFC 7638 thumbprint does, one time in 32): the word
    // after `revoke` is the kid whatever it looks like, unless it is one of the command's own options.
    const kidFirst = argv[0] === 'revoke' && argv[1] !== undefined && !KEYS_OPTIONS.has(argv[1].split('=')[0]);
    const { values, positionals } = parseArgs({
      args: kidFirst ? [argv[0], ...argv.slice(2)] : argv,
      allowPositionals: true,
      options: { reason: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    const [command, ...rest] = kidFirst ? [positionals[0], argv[1], ...positionals.slice(1)] : positionals;
    if (values.help) {
      io.out(KEYS_USAGE);
      return 0;
    }
    if (!command) throw new UsageError('name a command: list, rotate, revoke or log');
    if (!['list', 'rotate', 'revoke', 'log'].includes(command)) throw new UsageError(`unknown command "${command}"`);
    const expected = command === 'revoke' ? 1 : command === 'log' ? rest.length : 0;
    if (rest.length !== expected || rest.length > 1) {
      throw new UsageError(
        command === 'revoke' ? 'revoke needs one kid: keys revoke <kid> --reason "…"' : `${command} takes no other argument`,
      );
    }
    const json = values.json ?? false;
    const settings = certificateSettings(io.env);
    const configuredKid = settings.configuredKey?.kid ?? null;

    // Checked before connecting: a refused command changes nothing.
    const reason = reasonOf(values.reason, command === 'revoke');
    const actor = operatorOf(values.by, io.env);
    if (command === 'rotate' && configuredKid) {
      throw new SigningKeyError(
        'KEY_CONFIGURED',
        `the certificate key is configured (CONTRACTS_CERTIFICATE_KEY, kid ${configuredKid}): it is not rotated from the database; configure another key and restart the service`,
      );
    }
    if (command === 'revoke' && rest[0] === configuredKid) {
      throw new SigningKeyError(
        'KEY_ACTIVE',
        `the key ${configuredKid} is the configured key (CONTRACTS_CERTIFICATE_KEY): configure another key, restart the service, then revoke this one`,
      );
    }

    ds = await openDatabase(io.env, schema);
    const keys = new SigningKeys(ds, { configuredKey: settings.configuredKey });
    if (command === 'list') {
      const listing = await keys.list();
      io.out(
        json
          ? JSON.stringify({ keys: listing.map((k) => ({ ...k, configured: k.kid === configuredKid })) }, null, 2) + '\n'
          : table(listing, configuredKid),
      );
      return 0;
    }
    if (command === 'log') {
      const events = await keys.events(rest[0]);
      io.out(
        json
          ? JSON.stringify({ events }, null, 2) + '\n'
          : events.length
            ? events.map((e) => `${iso(e.at)}  ${e.action.padEnd(10)}  ${e.kid}  by ${e.actor}: ${e.reason}`).join('\n') + '\n'
            : 'The key log is empty.\n',
      );
      return 0;
    }
    if (command === 'rotate') {
      const before = (await keys.list()).find((k) => k.status === 'active')?.kid ?? null;
      const kid = await keys.rotate({ reason: reason ?? 'rotated by an operator', actor });
      io.logger.info({ kid, retired: before, actor, reason }, 'certificate key rotated');
      io.out(
        json
          ? JSON.stringify({ rotated: { active: kid, retired: before } }, null, 2) + '\n'
          : `Rotated: ${kid} is the active key now${before ? `; ${before} is retired and stays published` : ''}.\n`,
      );
      return 0;
    }
    const kid = rest[0];
    await keys.revokeRetired(kid, { reason: reason!, actor });
    io.logger.warn({ kid, actor, reason }, 'certificate key revoked: the certificates it signed no longer verify');
    io.out(
      json
        ? JSON.stringify({ revoked: kid }, null, 2) + '\n'
        : `Revoked: ${kid} is no longer published; the certificates it signed no longer verify (CERTIFICATE_UNKNOWN_KEY).\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`✖ ${(err as Error).message}\n\n${KEYS_USAGE}`);
      return 2;
    }
    if (err instanceof SigningKeyError) {
      io.logger.warn({ code: err.code, command: argv[0] }, 'certificate key command refused');
      io.err(`✖ ${err.message} (${err.code})\n`);
      return 1;
    }
    if (err instanceof ConfigError) {
      io.err(`✖ ${err.message}\n`);
      return 1;
    }
    io.logger.error({ error: (err as Error).message }, 'certificate key command failed');
    io.err(`✖ ${(err as Error).message}\n`);
    return 1;
  } finally {
    if (ds?.isInitialized) await ds.destroy();
  }
}
