import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
// Imported by the loading worker too: keep this file's imports light (no kit, no TypeORM).
import { AudienceIndex, AudienceIndexParts, AudienceVector } from './audience-index';

/** The columns of `creators` the audience index holds. */
export const AUDIENCE_COLUMNS = `id, platforms, audience_ages, audience_genders, audience_countries, audience_interests`;
/** Rows per query while loading or catching up. */
export const AUDIENCE_PAGE = 5_000;

export interface AudienceRow {
  id: string;
  platforms: string[];
  audience_ages: number[] | null;
  audience_genders: number[] | null;
  audience_countries: Record<string, number>;
  audience_interests: string[];
}

export const toAudienceVector = (r: AudienceRow): AudienceVector => ({
  id: r.id,
  platforms: r.platforms,
  ages: r.audience_ages,
  genders: r.audience_genders,
  countries: r.audience_countries,
  interests: r.audience_interests,
});

export type Query = (text: string, params: unknown[]) => Promise<unknown[]>;

/** Reads every creator, in id order by pages, into a new sealed index. */
export async function loadAudienceIndex(query: Query, shouldStop: () => boolean = () => false): Promise<AudienceIndex> {
  const [{ n }] = (await query(`SELECT count(*)::int AS n FROM creators`, [])) as { n: number }[];
  const index = new AudienceIndex(Math.ceil(n * 1.05));
  let after: string | null = null;
  while (!shouldStop()) {
    const rows = (await query(
      `SELECT ${AUDIENCE_COLUMNS} FROM creators ${after ? 'WHERE id > $1' : ''} ORDER BY id LIMIT ${AUDIENCE_PAGE}`,
      after ? [after] : [],
    )) as AudienceRow[];
    for (const row of rows) index.upsert(toAudienceVector(row));
    if (rows.length < AUDIENCE_PAGE) break;
    after = rows[rows.length - 1].id;
  }
  return index.seal();
}

const WORKER_FILE = join(__dirname, 'audience-index.worker.js');

/**
 * Loads the index in a worker thread when the build is there: the million row objects a load parses
 * are garbage the worker's heap takes away when it exits, instead of growing this process's heap for
 * good. The finished typed arrays move here without a copy. Without the build (tests), loads here.
 */
export async function loadAudienceIndexOffThread(connection: { url?: string; options: string }, query: Query): Promise<AudienceIndex> {
  if (!connection.url || !existsSync(WORKER_FILE)) return loadAudienceIndex(query);
  const worker = new Worker(WORKER_FILE, { workerData: { databaseUrl: connection.url, options: connection.options } });
  try {
    const parts = await new Promise<AudienceIndexParts>((resolve, reject) => {
      worker.once('message', (m: { parts?: AudienceIndexParts; error?: string }) =>
        m.parts ? resolve(m.parts) : reject(new Error(`audience index worker: ${m.error}`)),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`audience index worker exited (code ${code})`)));
    });
    return AudienceIndex.fromParts(parts);
  } finally {
    await worker.terminate();
  }
}
