import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../services';
import { Brand } from '../brands/brand.entity';
import { BrandDisclosureRules, BrandDisclosureRulesInput } from './compliance.types';

@Resolver(() => Brand)
export class BrandComplianceResolver {
  @Mutation(() => Brand, {
    description: 'Sets which disclosure markers the brand accepts, per market and elsewhere, replacing its previous rules (brand members).',
  })
  setBrandDisclosureRules(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('rules', () => BrandDisclosureRulesInput) rules: BrandDisclosureRulesInput,
    @Ctx() ctx: CampaignContext,
  ): Promise<Brand> {
    return ctx.services.compliance.setBrandDisclosureRules(ctx, brandId, rules);
  }

  @FieldResolver(() => BrandDisclosureRules, { description: 'The disclosure markers it accepts, over the per-market defaults.' })
  disclosureRules(@Root() brand: Brand, @Ctx() ctx: CampaignContext): BrandDisclosureRules {
    return ctx.services.compliance.rulesOf(brand);
  }
}
