import type { EntityManager } from 'typeorm';
import { CloudEvent, loadById, RequestContext } from '@influenceflow/kit';
import { CAMPAIGN_STATUSES, CampaignEventData, CampaignStatus } from '@influenceflow/vocabulary';
import { CampaignFact } from './campaign-fact.entity';
import { CampaignMetrics } from './campaign-metrics.types';
import { DEFAULT_ATTRIBUTION_WINDOW_DAYS } from '../orders/attribution';
import type { ReportService } from '../metrics/report.service';
import type { SpendService } from '../spend/spend.service';
import type { OrderIntakeService } from '../orders/order-intake.service';

/** What an event does to analytics' copy of a campaign (pure: easy to test, no I/O). */
export function applyCampaignEvent(current: CampaignFact | null, event: CloudEvent<CampaignEventData>): CampaignFact | null {
  const at = new Date(event.time);
  if (current && current.lastEventAt > at) return null; // stale: a newer event was applied already
  const d = event.data;
  // The status is reported as the GraphQL enum: a value outside it (a newer producer) is not stored.
  if (!isCampaignStatus(d.status)) return null;
  const next: CampaignFact = Object.assign(
    new CampaignFact(),
    current ?? { statusChanges: 0, launchedAt: null, attributionWindowDays: DEFAULT_ATTRIBUTION_WINDOW_DAYS },
    {
      campaignId: d.campaignId,
      brandId: d.brandId,
      name: d.name,
      status: d.status,
      goalType: d.goalType,
      goalTarget: d.goalTarget,
      currency: d.currency,
      startsOn: d.startsOn ?? null,
      endsOn: d.endsOn ?? null,
      lastEventAt: at,
    },
  );
  if (d.previousStatus !== null && d.previousStatus !== d.status) next.statusChanges += 1;
  if (d.status === CampaignStatus.ACTIVE && !next.launchedAt) next.launchedAt = at;
  return next;
}

function isCampaignStatus(status: string): status is CampaignStatus {
  return (CAMPAIGN_STATUSES as readonly string[]).includes(status);
}

export class CampaignMetricsService {
  constructor(
    private readonly reports: ReportService,
    private readonly spend: SpendService,
    private readonly orders: OrderIntakeService,
  ) {}

  /**
   * Event handler body: runs inside the inbox transaction. The campaign's currency decides which of its
   * spend entries and orders count: entries that came before the campaign itself are weighed again, and
   * orders credited to its partnerships meanwhile (waiting: AWAITING_CAMPAIGN) are settled.
   */
  async apply(tx: EntityManager, event: CloudEvent<CampaignEventData>): Promise<void> {
    const repo = tx.getRepository(CampaignFact);
    const current = await repo.findOne({ where: { campaignId: event.data.campaignId }, lock: { mode: 'pessimistic_write' } });
    const next = applyCampaignEvent(current, event);
    if (!next) return;
    await repo.save(next);
    if (current?.currency !== next.currency) await this.spend.weighCurrency(tx, next.campaignId, next.currency);
    if (!current) await this.orders.onCampaignArrived(tx, next.campaignId);
  }

  /** Metrics of a campaign for callers of its brand (members and analysts); null before any event. */
  async forCampaign(ctx: RequestContext, campaignId: string): Promise<CampaignMetrics | null> {
    const fact = await loadById(ctx, CampaignFact, campaignId, 'campaignId');
    if (!fact || !ctx.canActForBrand(fact.brandId, ['brand_member', 'analyst'])) return null;
    const { results, goal } = await this.reports.campaignResults(ctx, fact);
    return {
      status: fact.status,
      launchedAt: fact.launchedAt,
      statusChanges: fact.statusChanges,
      updatedAt: fact.lastEventAt,
      attributionWindowDays: fact.attributionWindowDays,
      results,
      goalProgress: goal,
    };
  }
}
