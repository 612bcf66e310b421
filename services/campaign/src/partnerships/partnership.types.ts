import { ArgsType, Field, Float, ID, InputType, registerEnumType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { ConnectionType, MoneyInput, PageArgs } from '@influenceflow/kit';
import { DeliverableSpecInput } from '../briefs/deliverable-spec';
import { Partnership } from './partnership.entity';
import { PartnershipStatus } from './partnership-status';

export enum PartnershipLength {
  CAMPAIGN = 'campaign',
  THREE_MONTHS = 'three_months',
  SIX_MONTHS = 'six_months',
}
registerEnumType(PartnershipLength, { name: 'PartnershipLength', description: 'One campaign, or a long-term partnership.' });

export const LENGTH_MONTHS: Record<PartnershipLength, number | null> = {
  [PartnershipLength.CAMPAIGN]: null,
  [PartnershipLength.THREE_MONTHS]: 3,
  [PartnershipLength.SIX_MONTHS]: 6,
};

@InputType({ description: 'An invitation to a creator: the terms offered.' })
export class InviteCreatorInput {
  @Field(() => ID) campaignId: string;
  @Field(() => ID, { nullable: true, description: 'A creator found through discovery, by id; or give creatorHandle.' })
  creatorId?: string | null;
  @Field(() => String, { nullable: true, description: 'The creator by handle instead of id ("@" optional, any case).' })
  creatorHandle?: string | null;
  @Field(() => MoneyInput, { description: 'The flat fee offered (0 for commission or product only).' }) fee: MoneyInput;
  @Field(() => Float, { nullable: true, description: 'Commission on attributed sales, in percent (0–100].' })
  commissionPercent?: number;
  @Field(() => [DeliverableSpecInput], { nullable: true, description: "Default: the latest brief's deliverables." })
  deliverables?: DeliverableSpecInput[];
  @Field(() => PartnershipLength, { nullable: true, description: 'Default CAMPAIGN.' }) length?: PartnershipLength;
  @Field({ nullable: true, description: 'A note to the creator.' }) message?: string;
}

@ArgsType()
export class PartnershipsArgs extends PageArgs {
  @Field(() => [PartnershipStatus], { nullable: true, description: 'Only these statuses.' })
  @IsOptional()
  statuses?: PartnershipStatus[];
}

export const PartnershipConnection = ConnectionType(Partnership);
export type PartnershipConnection = InstanceType<typeof PartnershipConnection>;
