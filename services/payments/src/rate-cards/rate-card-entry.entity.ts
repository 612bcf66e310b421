import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { RateCardLine } from './rate-card-line';

/** One line of a creator's rate card: their price for a format on a platform, over a period. */
@ObjectType({ implements: RateCardLine, description: "A line of a creator's rate card." })
@Entity({ name: 'rate_card_entries' })
@Index(['creatorId', 'platform', 'format', 'validFrom'], { unique: true })
export class RateCardEntry extends RateCardLine {
  @Field(() => ID)
  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;
}
