import { badInput, InputProblems, invalidState, loadManyBy, parseHttpUrl, RequestContext } from '@influenceflow/kit';
import { BriefPublishedData, TOPICS } from '@influenceflow/vocabulary';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignService } from '../campaigns/campaign.service';
import { CampaignStatus } from '../campaigns/campaign-status';
import { CampaignBrief } from './brief.entity';
import { PublishBriefInput } from './brief.types';
import { DeliverableSpecInput, deliverableSpecs, isWithinCampaign } from './deliverable-spec';

const LONG_TEXT = 5_000;
const LIST_ITEMS = 20;
const ITEM_TEXT = 500;
const HASHTAG = /^[\p{L}\p{N}_]{1,100}$/u;

function text(value: string, field: string): string {
  const v = value.trim();
  if (v.length > LONG_TEXT) throw badInput(field, `must be at most ${LONG_TEXT.toLocaleString('en-US')} characters`);
  return v;
}

function list(values: string[], field: string, max = LIST_ITEMS): string[] {
  const items = values.map((v) => v.trim()).filter(Boolean);
  if (items.length > max) throw badInput(field, `give at most ${max} items`);
  const problems = new InputProblems();
  items.forEach((v, i) => {
    if (v.length > ITEM_TEXT) problems.add(`${field}.${i}`, `must be at most ${ITEM_TEXT} characters`);
  });
  problems.throwIfAny();
  return [...new Set(items)];
}

