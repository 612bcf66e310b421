import { DataSource, EntityTarget, FindOptionsOrder, FindOptionsWhere, In, ObjectLiteral } from 'typeorm';
import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created on first use under a name. A request that touches 100 entities of a
 * kind makes one batched query, and nothing is cached across requests (so no stale or foreign data).
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<ArrayLike<V | Error>>): DataLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 }) as DataLoader<unknown, unknown>;
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

/** Orders rows to match the requested keys, with null where a key has no row (what DataLoader wants). */
export function alignByKey<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const byKey = new Map<K, T>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((k) => byKey.get(k) ?? null);
}

/** Groups rows under each requested key (for one-to-many relations), an empty list where none. */
export function groupByKey<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/**
 * Loads one entity by primary key through the request's DataLoader for that entity: every call in a
 * request is batched into one `WHERE id IN (...)` query.
 */
export function loadById<T extends ObjectLiteral>(
  ctx: { loaders: LoaderRegistry; dataSource: DataSource },
  entity: EntityTarget<T>,
  id: string,
  key: keyof T & string = 'id' as keyof T & string,
): Promise<T | null> {
  const name = typeof entity === 'function' ? entity.name : String(entity);
  return ctx.loaders
    .get<string, T | null>(`byId:${name}:${key}`, async (ids) => {
      const rows = await ctx.dataSource.getRepository(entity).findBy({ [key]: In([...ids]) } as FindOptionsWhere<T>);
      return alignByKey(ids, rows, (row) => row[key] as string);
    })
    .load(id);
}

/**
 * Loads the rows whose `key` column holds `value` (a one-to-many relation: a partnership's deliverables, a
 * creator's accounts) through the request's DataLoader for that relation and order: every call in a
 * request is batched into one `WHERE key IN (...)` query, and each caller gets its rows in `order`.
 */
export function loadManyBy<T extends ObjectLiteral>(
  ctx: { loaders: LoaderRegistry; dataSource: DataSource },
  entity: EntityTarget<T>,
  key: keyof T & string,
  value: string,
  order?: FindOptionsOrder<T>,
): Promise<T[]> {
  const name = typeof entity === 'function' ? entity.name : String(entity);
  return ctx.loaders
    .get<string, T[]>(`manyBy:${name}:${key}:${JSON.stringify(order ?? {})}`, async (values) => {
      const rows = await ctx.dataSource.getRepository(entity).find({ where: { [key]: In([...values]) } as FindOptionsWhere<T>, order });
      return groupByKey(values, rows, (row) => row[key] as string);
    })
    .load(value);
}
