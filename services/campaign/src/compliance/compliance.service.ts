import { badInput, InputProblems, notFound, RequestContext } from '@influenceflow/kit';
import type { EntityManager } from 'typeorm';
import { Brand } from '../brands/brand.entity';
import { CampaignBrief } from '../briefs/brief.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Partnership } from '../partnerships/partnership.entity';
import { checkCompliance, ComplianceCheckData, DraftText } from './compliance-rule';
import { BrandDisclosureRules, BrandDisclosureRulesInput } from './compliance.types';
import { DisclosureRules, markerName, marketRequirements } from './disclosure-rules';

const COUNTRY = /^[A-Z]{2}$/;
const MARKETS = 60;
const MARKERS = 20;

/** The markers of a rule, each named as the detector names it (every unknown one reported). */
function markers(values: string[], field: string, problems: InputProblems): string[] {
  if (values.length === 0) problems.add(field, 'give at least one marker');
  if (values.length > MARKERS) problems.add(field, `give at most ${MARKERS} markers`);
  const named = values.slice(0, MARKERS).map((v, i) => {
    const name = v.length <= 100 ? markerName(v) : null;
    if (!name) problems.add(`${field}.${i}`, 'must be a disclosure marker the detector knows (docs/sponsored.md lists them)');
    return name ?? '';
  });
  return [...new Set(named)];
}

/** Brief compliance: each draft's check against its brief version, and the brands' disclosure rules. */
export class ComplianceService {
  /**
   * The check of a draft of a partnership, inside its submission's transaction: against the brief version
   * the creator accepted (else the latest), the campaign's markets and the brand's disclosure rules.
   */
  async checkDraft(tx: EntityManager, partnershipId: string, draft: DraftText): Promise<ComplianceCheckData> {
    const p = await tx.getRepository(Partnership).findOneByOrFail({ id: partnershipId });
    const briefs = tx.getRepository(CampaignBrief);
    const brief = p.briefVersion
      ? await briefs.findOneBy({ campaignId: p.campaignId, version: p.briefVersion })
      : await briefs.findOne({ where: { campaignId: p.campaignId }, order: { version: 'DESC' } });
    const campaign = await tx.getRepository(Campaign).findOneByOrFail({ id: p.campaignId });
    const brand = await tx.getRepository(Brand).findOneByOrFail({ id: p.brandId });
    return checkCompliance(
      {
        requiredHashtags: brief?.requiredHashtags ?? [],
        requiredMentions: brief?.requiredMentions ?? [],
        requiredLinks: brief?.requiredLinks ?? [],
        forbiddenWords: brief?.forbiddenWords ?? [],
        disclosure: marketRequirements(brand.disclosureRules, campaign.targetAudience?.countries ?? []),
      },
      draft,
    );
  }

  /** The brand's rules as set (an empty set when it uses the defaults). */
  rulesOf(brand: Brand): BrandDisclosureRules {
    return { anyMarket: brand.disclosureRules?.anyMarket ?? null, markets: brand.disclosureRules?.markets ?? [] };
  }

  /** Replaces the brand's disclosure rules (its members only); every bad marker or country is reported at once. */
  async setBrandDisclosureRules(ctx: RequestContext, brandId: string, input: BrandDisclosureRulesInput): Promise<Brand> {
    ctx.requireBrand(brandId);
    const problems = new InputProblems();
    const anyMarket = input.anyMarket ? markers(input.anyMarket, 'rules.anyMarket', problems) : null;
    const given = input.markets ?? [];
    if (given.length > MARKETS) throw badInput('rules.markets', `give at most ${MARKETS} markets`);
    const seen = new Set<string>();
    const markets = given.map((m, i) => {
      const country = m.country.trim().toUpperCase();
      if (!COUNTRY.test(country)) problems.add(`rules.markets.${i}.country`, 'must be an ISO 3166-1 alpha-2 country code');
      else if (seen.has(country)) problems.add(`rules.markets.${i}.country`, 'each market once');
      seen.add(country);
      return { country, markers: markers(m.markers, `rules.markets.${i}.markers`, problems) };
    });
    problems.throwIfAny();
    const rules: DisclosureRules | null = anyMarket || markets.length ? { anyMarket, markets } : null;
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Brand);
      const brand = await repo.findOne({ where: { id: brandId }, lock: { mode: 'pessimistic_write' } });
      if (!brand) throw notFound('Brand', brandId);
      brand.disclosureRules = rules;
      return repo.save(brand);
    });
  }
}
