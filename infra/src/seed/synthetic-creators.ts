import { Client } from 'pg';
import { importGenerated } from '@influenceflow/discovery';

/** Synthetic creators the start command adds, so search, facets and lookalikes have something to show. */
export const DEMO_SYNTHETIC_CREATORS = 2_000;

/**
 * Imports the demo's synthetic creators into discovery's database (seeded generator, same creators on
 * every machine) unless they are there already. Returns how many were imported.
 */
export async function seedSyntheticCreators(databaseUrl: string, count = DEMO_SYNTHETIC_CREATORS): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM creators`)).rows;
    if (n >= count) return 0;
  } finally {
    await client.end();
  }
  const summary = await importGenerated({ count, seed: 'demo' }, { databaseUrl });
  if (summary.rejected > 0) throw new Error(`demo creators: ${summary.rejected} refused, first: ${JSON.stringify(summary.errors[0])}`);
  return summary.imported;
}
