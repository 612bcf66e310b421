import { badInput, isUuid, notFound } from '@influenceflow/kit';
import type { EntityManager } from 'typeorm';
import { CreatorCopy } from './creator-copy.entity';

/** A creator as a mutation names one: by id, or by handle (`@` optional, any case). Exactly one of them. */
export interface CreatorReference {
  creatorId?: string | null;
  creatorHandle?: string | null;
}

/** A handle as discovery stores it: trimmed, without a leading `@`, lower case. */
export function normalisedHandle(text: string): string {
  return text.trim().replace(/^@/, '').toLowerCase();
}

/**
 * The creator a mutation's input names (`input.creatorId` or `input.creatorHandle`), from campaign's copy
 * of discovery's creators: BAD_USER_INPUT when neither or both are given, NOT_FOUND when no such creator.
 */
export async function resolveCreator(tx: EntityManager, ref: CreatorReference, field = 'input'): Promise<CreatorCopy> {
  const byId = ref.creatorId ?? null;
  const byHandle = ref.creatorHandle ?? null;
  if ((byId === null) === (byHandle === null)) throw badInput(`${field}.creatorId`, 'give either creatorId or creatorHandle');
  const repo = tx.getRepository(CreatorCopy);
  if (byId !== null) {
    if (!isUuid(byId)) throw badInput(`${field}.creatorId`, 'must be a UUID');
    const found = await repo.findOneBy({ id: byId.toLowerCase() });
    if (!found) throw notFound('Creator', byId);
    return found;
  }
  const handle = normalisedHandle(byHandle!);
  if (!/^[a-z0-9._]{2,40}$/.test(handle)) throw badInput(`${field}.creatorHandle`, 'must be a creator handle (2–40 of a-z, 0-9, "." or "_", "@" optional)');
  const found = await repo.findOneBy({ handle });
  if (!found) throw notFound('Creator', `@${handle}`);
  return found;
}
