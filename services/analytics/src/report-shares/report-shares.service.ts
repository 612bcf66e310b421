import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError, badInput, ErrorCode, isUuid, loadById, notFound, RequestContext } from '@influenceflow/kit';
import { CampaignFact } from '../campaign-metrics/campaign-fact.entity';
import type { Interval } from '../metrics/measurements';
import type { CampaignReport } from '../metrics/metrics.types';
import type { ReportService } from '../metrics/report.service';
import { ReportShare } from './report-shares.types';

/** Days a share link works unless told (`expiresInDays`), and at most. */
export const DEFAULT_SHARE_DAYS = 14;
export const MAX_SHARE_DAYS = 90;
/** 32 random bytes, base64url without padding: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The path of a campaign's report page on the platform's public origin (the gateway renders it). */
export const reportPagePath = (campaignId: string) => `/reports/${campaignId}`;

interface ShareRow {
  id: string;
  campaign_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

const sha256 = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

function shareOf(row: ShareRow, url: string | null = null): ReportShare {
  return Object.assign(new ReportShare(), {
    id: row.id,
    campaignId: row.campaign_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    url,
  });
}

/**
 * The one answer to a share link that does not open a report, whatever the reason (never existed, another
 * campaign's, expired, revoked, malformed): the holder of a bad link learns nothing about good ones.
 */
const noSharedReport = () => new AppError(ErrorCode.NOT_FOUND, 'No campaign report is shared at this link');

/**
 * Share links of campaign reports (docs/reports.md). The brand's members and analysts make, list and revoke
 * them; the token is handed out once, in the URL, and only its SHA-256 is kept. Whoever holds a live link
 * reads the same report as the brand does (ReportService.reportOf).
 */
export class ReportShareService {
  constructor(private readonly reports: ReportService) {}

  async share(ctx: RequestContext, campaignId: string, expiresInDays: number | null | undefined): Promise<ReportShare> {
    ctx.requireIdentity();
    const fact = await this.reports.readableCampaign(ctx, campaignId);
    const days = expiresInDays ?? DEFAULT_SHARE_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_SHARE_DAYS)
      throw badInput('expiresInDays', `must be a whole number of days between 1 and ${MAX_SHARE_DAYS}`);
    const token = randomBytes(32).toString('base64url');
    const [row] = (await ctx.dataSource.query(
      `INSERT INTO report_shares (id, campaign_id, brand_id, token_hash, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6))
       RETURNING id, campaign_id, token_hash, created_at, expires_at, revoked_at`,
      [randomUUID(), fact.campaignId, fact.brandId, sha256(token), ctx.identity!.sub, days],
    )) as ShareRow[];
    const base = (ctx.runtime.publicBaseUrl ?? 'http://127.0.0.1').replace(/\/+$/, '');
    return shareOf(row, `${base}${reportPagePath(fact.campaignId)}?share=${token}`);
  }

  /** The campaign's share links, newest first, revoked and expired ones too (no tokens: they are not kept). */
  async list(ctx: RequestContext, campaignId: string): Promise<ReportShare[]> {
    ctx.requireIdentity();
    const fact = await this.reports.readableCampaign(ctx, campaignId);
    const rows = (await ctx.dataSource.query(
      `SELECT id, campaign_id, token_hash, created_at, expires_at, revoked_at FROM report_shares
        WHERE campaign_id = $1 ORDER BY created_at DESC, id`,
      [fact.campaignId],
    )) as ShareRow[];
    return rows.map((r) => shareOf(r));
  }

  /** Ends a link at once; revoking a revoked link changes nothing (its first revocation time stays). */
  async revoke(ctx: RequestContext, shareId: string): Promise<ReportShare> {
    ctx.requireIdentity();
    if (!isUuid(shareId)) throw badInput('id', 'must be a UUID');
    const [found] = (await ctx.dataSource.query(`SELECT campaign_id FROM report_shares WHERE id = $1`, [shareId])) as {
      campaign_id: string;
    }[];
    if (!found) throw notFound('ReportShare', shareId);
    // another brand's link is not confirmed to exist
    await this.reports.readableCampaign(ctx, found.campaign_id).catch((err: unknown) => {
      throw err instanceof AppError && err.code === ErrorCode.NOT_FOUND ? notFound('ReportShare', shareId) : err;
    });
    await ctx.dataSource.query(`UPDATE report_shares SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1`, [shareId]);
    const [row] = (await ctx.dataSource.query(
      `SELECT id, campaign_id, token_hash, created_at, expires_at, revoked_at FROM report_shares WHERE id = $1`,
      [shareId],
    )) as ShareRow[];
    return shareOf(row);
  }

  /**
   * The report behind a share link, for anyone holding it (no sign-in needed). The link's token is checked
   * against the live (not expired, not revoked) links of that campaign by constant-time comparison of the
   * hashes; every failure is the same NOT_FOUND.
   */
  async sharedReport(ctx: RequestContext, campaignId: string, share: string, interval: Interval): Promise<CampaignReport> {
    if (!isUuid(campaignId)) throw badInput('campaignId', 'must be a UUID');
    if (typeof share !== 'string' || !TOKEN.test(share)) throw noSharedReport();
    const wanted = Buffer.from(sha256(share), 'hex');
    const live = (await ctx.dataSource.query(
      `SELECT token_hash FROM report_shares WHERE campaign_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [campaignId],
    )) as { token_hash: string }[];
    let match = false;
    for (const { token_hash } of live) match = timingSafeEqual(Buffer.from(token_hash, 'hex'), wanted) || match;
    if (!match) throw noSharedReport();
    const fact = await loadById(ctx, CampaignFact, campaignId, 'campaignId');
    if (!fact) throw noSharedReport();
    return this.reports.reportOf(ctx, fact, interval);
  }
}
