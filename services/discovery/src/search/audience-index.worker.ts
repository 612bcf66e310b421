/** Worker thread that loads the audience index (audience-index.load.ts) and hands its arrays over. */
// Only pg and the index here: the kit would load the whole service stack into this thread's heap.
import { Client } from 'pg';
import { parentPort, workerData } from 'node:worker_threads';
import { loadAudienceIndex } from './audience-index.load';

async function main(): Promise<void> {
  const { databaseUrl, options } = workerData as { databaseUrl: string; options: string };
  const client = new Client({ connectionString: databaseUrl, options });
  await client.connect();
  try {
    const index = await loadAudienceIndex(async (text, params) => (await client.query(text, params)).rows);
    const { parts, buffers } = index.toParts();
    parentPort!.postMessage({ parts }, buffers);
  } finally {
    await client.end();
  }
}

main().catch((err) => parentPort!.postMessage({ error: (err as Error).stack ?? String(err) }));
