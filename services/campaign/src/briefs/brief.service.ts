import { badInput, invalidState, loadManyBy, parseHttpUrl, RequestContext } from '@influenceflow/kit';
import { BriefPublishedData, TOPICS } from '@influenceflow/vocabulary';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignService } from '../campaigns/campaign.service';
import { CampaignStatus } from '../campaigns/campaign-status';
import { CampaignBrief } from './brief.entity';
import { PublishBriefInput } from './brief.types';
import { deliverableSpecs } from './deliverable-spec';

const LONG_TEXT = 5_000;
const LIST_ITEMS = 20;
const ITEM_TEXT = 500;
const HASHTAG = /^[\p{L}\p{N}_]{1,100}$/u;

function text(value: string | undefined, field: string, required = false): string {
  const v = (value ?? '').trim();
  if (required && !v) throw badInput(field, 'must not be empty');
  if (v.length > LONG_TEXT) throw badInput(field, `must be at most ${LONG_TEXT.toLocaleString('en-US')} characters`);
  return v;
}

function list(values: string[] | undefined, field: string, max = LIST_ITEMS): string[] {
  const items = (values ?? []).map((v) => v.trim()).filter(Boolean);
  if (items.length > max) throw badInput(field, `give at most ${max} items`);
  items.forEach((v, i) => {
    if (v.length > ITEM_TEXT) throw badInput(`${field}.${i}`, `must be at most ${ITEM_TEXT} characters`);
  });
  return [...new Set(items)];
}

/** Versioned briefs: a published version never changes; publishing again adds the next version. */
export class BriefService {
  constructor(private readonly campaigns: CampaignService) {}

  async publish(ctx: RequestContext, campaignId: string, input: PublishBriefInput): Promise<CampaignBrief> {
    const visible = await this.campaigns.get(ctx, campaignId);
    const identity = ctx.requireBrand(visible.brandId);
    const fields = {
      brandStory: text(input.brandStory, 'input.brandStory', true),
      targetAudience: text(input.targetAudience, 'input.targetAudience'),
      keyMessages: list(input.keyMessages, 'input.keyMessages'),
      productDetails: text(input.productDetails, 'input.productDetails'),
      tone: text(input.tone, 'input.tone'),
      dos: list(input.dos, 'input.dos'),
      donts: list(input.donts, 'input.donts'),
      examples: list(input.examples, 'input.examples'),
      requiredHashtags: list(input.requiredHashtags, 'input.requiredHashtags', 30).map((h, i) => {
        const tag = h.replace(/^#/, '').toLowerCase();
        if (!HASHTAG.test(tag)) throw badInput(`input.requiredHashtags.${i}`, 'must be a hashtag of letters, digits and "_"');
        return tag;
      }),
      requiredLinks: list(input.requiredLinks, 'input.requiredLinks', 10).map((l, i) => parseHttpUrl(l, `input.requiredLinks.${i}`)),
      deliverables: deliverableSpecs(input.deliverables, visible, 'input.deliverables'),
      creativeFreedom: text(input.creativeFreedom, 'input.creativeFreedom'),
    };

    return ctx.transaction(async (tx) => {
      // The campaign row is the lock that numbers versions: two publishes get 1 and 2, never 1 and 1.
      const campaign = await tx.getRepository(Campaign).findOne({ where: { id: campaignId }, lock: { mode: 'pessimistic_write' } });
      if (campaign!.status === CampaignStatus.COMPLETED || campaign!.status === CampaignStatus.CANCELLED) {
        throw invalidState(`A ${campaign!.status} campaign's brief cannot change`, { status: campaign!.status });
      }
      const [{ latest }] = await tx.query(`SELECT coalesce(max(version), 0)::int AS latest FROM campaign_briefs WHERE campaign_id = $1`, [
        campaignId,
      ]);
      const repo = tx.getRepository(CampaignBrief);
      const brief = await repo.save(repo.create({ ...fields, campaignId, version: latest + 1, publishedBy: identity.sub }));
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
