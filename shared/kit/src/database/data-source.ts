import { DataSource, DataSourceOptions, MixedList, EntitySchema, Logger as TypeOrmLogger } from 'typeorm';
import { Client } from 'pg';
import type { Logger } from '../logging/logger';
import { OutboxEvent } from '../events/outbox.entity';
import { InboxEntry } from '../events/inbox.entity';
import { EventTables1764000000000 } from './migrations/1764000000000-EventTables';
import { GatewayCalls1765000000000 } from './migrations/1765000000000-GatewayCalls';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Constructor = Function;

export interface DataSourceParams {
  url: string;
  entities: MixedList<Constructor | string | EntitySchema>;
  migrations: Constructor[];
  logger?: Logger;
  poolSize?: number;
}

/** Tables every service has: the outbox and inbox of the event plumbing, the gateway calls it ran. */
export const KIT_ENTITIES = [OutboxEvent, InboxEntry];
export const KIT_MIGRATIONS = [EventTables1764000000000, GatewayCalls1765000000000];

/**
 * Session settings of every service connection. Request-sized queries only: JIT compiling costs ~30 ms a
 * query and never pays back here; more work_mem keeps bitmap scans exact (not lossy) over many rows.
 */
export const SERVICE_CONNECTION_OPTIONS = '-c jit=off -c work_mem=16MB';

/**
 * TypeORM's messages through the service's logger. A failed query is only a debug line: the caller either
 * expects it (a unique index deciding a race, mapped to CONFLICT) or reports it with its context; the
 * console logger printed every one with its parameters, personal data included.
 */
function typeOrmLogger(logger: Logger | undefined): TypeOrmLogger {
  const log = logger?.child({ component: 'typeorm' });
  return {
    logQuery: () => undefined,
    logQueryError: (error, query) => log?.debug({ err: error, query }, 'query failed'),
    logQuerySlow: (time, query) => log?.warn({ ms: time, query }, 'slow query'),
    logSchemaBuild: () => undefined,
    logMigration: (message) => log?.debug({ migration: message }, 'migration'),
    log: (level, message) => (level === 'warn' ? log?.warn({ message }, 'typeorm') : undefined),
  };
}

/**
 * A service's TypeORM DataSource. Schema changes only through migrations (synchronize stays off), and
 * `undefined`/`null` in a where clause throws instead of silently matching every row.
 */
export function createDataSource(params: DataSourceParams): DataSource {
  const options: DataSourceOptions = {
    type: 'postgres',
    url: params.url,
    entities: [...KIT_ENTITIES, ...(params.entities as Constructor[])],
    migrations: [...KIT_MIGRATIONS, ...params.migrations],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
    logger: typeOrmLogger(params.logger),
    maxQueryExecutionTime: 1000,
    extra: {
      max: params.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      application_name: 'influenceflow',
      options: SERVICE_CONNECTION_OPTIONS,
    },
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
  };
  return new DataSource(options);
}

/** Connects and applies pending migrations, each in its own transaction. */
export async function initializeDataSource(ds: DataSource, logger?: Logger): Promise<DataSource> {
  await ds.initialize();
  const applied = await ds.runMigrations({ transaction: 'each' });
  if (applied.length > 0) logger?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  return ds;
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** A readable message for the usual reasons PostgreSQL cannot be reached. */
export function describePostgresError(url: string, err: unknown): string {
  const u = new URL(url);
  const where = `${u.hostname}:${u.port || 5432}`;
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND') {
    return `PostgreSQL is not reachable at ${where} (${code}). Start the server (here: pg_ctlcluster 15 main start) or point the *_DATABASE_URL variables at a running one.`;
  }
  if (code === '28P01' || code === '28000') {
    return `PostgreSQL at ${where} refused the credentials in the database URL (${code}). Fix the user/password in *_DATABASE_URL.`;
  }
  return `PostgreSQL at ${where} failed: ${(err as Error).message}`;
}

/** Creates the database of `url` when it does not exist (idempotent, safe to race). */
export async function ensureDatabase(url: string, template?: string): Promise<void> {
  const name = databaseName(url);
  const client = new Client({ connectionString: adminUrl(url), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(describePostgresError(url, err));
  }
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      const quoted = `"${name.replace(/"/g, '""')}"`;
      const from = template ? ` TEMPLATE "${template.replace(/"/g, '""')}"` : '';
      try {
        await client.query(`CREATE DATABASE ${quoted}${from}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile
      }
    }
  } finally {
    await client.end();
  }
}

/** Drops the database of `url`, disconnecting anyone still on it. */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const client = new Client({ connectionString: adminUrl(url), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export { databaseName };
