import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Money, MoneyInput, PageArgs } from '@influenceflow/kit';
import { ContractStatus } from './contract-status';
import { MILESTONE_TRIGGERS } from './contract-terms';

registerEnumType(ContractStatus, { name: 'ContractStatus', description: 'Where a contract stands (docs/contracts.md, "Lifecycle").' });

export enum MilestoneTriggerEnum {
  ON_EXECUTION = 'ON_EXECUTION',
  ON_DELIVERABLE_POSTED = 'ON_DELIVERABLE_POSTED',
  ON_CAMPAIGN_END = 'ON_CAMPAIGN_END',
  ON_BONUS_THRESHOLD = 'ON_BONUS_THRESHOLD',
}
registerEnumType(MilestoneTriggerEnum, { name: 'MilestoneTrigger', description: 'When a payment milestone becomes due.' });
// The enum and the terms' list are one set.
const _sameTriggers: Record<(typeof MILESTONE_TRIGGERS)[number], MilestoneTriggerEnum> = MilestoneTriggerEnum;
void _sameTriggers;

export enum ContractParty {
  BRAND = 'brand',
  CREATOR = 'creator',
}
registerEnumType(ContractParty, { name: 'ContractParty' });

@ObjectType()
export class ContractPartiesView {
  @Field(() => ID) brandId: string;
  @Field() brandName: string;
  @Field(() => ID) creatorId: string;
  @Field() creatorName: string;
  @Field(() => String, { nullable: true }) creatorHandle: string | null;
}

@ObjectType()
export class ContractDeliverableView {
  @Field() platform: string;
  @Field() format: string;
  @Field(() => Int) count: number;
  @Field({ description: 'ISO date' }) dueOn: string;
}

@ObjectType()
export class BonusView {
  @Field({ description: 'What is measured, e.g. "attributed orders".' }) metric: string;
  @Field(() => Float) threshold: number;
  @Field(() => Money) amount: Money;
}

@ObjectType()
export class ProductView {
  @Field() description: string;
  @Field(() => Money) declaredValue: Money;
}

@ObjectType()
export class CompensationView {
  @Field() currency: string;
  @Field(() => Money, { nullable: true }) flatFee: Money | null;
  @Field(() => Float, { nullable: true, description: 'Percent of attributed sales.' }) commissionPercent: number | null;
  @Field(() => BonusView, { nullable: true }) bonus: BonusView | null;
  @Field(() => ProductView, { nullable: true }) product: ProductView | null;
}

@ObjectType()
export class MilestoneView {
  @Field() label: string;
  @Field(() => Money, { description: 'What it pays (a share worked out in minor units; the last share takes the rounding).' })
  amount: Money;
  @Field(() => Float, { nullable: true, description: 'The share (percent) it was agreed as, when it was.' }) sharePercent: number | null;
  @Field(() => MilestoneTriggerEnum) trigger: MilestoneTriggerEnum;
  @Field(() => Int, { nullable: true, description: 'ON_DELIVERABLE_POSTED: which deliverable (0-based).' }) deliverableIndex: number | null;
}

@ObjectType()
export class UsageRightsView {
  @Field() scope: string;
  @Field(() => Int) durationMonths: number;
}

@ObjectType()
export class ExclusivityView {
  @Field() category: string;
  @Field(() => Int) windowDays: number;
}

@ObjectType({ description: "A contract's terms as data: what its document is rendered from and what payments reads." })
export class ContractTermsView {
  @Field(() => ContractPartiesView) parties: ContractPartiesView;
  @Field() campaignName: string;
  @Field(() => String, { nullable: true, description: 'ISO date' }) startsOn: string | null;
  @Field(() => String, { nullable: true, description: 'ISO date: the last day of the term' }) endsOn: string | null;
  @Field(() => Int, { nullable: true }) lengthMonths: number | null;
  @Field(() => Int, { nullable: true }) briefVersion: number | null;
  @Field(() => [ContractDeliverableView]) deliverables: ContractDeliverableView[];
  @Field(() => CompensationView) compensation: CompensationView;
  @Field(() => [MilestoneView]) milestones: MilestoneView[];
  @Field(() => UsageRightsView) usageRights: UsageRightsView;
  @Field(() => ExclusivityView, { nullable: true }) exclusivity: ExclusivityView | null;
  @Field(() => Int) paymentNetDays: number;
  @Field(() => Int) cancellationNoticeDays: number;
}

