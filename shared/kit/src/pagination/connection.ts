import 'reflect-metadata';
import { ArgsType, ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';
import type { SelectQueryBuilder } from 'typeorm';
import { badInput } from '../errors/app-error';
import { isUuid } from '../validation/uuid';
import { isIsoDate } from '../validation/iso-date';

@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

/** `first` and `after` of a Relay connection; a list's own arguments extend it. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'At most 100.' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount?: number;
}

/**
 * A Relay connection type, e.g. `const CampaignConnection = ConnectionType(Campaign)` gives the GraphQL
 * types `CampaignConnection` and `CampaignEdge`.
 */
export function ConnectionType<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => node) node: T;
    @Field() cursor: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass implements Connection<T> {
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  return ConnectionClass;
}

export const MAX_PAGE_SIZE = 100;

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** What each position of a cursor must hold; a cursor is client input like any other. */
export type CursorPart = 'string' | 'uuid' | 'timestamp' | 'date' | 'number' | 'decimal';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** PostgreSQL's text of a number (what `::text` gives for integers and numerics). */
const DECIMAL_TEXT = /^-?\d{1,30}(\.\d{1,30})?(e[+-]?\d{1,3})?$/i;

function partIsValid(part: CursorPart, value: unknown): boolean {
  switch (part) {
    case 'string':
      return typeof value === 'string' && value.length <= 200;
    case 'uuid':
      return isUuid(value);
    case 'timestamp':
      // Exactly what encodeCursor wrote (Date#toISOString): no other form reaches the database.
      return typeof value === 'string' && ISO_INSTANT.test(value) && new Date(value).toISOString() === value;
    case 'date':
      // A calendar date (2026-03-01) that exists: the form PostgreSQL's `date` comes back in.
      return isIsoDate(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'decimal':
      return typeof value === 'string' && DECIMAL_TEXT.test(value) && Number.isFinite(Number(value));
  }
}

/**
 * The values of a cursor made by `encodeCursor`, each checked against `parts` before it reaches SQL: a
 * cursor that was not ours, or has been edited, is BAD_USER_INPUT on `field`, never a database error.
 */
export function decodeCursor(cursor: string, parts: CursorPart[], field = 'after'): (string | number)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === parts.length && parts.every((p, i) => partIsValid(p, values[i]))) {
      return values as (string | number)[];
    }
  } catch {
    /* fall through */
  }
  throw badInput(field, 'Invalid cursor: pass a cursor returned by an earlier page');
}

export function pageSize(first: number | undefined | null, field = 'first'): number {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw badInput(field, `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return n;
}

/**
 * Builds a connection from `limit + 1` rows fetched in keyset order: the extra row only says whether
 * there is a next page. `cursorOf` must give every row a unique position (add the id to break ties).
 */
export function toConnection<T>(rows: T[], limit: number, cursorOf: (row: T) => (string | number)[], hasPrevious: boolean): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** The order of a keyset page: one key column, then the id to break ties (both in the same direction). */
export interface KeysetOrder<T> {
  /** The SQL of the key, on the query's alias: `d.flagged_at`. */
  column: string;
  direction: 'ASC' | 'DESC';
  /** What the cursor's key must be, checked before it reaches SQL. */
  part: CursorPart;
  /** A cast for the cursor's key in SQL (`date`), when its text needs one. */
  cast?: string;
  /** The key of a row, as the cursor holds it. */
  keyOf(row: T): string | number;
}

/**
 * Keyset pagination over `(key, id)` — stable across ties and inserts, unlike OFFSET. `qb` carries the
 * filters; its alias must have an `id` column. Cursors are checked (`decodeCursor`) before they reach SQL.
 */
export async function keysetPage<T extends { id: string }>(
  qb: SelectQueryBuilder<T>,
  order: KeysetOrder<T>,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<T>> {
  const limit = pageSize(args.first);
  qb.orderBy(order.column, order.direction)
    .addOrderBy(`${qb.alias}.id`, order.direction)
    .limit(limit + 1);
  if (args.after) {
    const [key, id] = decodeCursor(args.after, [order.part, 'uuid']);
    const cast = order.cast ? `::${order.cast}` : '';
    qb.andWhere(`(${order.column}, ${qb.alias}.id) ${order.direction === 'DESC' ? '<' : '>'} (:cursorKey${cast}, :cursorId)`, {
      cursorKey: key,
      cursorId: id,
    });
  }
  return toConnection(await qb.getMany(), limit, (row) => [order.keyOf(row), row.id], !!args.after);
}

/**
 * Newest-first keyset pagination over `(created_at, id)`. `created_at` must be `timestamptz(3)`: the
 * cursor holds a JS Date (milliseconds), and rows whose microseconds fall between the cursor's millisecond
 * and the row's real time would be skipped.
 */
export function newestFirstPage<T extends { createdAt: Date; id: string }>(
  qb: SelectQueryBuilder<T>,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<T>> {
  return keysetPage(
    qb,
    { column: `${qb.alias}.created_at`, direction: 'DESC', part: 'timestamp', keyOf: (row) => row.createdAt.toISOString() },
    args,
  );
}
