import { AppError } from '@influenceflow/kit';
import type { AnalyticsContext } from '../services';
import { recordAll, recordAllRefunds, requireWriter } from '../orders/orders.resolver';
import { ordersOfCsv, refundColumnOf, refundsOfCsv } from './csv-import';
import { CsvOrderRow, CsvOrdersImport, CsvRefundRow, CsvRefundsImport } from './csv-import.types';

/**
 * An orders file taken in, the same for the GraphQL mutation and the upload route: only the brand's
 * members, every row checked by recordOrders's validators, all rows recorded in one transaction or none.
 */
export async function importOrdersFile(
  ctx: AnalyticsContext,
  brandId: string,
  csv: string,
  maxCharacters?: number,
): Promise<CsvOrdersImport> {
  requireWriter(ctx, brandId);
  const rows = ordersOfCsv(csv, brandId, maxCharacters);
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

/** A refunds file taken in (of orders recorded before), as importOrdersFile takes orders. */
export async function importRefundsFile(
  ctx: AnalyticsContext,
  brandId: string,
  csv: string,
  maxCharacters?: number,
): Promise<CsvRefundsImport> {
  requireWriter(ctx, brandId);
  const rows = refundsOfCsv(csv, brandId, maxCharacters);
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

/** A refusal of the intake (`csv.row.4.orderExternalId`) named by the file's column (`csv.row.4.order_external_id`). */
function inColumns(err: unknown): unknown {
  const m = err instanceof AppError && err.field ? /^(csv\.row\.\d+)\.(.+)$/.exec(err.field) : null;
  if (!m || !(err instanceof AppError)) return err;
  return new AppError(err.code, err.message, { field: `${m[1]}.${refundColumnOf(m[2])}`, details: err.details });
}
