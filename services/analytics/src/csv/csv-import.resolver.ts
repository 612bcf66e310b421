import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { AppError } from '@influenceflow/kit';
import type { AnalyticsContext } from '../services';
import { recordAll, recordAllRefunds, requireWriter } from '../orders/orders.resolver';
import { CSV_LIMITS, ordersOfCsv, refundColumnOf, refundsOfCsv } from './csv-import';
import { CsvOrderRow, CsvOrdersImport, CsvRefundRow, CsvRefundsImport } from './csv-import.types';

const LIMITS = `at most ${CSV_LIMITS.rows.toLocaleString('en-US')} rows and ${CSV_LIMITS.characters.toLocaleString('en-US')} characters`;

/** Brands without a connected shop upload their orders and refunds as CSV (docs/analytics-csv.md). */
@Resolver()
export class CsvImportResolver {
  @Mutation(() => CsvOrdersImport, {
    description: `Orders as a CSV file (${LIMITS}; columns in docs/analytics-csv.md), checked as recordOrders checks them. All rows are recorded or none.`,
  })
  async importOrdersCsv(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('csv', () => String) csv: string,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<CsvOrdersImport> {
    requireWriter(ctx, brandId);
    const rows = ordersOfCsv(csv, brandId);
    const results = await recordAll(
      ctx,
      rows.map((r) => r.order),
    );
    const out = results.map((r, i) => Object.assign(new CsvOrderRow(), { row: rows[i].row, ...r }));
    return Object.assign(new CsvOrdersImport(), {
      recorded: out.filter((r) => !r.duplicate).length,
      duplicates: out.filter((r) => r.duplicate).length,
      attributed: out.filter((r) => !r.duplicate && r.partnershipId !== null).length,
      rows: out,
    });
  }

  @Mutation(() => CsvRefundsImport, {
    description: `Refunds as a CSV file (${LIMITS}), of orders recorded before. All rows are recorded or none.`,
  })
  async importRefundsCsv(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('csv', () => String) csv: string,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<CsvRefundsImport> {
    requireWriter(ctx, brandId);
    const rows = refundsOfCsv(csv, brandId);
    const results = await recordAllRefunds(
      ctx,
      rows.map((r) => r.refund),
      (i) => `csv.row.${rows[i].row}`,
    ).catch((err) => {
      throw inColumns(err);
    });
    const out = results.map((r, i) => Object.assign(new CsvRefundRow(), { row: rows[i].row, ...r }));
    return Object.assign(new CsvRefundsImport(), {
      recorded: out.filter((r) => !r.duplicate).length,
      duplicates: out.filter((r) => r.duplicate).length,
      rows: out,
    });
  }
}

/** A refusal of the intake (`csv.row.4.orderExternalId`) named by the file's column (`csv.row.4.order_external_id`). */
function inColumns(err: unknown): unknown {
  const m = err instanceof AppError && err.field ? /^(csv\.row\.\d+)\.(.+)$/.exec(err.field) : null;
  if (!m || !(err instanceof AppError)) return err;
  return new AppError(err.code, err.message, { field: `${m[1]}.${refundColumnOf(m[2])}`, details: err.details });
}
