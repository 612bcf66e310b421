import { Timestamped } from '@influenceflow/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Tier, tierOf } from './tier';

registerEnumType(Tier, { name: 'Tier', description: 'nano < 10k ≤ micro < 100k ≤ macro ≤ 1M < mega followers' });

/** A creator's public profile: the entity other subgraphs extend (partnerships, rate card, performance). */
@ObjectType()
@Directive('@key(fields: "id")')
@Entity({ name: 'creators' })
export class Creator extends Timestamped {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => String)
  @Column({ type: 'text', unique: true })
  handle: string;

  @Field(() => String)
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Field(() => String)
  @Column({ type: 'text', default: '' })
  bio: string;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  niches: string[];

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code.' })
  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Field(() => Int, { description: 'Followers across platforms.' })
  @Column({ type: 'integer', default: 0 })
  followers: number;

  @Field(() => Tier)
  get tier(): Tier {
    return tierOf(this.followers);
  }
}
