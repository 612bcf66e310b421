import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { Money, MoneyInput } from '@influenceflow/kit';
import { DeliverableSpecInput } from '../briefs/deliverable-spec';
import { PartnershipLength } from '../partnerships/partnership.types';

@InputType({ description: 'Terms proposed in a counter-offer; what is left out stays as in the latest offer.' })
export class OfferTermsInput {
  @Field(() => MoneyInput, { description: 'The flat fee proposed.' }) fee: MoneyInput;
  @Field(() => Float, { nullable: true, description: 'Commission on attributed sales, in percent (0–100].' })
  commissionPercent?: number;
  @Field(() => [DeliverableSpecInput], { nullable: true, description: 'Due within the campaign; default: the latest offer’s.' })
  deliverables?: DeliverableSpecInput[];
  @Field(() => PartnershipLength, { nullable: true, description: 'Default: the latest offer’s.' }) length?: PartnershipLength;
  @Field({ nullable: true, description: 'A note to the other side (at most 2,000 characters).' }) note?: string;
}

@ObjectType({ description: "How an offer compares with the creator's own rate card." })
export class OfferAssessment {
  @Field(() => Money, {
    nullable: true,
    description:
      "Σ the creator's rate for each deliverable × its count, in the offer's currency; null when a rate is missing or in another currency.",
  })
  creatorRate: Money | null;

  @Field(() => Boolean, { nullable: true, description: "The fee is below the creator's rate; null when that rate is unknown." })
  belowCreatorRate: boolean | null;

  @Field(() => [String], { description: 'What to look at: a fee below the rate, a missing price, a currency mismatch.' })
  warnings: string[];
}
