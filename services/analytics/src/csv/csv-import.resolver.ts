import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AnalyticsContext } from '../services';
import { CSV_LIMITS } from './csv-import';
import { importOrdersFile, importRefundsFile } from './csv-intake';
import { CsvOrdersImport, CsvRefundsImport } from './csv-import.types';

const LIMITS = `at most ${CSV_LIMITS.rows.toLocaleString('en-US')} rows and ${CSV_LIMITS.characters.toLocaleString('en-US')} characters; larger files go to POST /imports/orders.csv`;

/** Brands without a connected shop upload their orders and refunds as CSV (docs/analytics-csv.md). */
@Resolver()
export class CsvImportResolver {
  @Mutation(() => CsvOrdersImport, {
    description: `Orders as a CSV file (${LIMITS}; columns in docs/analytics-csv.md), checked as recordOrders checks them. All rows are recorded or none.`,
  })
  importOrdersCsv(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('csv', () => String) csv: string,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<CsvOrdersImport> {
    return importOrdersFile(ctx, brandId, csv);
  }

  @Mutation(() => CsvRefundsImport, {
    description: `Refunds as a CSV file (${LIMITS.replace('orders.csv', 'refunds.csv')}), of orders recorded before. All rows are recorded or none.`,
  })
  importRefundsCsv(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('csv', () => String) csv: string,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<CsvRefundsImport> {
    return importRefundsFile(ctx, brandId, csv);
  }
}