function hashtags(values: string[], field: string): string[] {
  const problems = new InputProblems();
  const tags = list(values, field, 30).map((h, i) => {
    const tag = h.replace(/^#/, '').toLowerCase();
    if (!HASHTAG.test(tag)) problems.add(`${field}.${i}`, 'must be a hashtag of letters, digits and "_"');
    return tag;
  });
  problems.throwIfAny();
  return [...new Set(tags)];
}

function links(values: string[], field: string): string[] {
  const problems = new InputProblems();
  const urls = list(values, field, 10).map((l, i) => problems.check(() => parseHttpUrl(l, `${field}.${i}`)) ?? '');
  problems.throwIfAny();
  return urls;
}

/** What a brief says: every field of a version but its identity. */
export type BriefFields = Pick<
  CampaignBrief,
  | 'brandStory'
  | 'targetAudience'
  | 'keyMessages'
  | 'productDetails'
  | 'tone'
  | 'dos'
  | 'donts'
  | 'examples'
  | 'requiredHashtags'
  | 'requiredLinks'
  | 'deliverables'
  | 'creativeFreedom'
>;

/** A brief before its first version, and what a cleared field becomes. */
const EMPTY_BRIEF: BriefFields = {
  brandStory: '',
  targetAudience: '',
  keyMessages: [],
  productDetails: '',
  tone: '',
  dos: [],
  donts: [],
  examples: [],
  requiredHashtags: [],
  requiredLinks: [],
  deliverables: [],
  creativeFreedom: '',
};
const BRIEF_KEYS = Object.keys(EMPTY_BRIEF) as (keyof BriefFields)[];

function fieldsOf(brief: CampaignBrief): BriefFields {
  return Object.fromEntries(BRIEF_KEYS.map((k) => [k, brief[k]])) as unknown as BriefFields;
}

/**
 * The fields an input sets, each checked (every bad one reported): an omitted field is absent from the
 * result, an explicit null is the field's empty value.
 */
function briefChanges(input: PublishBriefInput, campaign: { startsOn: string; endsOn: string }, problems: InputProblems): Partial<BriefFields> {
  const changes: Partial<BriefFields> = {};
  const set = <K extends keyof BriefFields, V>(key: K, check: (value: V, field: string) => BriefFields[K]) => {
    const value = input[key] as V | null | undefined;
    if (value === undefined) return;
    if (value === null) {
      changes[key] = EMPTY_BRIEF[key];
      return;
    }
    const checked = problems.check(() => check(value, `input.${key}`));
    if (checked !== undefined) changes[key] = checked;
  };
  set('brandStory', text);
  set('targetAudience', text);
  set('keyMessages', (v: string[], f) => list(v, f));
  set('productDetails', text);
  set('tone', text);
  set('dos', (v: string[], f) => list(v, f));
  set('donts', (v: string[], f) => list(v, f));
  set('examples', (v: string[], f) => list(v, f));
  set('requiredHashtags', hashtags);
  set('requiredLinks', links);
  set('deliverables', (v: DeliverableSpecInput[], f) => deliverableSpecs(v, campaign, f));
  set('creativeFreedom', text);
  return changes;
}

/** Versioned briefs: a published version never changes; publishing again adds the next version. */
export class BriefService {
  constructor(private readonly campaigns: CampaignService) {}

  /**
   * Publishes the next version: the previous version with the input's changes (omitted fields kept, null
   * clears). A brief always has a brand story and deliverables; carried-over deliverables must still fall
   * within the campaign's dates. Every bad field is reported at once, and nothing is written then.
   */
  async publish(ctx: RequestContext, campaignId: string, input: PublishBriefInput): Promise<CampaignBrief> {
    const visible = await this.campaigns.get(ctx, campaignId);
    const identity = ctx.requireBrand(visible.brandId);
    const problems = new InputProblems();
    const changes = briefChanges(input, visible, problems);

    return ctx.transaction(async (tx) => {
      // The campaign row is the lock that numbers versions: two publishes get 1 and 2, never 1 and 1, and
      // the second starts from the first.
      const campaign = await tx.getRepository(Campaign).findOne({ where: { id: campaignId }, lock: { mode: 'pessimistic_write' } });
      if (campaign!.status === CampaignStatus.COMPLETED || campaign!.status === CampaignStatus.CANCELLED) {
        throw invalidState(`A ${campaign!.status} campaign's brief cannot change`, { status: campaign!.status });
      }
      const previous = await tx.getRepository(CampaignBrief).findOne({ where: { campaignId }, order: { version: 'DESC' } });
      const fields: BriefFields = { ...(previous ? fieldsOf(previous) : EMPTY_BRIEF), ...changes };
      if (!fields.brandStory && !problems.list.some((p) => p.field === 'input.brandStory')) {
        problems.add('input.brandStory', previous ? 'must not be empty: a brief always has a brand story' : 'the first version needs a brand story');
      }
      if (fields.deliverables.length === 0 && !problems.list.some((p) => p.field.startsWith('input.deliverables'))) {
        problems.add('input.deliverables', 'give at least one deliverable');
      }
      // The campaign's dates may have moved since: deliverables carried over must still fit them.
      const outside = changes.deliverables ? [] : fields.deliverables.filter((d) => !isWithinCampaign(d.dueOn, campaign!));
      if (outside.length > 0) {
        problems.add(
          'input.deliverables',
          `${outside.length} of the previous version's deliverables fall outside the campaign (${campaign!.startsOn} to ${campaign!.endsOn}) now: send the deliverables`,
        );
      }
      problems.throwIfAny();
      const repo = tx.getRepository(CampaignBrief);
      const brief = await repo.save(repo.create({ ...fields, campaignId, version: (previous?.version ?? 0) + 1, publishedBy: identity.sub }));
      const data: BriefPublishedData = { campaignId, brandId: campaign!.brandId, briefId: brief.id, version: brief.version };
      await ctx.emit(tx, TOPICS.campaign, { type: 'brief.published', subject: campaignId, brandid: campaign!.brandId, data });
      return brief;
    });
  }

  /** The latest version of each campaign's brief (batched), or null before the first is published. */
  latest(ctx: RequestContext, campaignId: string): Promise<CampaignBrief | null> {
    return ctx.loaders
      .get('campaign.latestBrief', async (ids: readonly string[]) => {
        const rows = await ctx.dataSource
          .getRepository(CampaignBrief)
          .createQueryBuilder('b')
          .distinctOn(['b.campaign_id'])
          .where('b.campaign_id IN (:...ids)', { ids: [...ids] })
          .orderBy('b.campaign_id')
          .addOrderBy('b.version', 'DESC')
          .getMany();
        const byCampaign = new Map(rows.map((b) => [b.campaignId, b]));
        return ids.map((id) => byCampaign.get(id) ?? null);
      })
      .load(campaignId);
  }

  /** Every version of each campaign's brief, newest first (batched: a campaign has a handful). */
  versions(ctx: RequestContext, campaignId: string): Promise<CampaignBrief[]> {
    return loadManyBy(ctx, CampaignBrief, 'campaignId', campaignId, { version: 'DESC' });
  }

  /**
   * What a partnership's invitation shows: the brief version its creator accepted, or (before they
   * answer) the latest one. Whoever may see the partnership may read it, its creator included.
   */
  ofPartnership(ctx: RequestContext, p: { campaignId: string; briefVersion: number | null }): Promise<CampaignBrief | null> {
    return p.briefVersion ? this.version(ctx, p.campaignId, p.briefVersion) : this.latest(ctx, p.campaignId);
  }

  /** One version of a campaign's brief (the one a partnership accepted), or null. */
  async version(ctx: RequestContext, campaignId: string, version: number): Promise<CampaignBrief | null> {
    return (await this.versions(ctx, campaignId)).find((b) => b.version === version) ?? null;
  }
}
