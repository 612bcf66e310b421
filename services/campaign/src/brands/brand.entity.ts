import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { DisclosureRules } from '../compliance/disclosure-rules';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An organisation that runs campaigns; its members come from the `brandIds` claim of their token. */
@ObjectType()
@Directive('@key(fields: "id")')
@Entity({ name: 'brands' })
export class Brand {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field(() => String, { nullable: true, description: "The brand's shop or landing page; tracking links redirect here." })
  @Column({ name: 'website_url', type: 'text', nullable: true })
  websiteUrl: string | null;

  /** Which disclosure markers the brand accepts per market (compliance/disclosure-rules.ts); null: the defaults. */
  @Column({ name: 'disclosure_rules', type: 'jsonb', nullable: true })
  disclosureRules: DisclosureRules | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
