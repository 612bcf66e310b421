import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Express, Request } from 'express';
import {
  AppError,
  Connection,
  ErrorCode,
  IDENTITY_HEADER,
  isCurrencyCode,
  isUuid,
  MAX_PAGE_SIZE,
  notFound,
  RequestContext,
  SubgraphRuntime,
  verifyGatewayGet,
} from '@influenceflow/kit';
import type { AnalyticsServices } from '../services';
import { ComparisonDimension, LeaderboardOrder } from '../metrics/metrics.types';
import { OrderListResolver } from '../orders/order-list';
import { campaignReportRows, groupRow, MENTION_COLUMNS, mentionRow, ORDER_COLUMNS, orderRow, REPORT_COLUMNS } from './report-csv';
import { fail, failWith, signedContext } from './file-route';

/** Where the reports are downloaded from (the gateway forwards `/exports/…` here, signed for the caller). */
export const EXPORTS_PATH = '/exports';
const READERS = ['brand_member', 'analyst'] as const;

function uuidParam(req: Request, name: string): string {
  const v = req.query[name];
  if (typeof v !== 'string' || !isUuid(v)) throw new AppError(ErrorCode.BAD_USER_INPUT, `${name} must be a UUID`, { field: name });
  return v.toLowerCase();
}

/** One value of the parameter, or undefined without it; a repeated one is refused. */
function oneParam(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new AppError(ErrorCode.BAD_USER_INPUT, `${name} must be given once`, { field: name });
  return v;
}

function optionalUuidParam(req: Request, name: string): string | null {
  return req.query[name] === undefined ? null : uuidParam(req, name);
}

function choiceParam<T extends string>(req: Request, name: string, choices: readonly T[], fallback: T): T {
  const v = req.query[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !choices.includes(v as T))
    throw new AppError(ErrorCode.BAD_USER_INPUT, `${name} must be one of ${choices.join(', ')}`, { field: name });
  return v as T;
}

function currencyParam(req: Request): string | null {
  const v = req.query.currency;
  if (v === undefined) return null;
  if (typeof v !== 'string' || !isCurrencyCode(v))
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'currency must be an ISO 4217 code', { field: 'currency' });
  return v;
}

/** Another brand's figures are not confirmed to exist: NOT_FOUND, as for its campaigns. */
function readableBrand(ctx: RequestContext, brandId: string): void {
  if (!ctx.canActForBrand(brandId, [...READERS])) throw notFound('Brand', brandId);
}

type CsvRow = Record<string, string>;
interface ExportFile {
  filename: string;
  columns: readonly string[];
  rows: Iterable<CsvRow> | AsyncIterable<CsvRow>;
}
type Export = (ctx: RequestContext<AnalyticsServices>, req: Request) => Promise<ExportFile>;

/**
 * The rows of a keyset-paged list, page after page as the file is sent (never all of it in memory): the
 * first page is fetched before the answer starts, so a refusal is still an error status; the next one
 * only when the previous page's rows are written.
 */
async function* pagesOf<T>(first: Connection<T>, next: (after: string) => Promise<Connection<T>>, row: (node: T) => CsvRow) {
  let page = first;
  for (;;) {
    for (const edge of page.edges) yield row(edge.node);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    page = await next(page.pageInfo.endCursor);
  }
}

/** Rows per database page of the paged exports (the lists' own page size at most). */
export const EXPORT_PAGE_SIZE = MAX_PAGE_SIZE;
const orderList = new OrderListResolver();

