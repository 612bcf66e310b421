import {
  badInput,
  Connection,
  EventHandlerContext,
  invalidState,
  loadById,
  newestFirstPage,
  newestFirstPageBy,
  notFound,
  conflict,
  parseMoneyInput,
  RequestContext,
  toConnection,
} from '@influenceflow/kit';
import { ContractExecutedData } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { canSeeAsParty, sideOf } from '../parties';
import { CampaignBrief } from '../briefs/brief.entity';
import { deliverableSpecs } from '../briefs/deliverable-spec';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignService } from '../campaigns/campaign.service';
import { CampaignStatus } from '../campaigns/campaign-status';
import { hasEnded, todayUtc } from '../campaigns/campaign-calendar';
import { resolveCreator } from '../creators/creator-lookup';
import { DeliverableService } from '../deliverables/deliverable.service';
import { TrackingService } from '../tracking/tracking.service';
import { Partnership } from './partnership.entity';
import { announcePartnership } from './partnership-events';
import { assertPartnershipTransition, partnershipMachine, PartnershipStatus, REASON_REQUIRED } from './partnership-status';
import { InviteCreatorInput, LENGTH_MONTHS, PartnershipLength, PartnershipsArgs } from './partnership.types';

/** Campaigns that still take partnerships. */
const OPEN_CAMPAIGN: ReadonlySet<CampaignStatus> = new Set([CampaignStatus.DRAFT, CampaignStatus.ACTIVE, CampaignStatus.PAUSED]);

function reasonOf(reason: string | undefined | null, to: PartnershipStatus): string | null {
  const text = (reason ?? '').trim();
  if (text.length > 1000) throw badInput('reason', 'must be at most 1,000 characters');
  if (!text && REASON_REQUIRED.has(to)) throw badInput('reason', `say why the partnership is ${to}: the creator reads it`);
  return text || null;
}

/**
 * Partnerships: the brand invites a creator to a campaign with terms, the creator answers, a contract
 * (contracts service) puts it under contract, the brand runs it. Every move is checked against the
 * status machine and who may make it, under a row lock, and announced on campaign.events.
 */
