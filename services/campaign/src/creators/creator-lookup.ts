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

const HANDLE = /^[a-z0-9._]{2,40}$/;

/**
 * How a mutation's input names a creator, checked without the database: exactly one of `creatorId` (a
 * UUID) and `creatorHandle` (2–40 of a-z, 0-9, "." or "_", "@" optional). BAD_USER_INPUT otherwise.
 */
export function checkCreatorReference(ref: CreatorReference, field = 'input'): { id: string } | { handle: string } {
  const byId = ref.creatorId ?? null;
  const byHandle = ref.creatorHandle ?? null;
  if ((byId === null) === (byHandle === null)) throw badInput(`${field}.creatorId`, 'give either creatorId or creatorHandle');
  if (byId !== null) {
    if (!isUuid(byId)) throw badInput(`${field}.creatorId`, 'must be a UUID');
    return { id: byId.toLowerCase() };
  }
  const handle = normalisedHandle(byHandle!);
  if (!HANDLE.test(handle))
    throw badInput(`${field}.creatorHandle`, 'must be a creator handle (2–40 of a-z, 0-9, "." or "_", "@" optional)');
  return { handle };
}

/**
 * The creator a mutation's input names (`input.creatorId` or `input.creatorHandle`), from campaign's copy
 * of discovery's creators: BAD_USER_INPUT when neither or both are given (checkCreatorReference),
 * NOT_FOUND when no such creator.
 */
export async function resolveCreator(tx: EntityManager, ref: CreatorReference, field = 'input'): Promise<CreatorCopy> {
  const named = checkCreatorReference(ref, field);
  const repo = tx.getRepository(CreatorCopy);
  if ('id' in named) {
    const found = await repo.findOneBy({ id: named.id });
    if (!found) throw notFound('Creator', ref.creatorId!);
    return found;
  }
  const found = await repo.findOneBy({ handle: named.handle });
  if (!found) throw notFound('Creator', `@${named.handle}`);
  return found;
}