/** Each report as a file; the names are made of ids, checked dates and fixed words only, so they are safe in a header. */
const EXPORTS: Record<string, Export> = {
  'campaign-report.csv': async (ctx, req) => {
    const campaignId = uuidParam(req, 'campaignId');
    const interval = choiceParam(req, 'interval', ['day', 'week'] as const, 'day');
    const from = oneParam(req, 'from') || null;
    const to = oneParam(req, 'to') || null;
    // the report checks from and to (ISO dates, to not before from) as for GraphQL: they are safe in the name after it
    const report = await ctx.services.reports.campaignReport(ctx, campaignId, interval, from, to);
    const days = `${from ? `-from-${from}` : ''}${to ? `-to-${to}` : ''}`;
    return { filename: `campaign-report-${campaignId}-${interval}${days}.csv`, columns: REPORT_COLUMNS, rows: campaignReportRows(report) };
  },
  'creator-leaderboard.csv': async (ctx, req) => {
    const brandId = uuidParam(req, 'brandId');
    readableBrand(ctx, brandId);
    const orderBy = choiceParam(req, 'orderBy', Object.values(LeaderboardOrder), LeaderboardOrder.REVENUE);
    const groups = await ctx.services.reports.leaderboard(ctx, brandId, currencyParam(req), orderBy, 100);
    const currency = groups[0]?.results.revenue.currency ?? '';
    return {
      filename: `creator-leaderboard-${brandId}.csv`,
      columns: REPORT_COLUMNS,
      rows: groups.map((g) => groupRow('creator', g, currency)),
    };
  },
  'performance-comparison.csv': async (ctx, req) => {
    const brandId = uuidParam(req, 'brandId');
    readableBrand(ctx, brandId);
    const by = choiceParam(req, 'by', Object.values(ComparisonDimension), ComparisonDimension.PLATFORM);
    const campaignId = optionalUuidParam(req, 'campaignId');
    const groups = await ctx.services.reports.comparison(ctx, brandId, currencyParam(req), by, campaignId);
    const currency = groups[0]?.results.revenue.currency ?? '';
    return {
      filename: `performance-comparison-${brandId}-${by}${campaignId ? `-${campaignId}` : ''}.csv`,
      columns: REPORT_COLUMNS,
      rows: groups.map((g) => groupRow(by, g, currency)),
    };
  },
  'brand-orders.csv': async (ctx, req) => {
    const brandId = uuidParam(req, 'brandId');
    readableBrand(ctx, brandId);
    const campaignId = optionalUuidParam(req, 'campaignId');
    const attributed = choiceParam(req, 'attributed', ['all', 'true', 'false'] as const, 'all');
    // brandOrders itself, page by page: the same query, filters and readers as the GraphQL list
    const page = (after: string | null) =>
      orderList.brandOrders(
        { brandId, campaignId, attributed: attributed === 'all' ? null : attributed === 'true', first: EXPORT_PAGE_SIZE, after },
        ctx,
      );
    const first = await page(null);
    return {
      filename: `brand-orders-${brandId}${campaignId ? `-${campaignId}` : ''}.csv`,
      columns: ORDER_COLUMNS,
      rows: pagesOf(first, page, orderRow),
    };
  },
  'brand-mentions.csv': async (ctx, req) => {
    const campaignId = uuidParam(req, 'campaignId');
    const page = (after: string | null) => ctx.services.comments.mentions(ctx, campaignId, EXPORT_PAGE_SIZE, after);
    const first = await page(null);
    return { filename: `brand-mentions-${campaignId}.csv`, columns: MENTION_COLUMNS, rows: pagesOf(first, page, mentionRow) };
  },
};

/**
 * `GET /exports/<report>.csv?…`: the reports as CSV files, streamed row by row through csv-stringify.
 * Like /graphql, only the gateway may call it: it signs the caller's identity for this very URL
 * (kit `signGatewayGet`); the reports service then decides who reads what exactly as for GraphQL.
 */
export function mountReportExports(app: Express, services: AnalyticsServices, runtime: SubgraphRuntime): void {
  app.get(`${EXPORTS_PATH}/:file`, async (req, res) => {
    const check = verifyGatewayGet(
      req.header(IDENTITY_HEADER),
      { subgraph: 'analytics', pathAndQuery: req.originalUrl },
      runtime.config.gatewaySigningSecret,
    );
    const ctx = signedContext(req, res, check, services, runtime);
    if (!ctx) return;
    const make = Object.hasOwn(EXPORTS, req.params.file) ? EXPORTS[req.params.file] : undefined;
    if (!make)
      return fail(
        res,
        404,
        ErrorCode.NOT_FOUND,
        `Ask for ${Object.keys(EXPORTS)
          .map((f) => `${EXPORTS_PATH}/${f}`)
          .join(', ')}`,
      );
    let file: ExportFile;
    try {
      file = await make(ctx, req);
    } catch (err) {
      return failWith(res, ctx, err, 'report', true);
    }
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-disposition', `attachment; filename="${file.filename}"`);
    res.type('text/csv; charset=utf-8');
    try {
      await pipeline(Readable.from(file.rows), stringify({ header: true, columns: [...file.columns], record_delimiter: 'windows' }), res);
    } catch (err) {
      // the status is sent already: the client sees a cut-off file, the log says why
      ctx.logger.error({ err }, 'report export stream failed');
      res.destroy();
    }
  });
}
