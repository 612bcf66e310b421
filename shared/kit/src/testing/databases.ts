import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, initializeDataSource, ensureDatabase, dropDatabase } from '../database/data-source';
import { delay } from '../events/sleep';
import { TEST_DB_PREFIX, testDatabaseName, testRunId, testRunStartedAt } from './run';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Constructor = Function;

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function urlFor(name: string): string {
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates and migrates a service's template database for this run. Test files then copy it, which
 * is much faster than migrating each time.
 */
export async function createTemplateDatabase(
  service: string,
  schema: { entities: Constructor[]; migrations: Constructor[] },
  runId = testRunId(),
): Promise<string> {
  const url = urlFor(testDatabaseName(runId, service, 'template'));
  await ensureDatabase(url);
  const ds = createDataSource({ url, entities: schema.entities, migrations: schema.migrations, poolSize: 1 });
  await initializeDataSource(ds);
  await ds.destroy();
  return url;
}


/**
 * A fresh, migrated database for one test file (a copy of the run's template), and how to drop it.
 * The name is random: jest loads this module afresh for every file of a worker, so a counter here
 * restarted at 1 in each file, and a file whose teardown never dropped its database (a timed-out
 * afterAll) handed its rows to the next file of that worker. The copy is made strictly: never reused.
 */
export async function createTestDatabase(service: string, runId = testRunId()): Promise<{ url: string; drop(): Promise<void> }> {
  const name = testDatabaseName(runId, service, `${process.pid}x${randomBytes(4).toString('hex')}`);
  const template = testDatabaseName(runId, service, 'template');
  const client = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (err) {
        // 55006: the template is briefly in use by a concurrent copy; try again.
        if ((err as { code?: string }).code !== '55006' || attempt > 20) throw err;
        await delay(100 * attempt);
      }
    }
  } finally {
    await client.end();
  }
  const url = urlFor(name);
  return { url, drop: () => dropDatabase(url) };
}

/** Drops this run's databases, and those of runs that started more than `staleAfterMs` ago. */
export async function dropTestDatabases(runId: string, staleAfterMs = 6 * 3600_000): Promise<string[]> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${TEST_DB_PREFIX}%`,
    ]);
    const doomed = rows
      .map((r) => r.datname)
      .filter((name) => {
        const id = name.slice(TEST_DB_PREFIX.length).split('_')[0];
        if (id === runId) return true;
        const started = testRunStartedAt(id);
        return started !== null && Date.now() - started > staleAfterMs;
      });
    for (const name of doomed) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    return doomed;
  } finally {
    await client.end();
  }
}