@ObjectType({ description: "One party's electronic signature." })
export class ContractSignatureView {
  @Field(() => ContractParty) party: ContractParty;
  @Field({ description: 'The token subject of the signer.' }) subject: string;
  @Field() signerName: string;
  @Field({ description: 'The consent statement accepted, word for word.' }) consent: string;
  @Field({ description: 'SHA-256 (hex) of the document signed.' }) documentSha256: string;
  @Field(() => String, { nullable: true, description: 'The client address the gateway saw.' }) ip: string | null;
  @Field(() => String, { nullable: true }) userAgent: string | null;
  @Field(() => Date) signedAt: Date;
  @Field(() => Date, { nullable: true, description: 'When a recall voided it; null for a signature that counts.' }) voidedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was voided ("recalled: <the brand’s reason>").' }) voidReason: string | null;
}

@ObjectType({ description: 'One entry of the audit trail (a hash chain: each entry holds the hash of the one before).' })
export class AuditEntryGql {
  @Field(() => Int) sequence: number;
  @Field() action: string;
  @Field() actor: string;
  @Field() actorRole: string;
  @Field(() => Date) at: Date;
  @Field({ description: "The entry's details as JSON text." }) details: string;
  @Field(() => String, { nullable: true }) previousHash: string | null;
  @Field() hash: string;
}

@ObjectType({ description: 'The executed contract as a sealed PDF (the certificate of completion its last page).' })
export class ContractPdf {
  @Field({ description: 'SHA-256 (hex) of the PDF bytes.' }) sha256: string;
  @Field(() => Int) sizeBytes: number;
  @Field({ description: 'The PDF bytes, base64.' }) base64: string;
}

@InputType()
export class BonusInput {
  @Field() metric: string;
  @Field(() => Float) threshold: number;
  @Field(() => GraphQLSafeInt) amountMinor: number;
}

@InputType()
export class ProductInput {
  @Field() description: string;
  @Field(() => GraphQLSafeInt) declaredValueMinor: number;
}

@InputType({ description: "Left out keeps; null clears. Amounts are in the contract's currency." })
export class CompensationInput {
  @Field(() => MoneyInput, { nullable: true }) flatFee?: MoneyInput | null;
  @Field(() => Float, { nullable: true }) commissionPercent?: number | null;
  @Field(() => BonusInput, { nullable: true }) bonus?: BonusInput | null;
  @Field(() => ProductInput, { nullable: true }) product?: ProductInput | null;
}

@InputType()
export class MilestoneInput {
  @Field() label: string;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'A fixed amount (minor units); or give sharePercent.' })
  amountMinor?: number | null;
  @Field(() => Float, { nullable: true, description: 'A share of the flat fee (of the bonus for ON_BONUS_THRESHOLD), up to two decimals.' })
  sharePercent?: number | null;
  @Field(() => MilestoneTriggerEnum) trigger: MilestoneTriggerEnum;
  @Field(() => Int, { nullable: true }) deliverableIndex?: number | null;
}

@InputType()
export class ContractDeliverableInput {
  @Field() platform: string;
  @Field() format: string;
  @Field(() => Int) count: number;
  @Field({ description: 'ISO date' }) dueOn: string;
}

@InputType()
export class UsageRightsInput {
  @Field() scope: string;
  @Field(() => Int) durationMonths: number;
}

@InputType()
export class ExclusivityInput {
  @Field() category: string;
  @Field(() => Int) windowDays: number;
}

@InputType({ description: 'A partial update of terms: a field left out keeps its value, null clears it; lists replace.' })
export class ContractTermsInput {
  @Field(() => CompensationInput, { nullable: true }) compensation?: CompensationInput;
  @Field(() => [MilestoneInput], { nullable: true }) milestones?: MilestoneInput[];
  @Field(() => [ContractDeliverableInput], { nullable: true }) deliverables?: ContractDeliverableInput[];
  @Field(() => UsageRightsInput, { nullable: true }) usageRights?: UsageRightsInput;
  @Field(() => ExclusivityInput, { nullable: true }) exclusivity?: ExclusivityInput | null;
  @Field(() => Int, { nullable: true }) paymentNetDays?: number;
  @Field(() => Int, { nullable: true }) cancellationNoticeDays?: number;
  @Field(() => ID, { nullable: true, description: "One of the brand's templates; null: the default agreement." })
  templateId?: string | null;
}

@ArgsType()
export class ContractsArgs extends PageArgs {
  @Field(() => ID) brandId: string;
  @Field(() => [ContractStatus], { nullable: true }) statuses?: ContractStatus[];
}

@ArgsType()
export class MyContractsArgs extends PageArgs {
  @Field(() => [ContractStatus], { nullable: true }) statuses?: ContractStatus[];
}