export class PartnershipService {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly deliverables: DeliverableService,
    private readonly tracking: TrackingService,
  ) {}

  async invite(ctx: RequestContext, input: InviteCreatorInput): Promise<Partnership> {
    const campaign = await this.campaigns.get(ctx, input.campaignId);
    const identity = ctx.requireBrand(campaign.brandId);
    const fee = parseMoneyInput(input.fee, 'input.fee');
    if (input.commissionPercent != null && !(input.commissionPercent > 0 && input.commissionPercent <= 100)) {
      throw badInput('input.commissionPercent', 'must be above 0 and at most 100');
    }
    const message = (input.message ?? '').trim();
    if (message.length > 2000) throw badInput('input.message', 'must be at most 2,000 characters');
    const deliverables = input.deliverables ? deliverableSpecs(input.deliverables, campaign, 'input.deliverables') : null;

    return ctx.transaction(async (tx) => {
      // Under the campaign's lock, a second invitation of the same creator waits and then sees the first.
      const locked = await tx.getRepository(Campaign).findOne({ where: { id: campaign.id }, lock: { mode: 'pessimistic_write' } });
      if (!OPEN_CAMPAIGN.has(locked!.status)) {
        throw invalidState(`A ${locked!.status} campaign takes no new partnerships`, { status: locked!.status });
      }
      if (hasEnded(locked!.endsOn, todayUtc())) {
        throw invalidState(`The campaign ended on ${locked!.endsOn}: it takes no new partnerships`, {
          status: locked!.status,
          endsOn: locked!.endsOn,
        });
      }
      const brief = await this.latestBrief(tx, campaign.id);
      if (!brief) throw invalidState('Publish a brief before inviting creators: the invitation shows it', { status: locked!.status });
      const creatorId = (await resolveCreator(tx, input)).id;
      if (await tx.getRepository(Partnership).existsBy({ campaignId: campaign.id, creatorId })) {
        throw conflict('This creator is already invited to this campaign', input.creatorHandle ? 'input.creatorHandle' : 'input.creatorId');
      }
      const repo = tx.getRepository(Partnership);
      const partnership = await repo.save(
        repo.create({
          campaignId: campaign.id,
          brandId: campaign.brandId,
          creatorId,
          status: PartnershipStatus.INVITED,
          lengthMonths: LENGTH_MONTHS[input.length ?? PartnershipLength.CAMPAIGN],
          deliverableTerms: deliverables ?? brief.deliverables,
          feeMinor: fee.amountMinor,
          currency: fee.currency,
          commissionPercent: input.commissionPercent ?? null,
          message,
          briefVersion: null,
          statusReason: null,
          invitedBy: identity.sub,
        }),
      );
      await this.announce(ctx, tx, partnership, null);
      return partnership;
    });
  }

  /** The creator accepts (recording the brief version they saw) or declines an invitation. */
  respond(ctx: RequestContext, id: string, accept: boolean, reason?: string | null): Promise<Partnership> {
    const to = accept ? PartnershipStatus.ACCEPTED : PartnershipStatus.DECLINED;
    return this.move(ctx, id, to, reason, async (tx, p) => {
      if (!accept) return;
      p.briefVersion = (await this.latestBrief(tx, p.campaignId))?.version ?? null;
      await this.deliverables.schedule(tx, p);
      await this.tracking.assign(tx, p);
    });
  }

  /** The brand runs the partnership: activate, pause, resume, complete or terminate (with a reason). */
  async changeStatus(ctx: RequestContext, id: string, to: PartnershipStatus, reason?: string | null): Promise<Partnership> {
    ctx.requireBrand((await this.get(ctx, id)).brandId);
    return this.move(ctx, id, to, reason);
  }

  /**
   * contract.executed: the partnership is under contract. Idempotent (a partnership already contracted
   * or further along stays as it is); a contract for an unknown or unaccepted partnership is logged and
   * left alone rather than retried forever.
   */
  async markContracted(tx: EntityManager, data: ContractExecutedData, context: EventHandlerContext): Promise<void> {
    const repo = tx.getRepository(Partnership);
    const p = await repo.findOne({ where: { id: data.partnershipId }, lock: { mode: 'pessimistic_write' } });
    if (!p) {
      context.logger.warn({ partnershipId: data.partnershipId, contractId: data.contractId }, 'contract for an unknown partnership');
      return;
    }
    if (p.status !== PartnershipStatus.ACCEPTED) {
      const level = p.status === PartnershipStatus.INVITED || p.status === PartnershipStatus.DECLINED ? 'warn' : 'debug';
      context.logger[level]({ partnershipId: p.id, status: p.status }, 'contract.executed leaves the partnership as it is');
      return;
    }
    const from = p.status;
    p.status = PartnershipStatus.CONTRACTED;
    p.statusReason = null;
    await repo.save(p);
    await announcePartnership(context.outbox, tx, p, from);
  }

  /** The brand replaces a partnership's discount code (CONFLICT if the brand already uses it). */
  async setDiscountCode(ctx: RequestContext, id: string, code: string): Promise<Partnership> {
    const p = await this.get(ctx, id);
    ctx.requireBrand(p.brandId);
    if (!p.discountCode) throw invalidState('A partnership gets its code when the creator accepts', { status: p.status });
    p.discountCode = await this.tracking.setDiscountCode(ctx, p, code);
    return p;
  }

  /** A partnership its brand's members and analysts, its creator, and admins may see; NOT_FOUND for others. */
  async get(ctx: RequestContext, id: string): Promise<Partnership> {
    ctx.requireIdentity();
    const p = await this.visibleReference(ctx, id);
    if (!p) throw notFound('Partnership', id);
    return p;
  }

  /**
   * A partnership its brand's members and analysts, its creator and admins may see, else null: what
   * another subgraph gets when it references the partnership (federation), and what `get` checks.
   */
  async visibleReference(ctx: RequestContext, id: string): Promise<Partnership | null> {
    const p = await this.load(ctx, id);
    return p && canSeeAsParty(ctx, p) ? p : null;
  }

  load(ctx: RequestContext, id: string): Promise<Partnership | null> {
    return loadById(ctx, Partnership, id);
  }

  async forCampaign(ctx: RequestContext, campaign: Campaign, args: PartnershipsArgs): Promise<Connection<Partnership>> {
    ctx.requireBrand(campaign.brandId, ['brand_member', 'analyst']);
    // A list under a list (every campaign of a page): one query for all of them.
    return newestFirstPageBy(ctx, {
      entity: Partnership,
      keyColumn: 'campaign_id',
      key: campaign.id,
      args,
      filter: args.statuses?.length ? { sql: 't.status = ANY($1)', params: [[...new Set(args.statuses)].sort()] } : undefined,
    });
  }

  /**
   * A creator's partnerships: all of them for the creator, those of the caller's brands for brand members
   * and analysts, everything for admins, nothing for anyone else.
   */
  async forCreator(ctx: RequestContext, creatorId: string, args: PartnershipsArgs): Promise<Connection<Partnership>> {
    const identity = ctx.identity;
    const qb = ctx.dataSource.getRepository(Partnership).createQueryBuilder('p').where('p.creator_id = :creatorId', { creatorId });
    if (!ctx.isAdmin && identity?.creatorId !== creatorId) {
      const brands = identity && (identity.roles.includes('brand_member') || identity.roles.includes('analyst')) ? identity.brandIds : [];
      if (brands.length === 0) return toConnection<Partnership>([], 1, () => [], false);
      qb.andWhere('p.brand_id IN (:...brands)', { brands });
    }
    if (args.statuses?.length) qb.andWhere('p.status IN (:...statuses)', { statuses: args.statuses });
    return newestFirstPage(qb, args);
  }

  /** The creator's own partnerships (their invitations among them). */
  mine(ctx: RequestContext, args: PartnershipsArgs): Promise<Connection<Partnership>> {
    const identity = ctx.requireRole('creator');
    if (!identity.creatorId) throw badInput('creatorId', 'your token names no creator profile');
    return this.forCreator(ctx, identity.creatorId, args);
  }

  /** Creators who completed a partnership with the brand, most recent first: candidates for repeat work. */
  async pastPartners(ctx: RequestContext, brandId: string): Promise<string[]> {
    ctx.requireBrand(brandId, ['brand_member', 'analyst']);
    const rows: { creator_id: string }[] = await ctx.dataSource.query(
      `SELECT creator_id FROM partnerships WHERE brand_id = $1 AND status = 'completed'
        GROUP BY creator_id ORDER BY max(updated_at) DESC LIMIT 100`,
      [brandId],
    );
    return rows.map((r) => r.creator_id);
  }

  private async move(
    ctx: RequestContext,
    id: string,
    to: PartnershipStatus,
    reason: string | null | undefined,
    beforeSave?: (tx: EntityManager, p: Partnership) => Promise<void>,
  ): Promise<Partnership> {
    // Who may, before what: NOT_FOUND for a partnership the caller cannot see, FORBIDDEN for the wrong
    // side (whatever the status is now), then the reason, then the state under the row's lock.
    const visible = await this.get(ctx, id);
    const actor = sideOf(ctx, visible);
    partnershipMachine.assertActor(to, actor);
    const statusReason = reasonOf(reason, to);
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Partnership);
      // Lock the row: two concurrent moves must not both pass the check.
      const p = (await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))!;
      const from = p.status;
      assertPartnershipTransition(from, to, actor);
      p.status = to;
      p.statusReason = statusReason;
      await beforeSave?.(tx, p);
      await repo.save(p);
      await this.announce(ctx, tx, p, from);
      return p;
    });
  }

  private latestBrief(tx: EntityManager, campaignId: string): Promise<CampaignBrief | null> {
    return tx.getRepository(CampaignBrief).findOne({ where: { campaignId }, order: { version: 'DESC' } });
  }

  private announce(ctx: RequestContext, tx: EntityManager, p: Partnership, from: PartnershipStatus | null) {
    return announcePartnership(ctx.runtime.outbox, tx, p, from);
  }
}
