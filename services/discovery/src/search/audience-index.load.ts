import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledScript } from '../process/compiled-script';
// Imported by the loader process too: keep this file's imports light (no kit, no TypeORM).
import { AGE_BUCKETS, GENDERS } from '../rules/types';
import { AudienceIndex, AudienceIndexParts, AudienceVector } from './audience-index';

/** The columns of `creators` the audience index holds (the AudienceIndexFilters trigger watches them). */
export const AUDIENCE_COLUMNS = `id, platforms, niches, followers, audience_ages, audience_genders, audience_countries, audience_interests`;
/** Rows per query while loading or catching up. */
export const AUDIENCE_PAGE = 5_000;

export interface AudienceRow {
  id: string;
  platforms: string[];
  niches: string[];
  followers: number;
  audience_ages: number[] | null;
  audience_genders: number[] | null;
  audience_countries: Record<string, number>;
  audience_interests: string[];
}

export const toAudienceVector = (r: AudienceRow): AudienceVector => ({
  id: r.id,
  platforms: r.platforms,
  niches: r.niches,
  followers: r.followers,
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

type Blob = Uint32Array | Uint16Array;

/** The file a loader process leaves: a header (the index's shape) and the arrays' bytes in its order. */
interface FileHeader {
  capacity: number;
  count: number;
  countries: string[];
  countryColumns: string[];
  interests: string[];
  interestBits: string[];
  niches: string[];
  blobs: { type: 'u16' | 'u32'; length: number }[];
}

function blobsOf(parts: AudienceIndexParts): Blob[] {
  return [
    parts.ids,
    ...parts.ageColumns,
    ...parts.genderColumns,
    parts.platforms,
    parts.followers,
    ...parts.countryLists.flatMap(([, l]) => [l.slots, l.shares]),
    ...parts.countryColumns.map(([, c]) => c),
    ...parts.interestLists.map(([, l]) => l),
    parts.interestMask,
    ...parts.nicheLists.map(([, l]) => l),
  ];
}

/** Writes a loaded index to `path` (in the loader process). */
export async function writeAudienceIndex(index: AudienceIndex, path: string): Promise<void> {
  const parts = index.toParts();
  const blobs = blobsOf(parts);
  const header: FileHeader = {
    capacity: parts.capacity,
    count: parts.count,
    countries: parts.countryLists.map(([code]) => code),
    countryColumns: parts.countryColumns.map(([code]) => code),
    interests: parts.interestLists.map(([interest]) => interest),
    interestBits: parts.interestBits,
    niches: parts.nicheLists.map(([niche]) => niche),
    blobs: blobs.map((b) => ({ type: b instanceof Uint16Array ? 'u16' : 'u32', length: b.length })),
  };
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const file = await open(path, 'w');
  try {
    await file.write(length);
    await file.write(json);
    for (const b of blobs) await file.write(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  } finally {
    await file.close();
  }
}

/** Reads what `writeAudienceIndex` wrote, straight into arrays of their final size. */
export async function readAudienceIndex(path: string): Promise<AudienceIndex> {
  const file = await open(path, 'r');
  try {
    let position = 0;
    const read = async (target: Uint8Array) => {
      for (let done = 0; done < target.length;) {
        const { bytesRead } = await file.read(target, done, target.length - done, position);
        if (bytesRead === 0) throw new Error(`${path} ends early`);
        done += bytesRead;
        position += bytesRead;
      }
    };
    const length = Buffer.alloc(4);
    await read(length);
    const json = Buffer.alloc(length.readUInt32LE());
    await read(json);
    const header = JSON.parse(json.toString('utf8')) as FileHeader;
    const blobs: Blob[] = [];
    for (const { type, length: n } of header.blobs) {
      const blob = type === 'u16' ? new Uint16Array(n) : new Uint32Array(n);
      await read(new Uint8Array(blob.buffer));
      blobs.push(blob);
    }
    const next = () => blobs.shift()!;
    const take = <T extends Blob>(n: number) => Array.from({ length: n }, () => next() as T);
    return AudienceIndex.fromParts({
      capacity: header.capacity,
      count: header.count,
      ids: next() as Uint32Array,
      ageColumns: take<Uint16Array>(AGE_BUCKETS.length),
      genderColumns: take<Uint16Array>(GENDERS.length),
      platforms: next() as Uint16Array,
      followers: next() as Uint32Array,
      countryLists: header.countries.map((code) => [code, { slots: next(), shares: next() as Uint16Array }]),
      countryColumns: header.countryColumns.map((code) => [code, next() as Uint16Array]),
      interestLists: header.interests.map((interest) => [interest, next()]),
      interestBits: header.interestBits,
      interestMask: next() as Uint32Array,
      nicheLists: header.niches.map((niche) => [niche, next()]),
    });
  } finally {
    await file.close();
  }
}

/**
 * Loads the index in a short-lived process (audience-index.loader.ts, which runs `loadAudienceIndex`) and
 * reads the arrays it writes: the service's only way of loading it. A load parses a million rows; done
 * here, its garbage would stay in this process's heap and malloc arenas for good (+50–300 MB); a process
 * returns everything when it exits, and this one allocates only the final arrays.
 */
export async function loadAudienceIndexOutOfProcess(connection: { url?: string; options: string }): Promise<AudienceIndex> {
  if (!connection.url) throw new Error('the audience index loader connects by URL: the data source has none');
  const script = compiledScript(__dirname, 'audience-index.loader.js');
  const out = join(tmpdir(), `influenceflow-audience-index-${process.pid}-${randomUUID()}.bin`);
  try {
    const child = fork(script, [], {
      env: {
        ...process.env,
        AUDIENCE_INDEX_DATABASE_URL: connection.url,
        AUDIENCE_INDEX_PG_OPTIONS: connection.options,
        AUDIENCE_INDEX_OUT: out,
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`audience index loader exited with ${code}: ${stderr.trim()}`);
    return await readAudienceIndex(out);
  } finally {
    await rm(out, { force: true });
  }
}
