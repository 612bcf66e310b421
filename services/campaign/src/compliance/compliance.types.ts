import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ComplianceFindingKind } from './compliance-rule';

registerEnumType(ComplianceFindingKind, {
  name: 'ComplianceFindingKind',
  description: 'What a draft misses or does wrong against its brief version.',
  valuesConfig: {
    MISSING_HASHTAG: { description: 'A required hashtag is not in the caption.' },
    MISSING_MENTION: { description: 'A required @mention is not in the caption.' },
    MISSING_LINK: { description: 'A required link (host and path) is in neither the caption nor the note.' },
    MISSING_DISCLOSURE: { description: 'No advertising disclosure that the market (or the brand) accepts.' },
    FORBIDDEN_WORD: { description: 'The caption uses a word or phrase the brief forbids.' },
  },
});

@ObjectType({ description: 'One thing a draft misses or does wrong against its brief.' })
export class ComplianceFinding {
  @Field(() => ComplianceFindingKind) kind: ComplianceFindingKind;
  @Field({ description: 'What the brief asks for (the hashtag, handle, link, accepted markers, or the forbidden word).' }) expected: string;
  @Field(() => String, {
    nullable: true,
    description: 'What the draft has instead, when it has something (the word used, the markers found).',
  })
  found: string | null;
  @Field({ description: 'A sentence for the reviewer and the creator.' }) message: string;
}

@ObjectType({ description: "A draft's check against the brief version its partnership accepted, made when it was submitted." })
export class ComplianceCheck {
  @Field({ description: 'No finding.' }) passed: boolean;
  @Field(() => [ComplianceFinding]) findings: ComplianceFinding[];
}

@ObjectType({ description: 'A draft approved despite its compliance findings: who, when, why.' })
export class ComplianceOverride {
  @Field() reason: string;
  @Field(() => ID, { description: 'The reviewer (their identity).' }) overriddenBy: string;
  @Field() overriddenAt: Date;
  @Field(() => [ComplianceFindingKind], { description: 'The kinds of the findings overridden.' }) findings: ComplianceFindingKind[];
}

@InputType({ description: 'Approve a draft that fails its compliance check: say why (kept on the review).' })
export class ComplianceOverrideInput {
  @Field({ description: 'Why it may go out as it is (1 to 2,000 characters).' }) reason: string;
}

@ObjectType({ description: 'The disclosure markers accepted in one market.' })
export class MarketDisclosureRule {
  @Field({ description: 'ISO 3166-1 alpha-2.' }) country: string;
  @Field(() => [String], { description: 'One of them must be in the caption (`#anzeige`, `paid partnership`).' }) markers: string[];
}

@ObjectType({ description: 'The brand\'s disclosure rules, over the per-market defaults (docs/campaign.md, "Compliance").' })
export class BrandDisclosureRules {
  @Field(() => [String], {
    nullable: true,
    description: 'Markets without a rule (theirs or a default): these markers; null accepts any paid disclosure.',
  })
  anyMarket: string[] | null;
  @Field(() => [MarketDisclosureRule]) markets: MarketDisclosureRule[];
}

@InputType()
export class MarketDisclosureRuleInput {
  @Field({ description: 'ISO 3166-1 alpha-2.' }) country: string;
  @Field(() => [String], { description: 'Disclosure markers the detector knows (`#werbung`, `paid partnership`).' }) markers: string[];
}

@InputType({
  description: "A brand's disclosure rules, replacing the previous ones. Empty markets and null anyMarket restore the defaults.",
})
export class BrandDisclosureRulesInput {
  @Field(() => [String], { nullable: true }) anyMarket?: string[] | null;
  @Field(() => [MarketDisclosureRuleInput], { nullable: true }) markets?: MarketDisclosureRuleInput[] | null;
}
