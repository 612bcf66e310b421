import type { RequestContext } from '@influenceflow/kit';

/**
 * The brand and campaign names history and statements print, from compensation's partnership copy
 * (comp_partnerships, kept from the `parties` of campaign's partnership.* events): for a brand or a campaign,
 * the latest name any of its partnerships' events carried (by `names_at`, when the event that carried it
 * happened; never `updated_at`, which every counter update moves). A name never heard of (events of older producers)
 * is a clear label with the id, never an empty cell.
 */
export const brandLabel = (name: string | null | undefined, brandId: string): string => name || `Brand ${brandId} (no name on record)`;
export const campaignLabel = (name: string | null | undefined, campaignId: string | null): string =>
  name || (campaignId ? `Campaign ${campaignId} (no name on record)` : 'No campaign');

type Owner = 'brand' | 'campaign';

async function latestNames(ctx: RequestContext, owner: Owner, ids: readonly string[]): Promise<(string | null)[]> {
  const rows: { id: string; name: string }[] = await ctx.dataSource.query(
    `SELECT DISTINCT ON (${owner}_id) ${owner}_id AS id, ${owner}_name AS name FROM comp_partnerships
      WHERE ${owner}_id = ANY($1::uuid[]) AND ${owner}_name IS NOT NULL
      ORDER BY ${owner}_id, names_at DESC NULLS LAST, id`,
    [[...ids]],
  );
  const byId = new Map(rows.map((r) => [r.id, r.name]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The label of each brand (batched per request). */
export function brandNames(ctx: RequestContext, brandIds: readonly string[]): Promise<string[]> {
  const loader = ctx.loaders.get<string, string | null>('history:brandName', (ids) => latestNames(ctx, 'brand', ids));
  return Promise.all(brandIds.map(async (id) => brandLabel(await loader.load(id), id)));
}

/** The label of each campaign (batched per request). */
export function campaignNames(ctx: RequestContext, campaignIds: readonly (string | null)[]): Promise<string[]> {
  const loader = ctx.loaders.get<string, string | null>('history:campaignName', (ids) => latestNames(ctx, 'campaign', ids));
  return Promise.all(campaignIds.map(async (id) => campaignLabel(id ? await loader.load(id) : null, id)));
}

/** A creator's label: their latest name and @handle, else the id with a note. */
export async function creatorLabel(ctx: RequestContext, creatorId: string): Promise<string> {
  const [row]: { name: string; handle: string | null }[] = await ctx.dataSource.query(
    `SELECT creator_name AS name, creator_handle AS handle FROM comp_partnerships
      WHERE creator_id = $1 AND creator_name IS NOT NULL ORDER BY names_at DESC NULLS LAST, id LIMIT 1`,
    [creatorId],
  );
  if (!row) return `Creator ${creatorId} (no name on record)`;
  return row.handle ? `${row.name} (@${row.handle})` : row.name;
}
