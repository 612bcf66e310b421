import { Timestamped } from '@influenceflow/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A brand's contract template: Handlebars text with `{{variables}}` rendered from a contract's terms (strictly). */
@ObjectType()
@Entity({ name: 'contract_templates' })
@Index(['brandId', 'createdAt', 'id'])
export class ContractTemplate extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => String)
  @Column({ type: 'text' })
  body: string;

  @Field(() => [String], {
    description: 'The variables the body uses, in order of first appearance (list fields as `deliverables.dueOn`).',
  })
  @Column({ type: 'text', array: true })
  variables: string[];

  @Field(() => Int, { description: 'Starts at 1; every update adds one.' })
  @Column({ type: 'integer', default: 1 })
  version: number;
}
