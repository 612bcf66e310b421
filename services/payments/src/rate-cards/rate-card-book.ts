import {
  conflict,
  groupByKey,
  InputProblems,
  Money,
  parseIsoDate,
  parseMoneyInput,
  periodHolds,
  periodHoldsSql,
  RequestContext,
} from '@influenceflow/kit';
import { ContentFormat, Platform, RateCardPeriod } from '@influenceflow/vocabulary';
import { EntityManager, QueryFailedError } from 'typeorm';
import type { RateCardLine, RateCardLineInput } from './rate-card-line';

/** A rate card line as checked: the price and its period (`validFrom` null: from today, see `RateCardBook.write`). */
export interface RateCardLineValues {
  platform: Platform;
  format: ContentFormat;
  price: Money;
  validFrom: string | null;
  validUntil: string | null;
}

/**
 * Checks a line's input, every bad field into `problems`: the price (whole, non-negative minor units of a
 * currency with a minor unit), the dates (ISO, existing days), and the end on or after the start (today
 * when the start is left out). Undefined when something is wrong. `today` is the request's (`todayUtc()`
 * once), the same the write gets: a request across midnight UTC must not check one day and write the next.
 */
export function parseRateCardLine(problems: InputProblems, input: RateCardLineInput, today: string): RateCardLineValues | undefined {
  const price = problems.check(() => parseMoneyInput(input.price, 'input.price'));
  const from = input.validFrom == null ? null : problems.check(() => parseIsoDate(input.validFrom!, 'input.validFrom'));
  const until = input.validUntil == null ? null : problems.check(() => parseIsoDate(input.validUntil!, 'input.validUntil'));
  const start = input.validFrom == null ? today : from;
  if (start && until && until < start) {
    problems.add(
      'input.validUntil',
      input.validFrom == null ? 'must be on or after today (validFrom left out)' : 'must be on or after validFrom',
    );
  }
  if (!price || from === undefined || until === undefined || problems.any) return undefined;
  return { platform: input.platform, format: input.format, price, validFrom: from, validUntil: until };
}

/** Where one kind of rate card lives: its entity, table and owner column. */
export interface RateCardShape<T extends RateCardLine> {
  entity: new () => T;
  table: 'rate_card_entries' | 'brand_rate_card_entries';
  ownerColumn: 'creator_id' | 'brand_id';
  ownerProperty: keyof T & string;
  /** The database's constraint that no two periods of one owner, platform and format overlap. */
  noOverlapConstraint: string;
}

/** The line whose period holds `date`, if any (periods of one platform and format never overlap). */
export function lineOn<T extends { validFrom: string; validUntil: string | null }>(lines: readonly T[], date: string): T | undefined {
  return lines.find((l) => periodHolds(l, date));
}

/** What `ratecard.updated` carries of a platform and format's lines. */
export function periodsOf(lines: readonly RateCardLine[]): RateCardPeriod[] {
  return lines.map((l) => ({ validFrom: l.validFrom, validUntil: l.validUntil, priceMinor: l.priceMinor, currency: l.currency }));
}

/**
 * The rules of a rate card, one set for creators' and brands' (docs/payments.md, "Rate cards"): lines of
 * one owner, platform and format never overlap in time (checked here for a clear CONFLICT, and by the
 * table's exclusion constraint); the same start replaces a line; a day's price is the line holding it.
 * Writes and removals of one owner, platform and format take turns (`takeTurn`), so the lines each returns
 * are the ones committed before it plus its own change: what `ratecard.updated` carries is the whole set.
 */
export class RateCardBook<T extends RateCardLine> {
  constructor(private readonly shape: RateCardShape<T>) {}

