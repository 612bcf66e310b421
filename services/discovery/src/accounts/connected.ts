import type { Rows } from '../creators/ownership';

/*
 * An account connected to its platform (connectors/) has its figures fetched from the platform's API.
 * Figures typed in or imported must not overwrite them: saves and imports of a connected account are
 * refused, with this message, until the creator disconnects it (docs/connectors.md).
 */

/** The (creator, platform) pairs among these that are connected to their platform. */
export async function connectedPlatforms(
  tx: { query: (text: string, params: unknown[]) => Promise<unknown> },
  creatorIds: string[],
  platforms: string[],
): Promise<{ creatorId: string; platform: string }[]> {
  if (creatorIds.length === 0) return [];
  return (await tx.query(
    `SELECT c.creator_id AS "creatorId", c.platform
       FROM unnest($1::uuid[], $2::text[]) AS u(creator_id, platform)
       JOIN platform_connections c ON c.creator_id = u.creator_id AND c.platform = u.platform`,
    [creatorIds, platforms],
  )) as { creatorId: string; platform: string }[];
}

/** The same lookup for the importer's client. */
export const connectedPlatformsOf = (rows: Rows, creatorIds: string[], platforms: string[]) =>
  connectedPlatforms({ query: (text, params) => rows(text, params) }, creatorIds, platforms);

/** Why a save or an import of a connected account is refused. */
export function connectedRefusal(platform: string): string {
  return `This ${platform} account is connected: its figures are fetched from ${platform} and cannot be typed in or imported. Disconnect it first`;
}
