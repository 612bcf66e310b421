import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Express, Request } from 'express';
import {
  AppError,
  ErrorCode,
  IDENTITY_HEADER,
  isCurrencyCode,
  isUuid,
  notFound,
  RequestContext,
  SubgraphRuntime,
  verifyGatewayGet,
} from '@influenceflow/kit';
import type { AnalyticsServices } from '../services';
import { ComparisonDimension, LeaderboardOrder } from '../metrics/metrics.types';
import { campaignReportRows, groupRow, REPORT_COLUMNS, ReportRow } from './report-csv';
import { fail, failWith, signedContext } from './file-route';

/** Where the reports are downloaded from (the gateway forwards `/exports/…` here, signed for the caller). */
export const EXPORTS_PATH = '/exports';
const READERS = ['brand_member', 'analyst'] as const;

function uuidParam(req: Request, name: string): string {
  const v = req.query[name];
  if (typeof v !== 'string' || !isUuid(v)) throw new AppError(ErrorCode.BAD_USER_INPUT, `${name} must be a UUID`, { field: name });
  return v.toLowerCase();
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

type Export = (ctx: RequestContext<AnalyticsServices>, req: Request) => Promise<{ filename: string; rows: Iterable<ReportRow> }>;

/** Each report as a file; the names are made of ids and fixed words only, so they are safe in a header. */
const EXPORTS: Record<string, Export> = {
  'campaign-report.csv': async (ctx, req) => {
    const campaignId = uuidParam(req, 'campaignId');
    const interval = choiceParam(req, 'interval', ['day', 'week'] as const, 'day');
    const report = await ctx.services.reports.campaignReport(ctx, campaignId, interval);
    return { filename: `campaign-report-${campaignId}-${interval}.csv`, rows: campaignReportRows(report) };
  },
  'creator-leaderboard.csv': async (ctx, req) => {
    const brandId = uuidParam(req, 'brandId');
    readableBrand(ctx, brandId);
    const orderBy = choiceParam(req, 'orderBy', Object.values(LeaderboardOrder), LeaderboardOrder.REVENUE);
    const groups = await ctx.services.reports.leaderboard(ctx, brandId, currencyParam(req), orderBy, 100);
    const currency = groups[0]?.results.revenue.currency ?? '';
    return { filename: `creator-leaderboard-${brandId}.csv`, rows: groups.map((g) => groupRow('creator', g, currency)) };
  },
  'performance-comparison.csv': async (ctx, req) => {
    const brandId = uuidParam(req, 'brandId');
    readableBrand(ctx, brandId);
    const by = choiceParam(req, 'by', Object.values(ComparisonDimension), ComparisonDimension.PLATFORM);
    const groups = await ctx.services.reports.comparison(ctx, brandId, currencyParam(req), by);
    const currency = groups[0]?.results.revenue.currency ?? '';
    return { filename: `performance-comparison-${brandId}-${by}.csv`, rows: groups.map((g) => groupRow(by, g, currency)) };
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
    let file: Awaited<ReturnType<Export>>;
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
      await pipeline(Readable.from(file.rows), stringify({ header: true, columns: [...REPORT_COLUMNS], record_delimiter: 'windows' }), res);
    } catch (err) {
      // the status is sent already: the client sees a cut-off file, the log says why
      ctx.logger.error({ err }, 'report export stream failed');
      res.destroy();
    }
  });
}
