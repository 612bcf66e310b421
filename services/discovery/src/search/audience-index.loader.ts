/**
 * The loader process (audience-index.load.ts): reads every creator's audience into an index and writes
 * it to the file the service named, then exits, taking the load's garbage with it.
 */
// Only pg and the index here: the kit would load the whole service stack for nothing.
import { Client } from 'pg';
import { loadAudienceIndex, writeAudienceIndex } from './audience-index.load';

async function main(): Promise<void> {
  const client = new Client({
    connectionString: process.env.AUDIENCE_INDEX_DATABASE_URL,
    options: process.env.AUDIENCE_INDEX_PG_OPTIONS,
  });
  await client.connect();
  try {
    const index = await loadAudienceIndex(async (text, params) => (await client.query(text, params)).rows);
    await writeAudienceIndex(index, process.env.AUDIENCE_INDEX_OUT!);
  } finally {
    await client.end();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error((err as Error).stack ?? String(err));
    process.exit(1);
  },
);
