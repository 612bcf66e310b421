import { EntityTarget, In, ObjectLiteral } from 'typeorm';
import type { DataSource } from 'typeorm';
import { Connection, decodeCursor, pageSize, toConnection } from '../pagination/connection';
import { groupByKey, LoaderRegistry } from './loader-registry';

/** A filter the rows of every page share: SQL over the alias `t`, with `$n` parameters after the loader's own. */
export interface PageFilter {
  /** e.g. `t.status = ANY($1)`; numbered from $1, renumbered in the batch's query. */
  sql: string;
  params: unknown[];
}

export interface NewestFirstPageOptions<T extends ObjectLiteral> {
  entity: EntityTarget<T>;
  /** The column (database name) of the parent: `partnership_id`. */
  keyColumn: string;
  /** The parent's id whose page this is. */
  key: string;
  args: { first?: number | null; after?: string | null };
  filter?: PageFilter;
}

/**
 * One page, newest first by `(created_at, id)`, of the rows under a parent, for a list under a list: every
 * page asked for in a request with the same arguments and filter is loaded by one query (a window over the
 * parents), then one fetch of the rows by id. Same cursors and order as `newestFirstPage`.
 */
export function newestFirstPageBy<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  ctx: { loaders: LoaderRegistry; dataSource: DataSource },
  options: NewestFirstPageOptions<T>,
): Promise<Connection<T>> {
  const { entity, keyColumn, key, args, filter } = options;
  const limit = pageSize(args.first);
  const cursor = args.after ? decodeCursor(args.after, ['timestamp', 'uuid']) : null;
  const metadata = ctx.dataSource.getMetadata(entity);
  const name = `newestFirstPageBy:${metadata.tableName}:${keyColumn}:${limit}:${args.after ?? ''}:${filter?.sql ?? ''}:${JSON.stringify(filter?.params ?? [])}`;
  return ctx.loaders
    .get<string, Connection<T>>(name, async (keys) => {
      const params: unknown[] = [[...keys], limit + 1];
      const conditions = [`t.${keyColumn} = ANY($1)`];
      if (cursor) {
        params.push(cursor[0], cursor[1]);
        conditions.push(`(t.created_at, t.id) < ($3::timestamptz, $4::uuid)`);
      }
      if (filter) {
        const offset = params.length;
        conditions.push(`(${filter.sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`)})`);
        params.push(...filter.params);
      }
      const ranked: { id: string; parent: string }[] = await ctx.dataSource.query(
        `SELECT id, parent FROM (
           SELECT t.id, t.${keyColumn}::text AS parent,
                  row_number() OVER (PARTITION BY t.${keyColumn} ORDER BY t.created_at DESC, t.id DESC) AS position
             FROM ${metadata.tablePath} t WHERE ${conditions.join(' AND ')}
         ) ranked WHERE position <= $2`,
        params,
      );
      const rows =
        ranked.length === 0 ? [] : await ctx.dataSource.getRepository(entity).findBy({ id: In(ranked.map((r) => r.id)) } as never);
      const byId = new Map(rows.map((row) => [row.id, row]));
      const ordered = ranked
        .map((r) => ({ parent: r.parent, row: byId.get(r.id)! }))
        .filter((r) => r.row)
        .sort((a, b) => b.row.createdAt.getTime() - a.row.createdAt.getTime() || (a.row.id < b.row.id ? 1 : -1));
      return groupByKey(keys, ordered, (r) => r.parent).map((group) =>
        toConnection(
          group.map((g) => g.row),
          limit,
          (row) => [row.createdAt.toISOString(), row.id],
          !!args.after,
        ),
      );
    })
    .load(key);
}
