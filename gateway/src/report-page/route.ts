import type { ApolloServer } from '@apollo/server';
import type { Express, Request, Response } from 'express';
import { AppError, isUuid, requestIdOf, REQUEST_ID_HEADER } from '@influenceflow/kit';
import type { GatewayContext } from '../context';
import type { ContextOf } from '../downloads';
import { REPORT_CSP, renderErrorPage, renderReportPage } from './template';
import { PageInterval, REPORT_QUERY, ReportData, reportView, SHARED_REPORT_QUERY } from './view';

export const REPORTS_PATH = '/reports';

/**
 * Headers of every answer of the page, refusals included: the strict CSP (no scripts, nothing loaded),
 * no sniffing, never indexed, never stored (a revoked link must stop at once, and a brand's figures stay
 * out of shared caches), and no referrer: a share page's URL holds its token.
 */
function pageHeaders(res: Response): void {
  res.setHeader('content-security-policy', REPORT_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-robots-tag', 'noindex, nofollow');
  res.setHeader('cache-control', 'private, no-store');
  res.setHeader('referrer-policy', 'no-referrer');
}

function refuse(res: Response, status: number, message: string): void {
  pageHeaders(res);
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  res.status(status).type('html').send(renderErrorPage(status, message));
}

const NOT_FOUND = 'No campaign report here: the link is unknown, expired or revoked, or the campaign is not yours.';

/** A query parameter given once, or undefined; null when it is given otherwise (twice, as an object). */
function single(req: Request, name: string): string | undefined | null {
  const value = req.query[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

/**
 * The campaign report page at `/reports/<campaignId>` (docs/reports.md), rendered by the gateway from the
 * GraphQL report, so that analytics alone decides who reads what: with `?share=<token>` as an anonymous
 * caller (`sharedCampaignReport`), otherwise as the caller of the verified bearer token (`campaignReport`,
 * the brand's members and analysts). `?interval=day|week` picks the series' periods.
 */
export function mountReportPages(app: Express, apollo: ApolloServer<GatewayContext>, contextOf: ContextOf): void {
  app.get(`${REPORTS_PATH}/:campaignId`, async (req, res) => {
    const campaignId = String(req.params.campaignId);
    if (!isUuid(campaignId)) return refuse(res, 400, 'A campaign id is a UUID.');
    const asked = single(req, 'interval');
    const interval = asked === undefined ? 'day' : asked;
    if (interval !== 'day' && interval !== 'week') return refuse(res, 400, 'interval is day or week.');
    const share = single(req, 'share');
    if (share === null) return refuse(res, 404, NOT_FOUND);

    let context: GatewayContext;
    const requestId = requestIdOf(req.header(REQUEST_ID_HEADER));
    if (share !== undefined) {
      // The link is the permission: whoever holds it reads the report, signed in or not.
      context = { requestId, identity: null, client: null };
    } else {
      try {
        context = await contextOf(req, requestId);
      } catch (err) {
        return refuse(res, 401, err instanceof AppError ? err.message : 'The token could not be verified.');
      }
      if (!context.identity) return refuse(res, 401, 'Sign in (Authorization: Bearer <token>), or open the report by its share link.');
    }

    const variables: Record<string, unknown> = { campaignId, interval: interval.toUpperCase() };
    if (share !== undefined) variables.share = share;
    const response = await apollo.executeOperation<{ campaignReport?: ReportData; sharedCampaignReport?: ReportData }>(
      { query: share !== undefined ? SHARED_REPORT_QUERY : REPORT_QUERY, variables },
      { contextValue: context },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    const report = result?.data?.campaignReport ?? result?.data?.sharedCampaignReport;
    if (!report) {
      const error = result?.errors?.[0]?.extensions;
      const code = error?.code;
      // A share string that cannot be a token (NUL bytes, beyond the size limit) opens nothing either.
      if (code === 'NOT_FOUND' || code === 'FORBIDDEN' || (code === 'BAD_USER_INPUT' && error?.field !== 'campaignId'))
        return refuse(res, 404, NOT_FOUND);
      if (code === 'BAD_USER_INPUT') return refuse(res, 400, 'A campaign id is a UUID.');
      if (code === 'UNAUTHENTICATED') return refuse(res, 401, 'Sign in again: the token is not valid.');
      return refuse(res, 502, 'The report could not be loaded. Try again in a moment.');
    }
    pageHeaders(res);
    res.type('html').send(renderReportPage(reportView(report, { interval: interval as PageInterval, share: share ?? null })));
  });
}
