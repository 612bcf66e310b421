import {
  badInput,
  InputProblems,
  isCountryCode,
  Connection,
  loadById,
  newestFirstPage,
  invalidState,
  loadManyBy,
  notFound,
  Outbox,
  parseMoneyInput,
  RequestContext,
} from '@influenceflow/kit';
import { In, type EntityManager } from 'typeorm';
import { CampaignEventData, TOPICS } from '@influenceflow/vocabulary';
import { Brand } from '../brands/brand.entity';
import { parseDestinationUrl } from '../tracking/destination';
import { Campaign } from './campaign.entity';
import { assertCampaignTransition, campaignEventType, CampaignStatus } from './campaign-status';
import { CampaignAudienceInput, CampaignsArgs, CreateCampaignInput } from './campaign.types';
import { CampaignAudience } from './campaign.entity';
import { Partnership } from '../partnerships/partnership.entity';
import { endPartnershipsOfCampaign, startContractedPartnerships } from '../partnerships/partnership-events';
import { RUNNING_PARTNERSHIP } from '../partnerships/partnership-status';
import { PartnershipCampaign } from './campaign-views.types';
import { Completion, completionOf, hasEnded, hasStarted, PartnershipTerm, RUNNING_CAMPAIGN, todayUtc } from './campaign-calendar';

interface PartnershipOfCampaign {
  campaignId: string;
  briefVersion: number | null;
}

const termOf = (p: Pick<Partnership, 'status' | 'lengthMonths'>): PartnershipTerm => ({
  running: RUNNING_PARTNERSHIP.has(p.status),
  lengthMonths: p.lengthMonths,
});

const DAY_MS = 86_400_000;

export function isoDate(value: string, field: string): string {
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw badInput(field, 'must be a calendar date like 2026-03-01');
  }
  return value;
}

/** A target audience as stored: lists deduplicated, countries upper case and checked, interests lower case. */
export function targetAudienceOf(input: CampaignAudienceInput | undefined | null, field: string): CampaignAudience | null {
  if (!input) return null;
  const problems = new InputProblems();
  const unique = <T>(xs: T[] | undefined | null) => [...new Set(xs ?? [])];
  (input.countries ?? []).forEach((c, i) => {
    if (!isCountryCode(c.trim().toUpperCase()))
      problems.add(`${field}.countries.${i}`, 'must be an ISO 3166-1 alpha-2 country code (e.g. US, DE)');
  });
  const countries = unique((input.countries ?? []).map((c) => c.trim().toUpperCase()));
  const interests = unique((input.interests ?? []).map((i) => i.trim().toLowerCase()).filter(Boolean));
  if (interests.length > 30) problems.add(`${field}.interests`, 'give at most 30 interests');
  else if (interests.some((i) => i.length > 50)) problems.add(`${field}.interests`, 'each interest must be at most 50 characters');
  problems.throwIfAny();
  return { ages: unique(input.ages), genders: unique(input.genders), countries, interests };
}

export function campaignSnapshot(c: Campaign, previousStatus: CampaignStatus | null): CampaignEventData {
  return {
    campaignId: c.id,
    brandId: c.brandId,
    name: c.name,
    status: c.status,
    goalType: c.goalType,
    goalTarget: c.goalTarget,
    budgetMinor: c.budgetMinor,
    currency: c.currency,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    previousStatus,
  };
}