  /**
   * Sets a line in `tx` and returns it with every line of its platform and format. Without a start, the
   * line starts `today` (the day `parseRateCardLine` checked it against) and the one holding today ends
   * yesterday (one starting today is replaced).
   */
  async write(tx: EntityManager, ownerId: string, line: RateCardLineValues, today: string): Promise<{ entry: T; lines: T[] }> {
    const { table, ownerColumn } = this.shape;
    const key = [ownerId, line.platform, line.format];
    await this.takeTurn(tx, ownerId, line.platform, line.format);
    const from = line.validFrom ?? today;
    if (line.validFrom === null) {
      await tx.query(
        `UPDATE ${table} SET valid_until = $4::date - 1, updated_at = now()
          WHERE ${ownerColumn} = $1 AND platform = $2 AND format = $3
            AND valid_from < $4 AND (valid_until IS NULL OR valid_until >= $4)`,
        [...key, from],
      );
    }
    const overlapping: { valid_from: string }[] = await tx.query(
      `SELECT to_char(valid_from, 'YYYY-MM-DD') AS valid_from FROM ${table}
        WHERE ${ownerColumn} = $1 AND platform = $2 AND format = $3 AND valid_from <> $4
          AND daterange(valid_from, valid_until, '[]') && daterange($4::date, $5::date, '[]')
        ORDER BY valid_from LIMIT 1`,
      [...key, from, line.validUntil],
    );
    if (overlapping.length > 0) {
      // A line starting later is what the end runs into; one starting earlier is what the start falls in.
      const field = overlapping[0].valid_from > from ? 'input.validUntil' : 'input.validFrom';
      throw conflict('another price of this platform and format covers part of this period', field);
    }
    await this.refusingOverlap(() =>
      tx.query(
        `INSERT INTO ${table} (${ownerColumn}, platform, format, price_minor, currency, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (${ownerColumn}, platform, format, valid_from)
         DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency, valid_until = EXCLUDED.valid_until, updated_at = now()`,
        [...key, line.price.amountMinor, line.price.currency, from, line.validUntil],
      ),
    );
    const lines = await this.linesOf(tx, ownerId, line.platform, line.format);
    return { entry: lines.find((l) => l.validFrom === from)!, lines };
  }

  /** Removes a line in `tx` and returns the lines left of its platform and format. */
  async remove(tx: EntityManager, entry: T): Promise<T[]> {
    const ownerId = entry[this.shape.ownerProperty] as string;
    await this.takeTurn(tx, ownerId, entry.platform, entry.format);
    await tx.getRepository(this.shape.entity).delete({ id: entry.id } as never);
    return this.linesOf(tx, ownerId, entry.platform, entry.format);
  }

  /**
   * Waits for the other writers of one owner, platform and format to commit (a lock until the end of `tx`).
   * Two writes of periods that do not overlap pass the exclusion constraint side by side; without this,
   * each would read the lines without the other's and announce a set that lacks one of them, and the
   * copies (which replace a platform and format's lines with the event's) would keep it so.
   */
  private async takeTurn(tx: EntityManager, ownerId: string, platform: Platform, format: ContentFormat): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${this.shape.table}:${ownerId}:${platform}:${format}`]);
  }

  /** Every line of one owner's platform and format, by start. */
  linesOf(tx: EntityManager, ownerId: string, platform: Platform, format: ContentFormat): Promise<T[]> {
    return tx.getRepository(this.shape.entity).find({
      where: { [this.shape.ownerProperty]: ownerId, platform, format } as never,
      order: { validFrom: 'ASC' } as never,
    });
  }

  /** One owner's lines (`on`: only those valid that day), batched across the owners of a request. */
  list(ctx: RequestContext, ownerId: string, on: string | null): Promise<T[]> {
    const { entity, ownerColumn, ownerProperty } = this.shape;
    return ctx.loaders
      .get<string, T[]>(`rateCards:${this.shape.table}:${on ?? 'all'}`, async (owners) => {
        const qb = ctx.dataSource
          .getRepository(entity)
          .createQueryBuilder('e')
          .where(`e.${ownerColumn} = ANY(:owners::uuid[])`, { owners: [...owners] })
          .orderBy('e.platform')
          .addOrderBy('e.format')
          .addOrderBy('e.valid_from');
        if (on) qb.andWhere(periodHoldsSql(':on', 'e'), { on });
        return groupByKey(owners, await qb.getMany(), (row) => row[ownerProperty] as string);
      })
      .load(ownerId);
  }

  /** The exclusion constraint's refusal (two writers that both passed the check) as the same CONFLICT. */
  private async refusingOverlap<R>(write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } catch (err) {
      if (
        err instanceof QueryFailedError &&
        (err as { driverError?: { constraint?: string } }).driverError?.constraint === this.shape.noOverlapConstraint
      ) {
        throw conflict('another price of this platform and format covers part of this period', 'input.validFrom');
      }
      throw err;
    }
  }
}

/** `on` of a rate card query: an ISO date, or null for every line. */
export function parseOn(on: string | null | undefined, field = 'on'): string | null {
  return on == null ? null : parseIsoDate(on, field);
}