/** Campaign rules: who may see and change a campaign, its validation and its status machine. */
export class CampaignService {
  /**
   * A new draft campaign. Permission first (FORBIDDEN for anyone but the brand's members, NOT_FOUND for
   * an unknown brand); then every bad field at once (the arguments' constraints with the service's rules).
   */
  async create(ctx: RequestContext, input: CreateCampaignInput): Promise<Campaign> {
    ctx.requireBrand(input.brandId);
    if (!(await ctx.dataSource.getRepository(Brand).existsBy({ id: input.brandId }))) throw notFound('Brand', input.brandId);
    const problems = ctx.inputProblems();
    const budget = problems.check(() => parseMoneyInput(input.budget, 'input.budget'));
    const startsOn = problems.check(() => isoDate(input.startsOn, 'input.startsOn'));
    const endsOn = problems.check(() => isoDate(input.endsOn, 'input.endsOn'));
    const today = todayUtc();
    if (startsOn && endsOn && endsOn < startsOn) problems.add('input.endsOn', 'must be on or after startsOn');
    else if (endsOn && hasEnded(endsOn, today))
      problems.add('input.endsOn', `must be today (${today}, UTC) or later: the campaign would be over`);
    const targetAudience = problems.check(() => targetAudienceOf(input.targetAudience, 'input.targetAudience')) ?? null;
    const landingUrl = input.landingUrl
      ? (problems.check(() => parseDestinationUrl(ctx, input.landingUrl!, 'input.landingUrl')) ?? null)
      : null;
    problems.throwIfAny();

    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Campaign);
      const campaign = await repo.save(
        repo.create({
          brandId: input.brandId,
          name: input.name.trim(),
          goalType: input.goal.type,
          goalTarget: input.goal.target,
          budgetMinor: budget!.amountMinor,
          currency: budget!.currency,
          startsOn: startsOn!,
          endsOn: endsOn!,
          status: CampaignStatus.DRAFT,
          platforms: [...new Set(input.platforms ?? [])],
          targetAudience,
          landingUrl,
        }),
      );
      await ctx.emit(tx, TOPICS.campaign, {
        type: 'campaign.created',
        subject: campaign.id,
        brandid: campaign.brandId,
        data: campaignSnapshot(campaign, null),
      });
      return campaign;
    });
  }

  /** A campaign of a brand the caller belongs to; others get NOT_FOUND (no existence leak). */
  async get(ctx: RequestContext, id: string): Promise<Campaign> {
    ctx.requireIdentity();
    const campaign = await this.visibleReference(ctx, id);
    if (!campaign) throw notFound('Campaign', id);
    return campaign;
  }

  async list(ctx: RequestContext, args: CampaignsArgs): Promise<Connection<Campaign>> {
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    const qb = ctx.dataSource.getRepository(Campaign).createQueryBuilder('c').where('c.brand_id = :brandId', { brandId: args.brandId });
    return newestFirstPage(qb, args);
  }

  async changeStatus(ctx: RequestContext, id: string, to: CampaignStatus): Promise<Campaign> {
    const existing = await this.get(ctx, id);
    ctx.requireBrand(existing.brandId);
    return ctx.transaction(async (tx) => {
      // Lock the row: two concurrent transitions must not both pass the check.
      const campaign = await tx.getRepository(Campaign).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!campaign) throw notFound('Campaign', id);
      return this.move(tx, ctx.runtime.outbox, campaign, to, todayUtc());
    });
  }

  /**
   * One move of a locked campaign, by its brand or by the scheduled task: checked against the machine
   * and the calendar (nothing goes live after its last day), announced, and, when the campaign ends,
   * its open partnerships ended with it (endPartnershipsOfCampaign), all in the caller's transaction.
   */
  async move(tx: EntityManager, outbox: Outbox, campaign: Campaign, to: CampaignStatus, today: string): Promise<Campaign> {
    const from = campaign.status;
    assertCampaignTransition(from, to);
    if (to === CampaignStatus.ACTIVE && hasEnded(campaign.endsOn, today)) {
      throw invalidState(`The campaign ended on ${campaign.endsOn}: it cannot go live again`, { status: from, endsOn: campaign.endsOn });
    }
    campaign.status = to;
    await tx.getRepository(Campaign).save(campaign);
    await outbox.enqueue(tx, TOPICS.campaign, {
      type: campaignEventType(from, to),
      subject: campaign.id,
      brandid: campaign.brandId,
      data: campaignSnapshot(campaign, from),
    });
    if (to === CampaignStatus.COMPLETED || to === CampaignStatus.CANCELLED) {
      await endPartnershipsOfCampaign(tx, outbox, campaign.id, to);
    }
    // Live and begun: partnerships under contract start working.
    if (to === CampaignStatus.ACTIVE && hasStarted(campaign, today) && !hasEnded(campaign.endsOn, today)) {
      await startContractedPartnerships(tx, outbox, campaign.id);
    }
    return campaign;
  }

  /**
   * The scheduled task's other work: live campaigns whose first day has come (and not yet their end) and that have contracted
   * partnerships start them (a campaign launched before its first day starts its partnerships then).
   * Returns the campaigns whose partnerships it started.
   */
  async startBegun(tx: EntityManager, outbox: Outbox, today: string, limit: number): Promise<string[]> {
    const rows = (await tx.query(
      `SELECT DISTINCT c.id FROM campaigns c JOIN partnerships p ON p.campaign_id = c.id
        WHERE c.status = 'active' AND c.starts_on <= $1::date AND c.ends_on >= $1::date AND p.status = 'contracted'
        ORDER BY c.id LIMIT $2`,
      [today, limit],
    )) as { id: string }[];
    for (const { id } of rows) await startContractedPartnerships(tx, outbox, id);
    return rows.map((r) => r.id);
  }

  /** Where a campaign past its end stands (completionOf), from its partnerships (batched across campaigns). */
  async completion(ctx: RequestContext, campaign: Campaign): Promise<Completion | null> {
    if (!RUNNING_CAMPAIGN.includes(campaign.status) || !hasEnded(campaign.endsOn, todayUtc())) return null;
    const partnerships = await loadManyBy(ctx, Partnership, 'campaignId', campaign.id);
    return completionOf(campaign, partnerships.map(termOf), todayUtc());
  }

  /**
   * The scheduled task's work: completes every running campaign past its end that nothing holds
   * (completionOf), up to `limit` of them, in the caller's transaction. Returns the ones it completed.
   */
  async completeEnded(tx: EntityManager, outbox: Outbox, today: string, limit: number): Promise<Campaign[]> {
    const candidates = await tx
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .where('c.status IN (:...running)', { running: RUNNING_CAMPAIGN })
      .andWhere('c.ends_on < :today', { today })
      .orderBy('c.ends_on', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    if (candidates.length === 0) return [];
    const partnerships = await tx
      .getRepository(Partnership)
      .find({ where: { campaignId: In(candidates.map((c) => c.id)) }, select: ['campaignId', 'status', 'lengthMonths'] });
    const completed: Campaign[] = [];
    for (const campaign of candidates) {
      const terms = partnerships.filter((p) => p.campaignId === campaign.id).map(termOf);
      if (!completionOf(campaign, terms, today)?.due) continue;
      completed.push(await this.move(tx, outbox, campaign, CampaignStatus.COMPLETED, today));
    }
    return completed;
  }

  /**
   * A campaign its brand's members and analysts (and admins) may see, else null: what another subgraph
   * gets when it references the campaign (federation), and what `get` checks.
   */
  async visibleReference(ctx: RequestContext, id: string): Promise<Campaign | null> {
    const campaign = await this.load(ctx, id);
    return campaign && ctx.canActForBrand(campaign.brandId, ['brand_member', 'analyst']) ? campaign : null;
  }

  /**
   * The campaign of a partnership: for its brand's members and analysts (and admins); null for its
   * creator and anyone else, since the campaign itself (budget, goal, audience) is the brand's.
   */
  async ofPartnership(ctx: RequestContext, p: { brandId: string; campaignId: string }): Promise<Campaign | null> {
    if (!ctx.canActForBrand(p.brandId, ['brand_member', 'analyst'])) return null;
    return this.load(ctx, p.campaignId);
  }

  /**
   * The campaign of a partnership as both of its sides see it (PartnershipCampaign): whoever may see the
   * partnership (checked when it was loaded) sees what the campaign is, whose and when, never the brand's
   * budget, goal or audience.
   */
  async overviewOfPartnership(ctx: RequestContext, p: PartnershipOfCampaign): Promise<PartnershipCampaign | null> {
    const c = await this.load(ctx, p.campaignId);
    if (!c) return null;
    const { id, name, brandId, status, startsOn, endsOn, platforms } = c;
    return { id, name, brandId, status, startsOn, endsOn, platforms, acceptedBriefVersion: p.briefVersion };
  }

  load(ctx: RequestContext, id: string): Promise<Campaign | null> {
    return loadById(ctx, Campaign, id);
  }

  /** Advice shown with the campaign: a run of at least two weeks is recommended (docs/campaign.md, "Campaigns"). */
  warnings(campaign: Campaign): string[] {
    const days = (Date.parse(campaign.endsOn) - Date.parse(campaign.startsOn)) / DAY_MS + 1;
    return days < 14 ? [`The campaign runs ${days} day(s); at least 2 weeks are recommended (1–3 months is typical).`] : [];
  }
}
