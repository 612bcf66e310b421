import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import type { AuthenticitySignal as SignalValue } from '../rules/authenticity';

@ObjectType({ description: 'A bound of a norm; null where the norm has no bound on that side.' })
export class Norm {
  @Field(() => Float, { nullable: true }) min: number | null;
  @Field(() => Float, { nullable: true }) max: number | null;
}

@ObjectType({ description: 'One signal of an authenticity report: what was measured, against which norm, and what it counted for.' })
export class AuthenticitySignal {
  @Field(() => String, { description: 'Stable key, e.g. generic_comments.' }) key: string;
  @Field(() => String) label: string;
  @Field(() => Float, { nullable: true, description: 'Null when the data to measure it is missing.' }) measured: number | null;
  @Field(() => String, { description: 'percent, ratio or count' }) unit: string;
  @Field(() => Norm) norm: Norm;
  @Field(() => Float, { description: 'Share of the model this signal carries (weights add up to 1).' }) weight: number;
  @Field(() => Float, { nullable: true, description: '0 = looks genuine … 1 = strong sign of fakery; null = not measured.' })
  risk: number | null;
  @Field(() => Float, { description: 'Points this signal adds to the score.' }) contribution: number;
  @Field(() => String) explanation: string;
}

/** An authenticity report of one account at one time; every recomputation adds one (history). */
@ObjectType({ description: 'A 0–100 authenticity score with every signal behind it. Never read the score alone.' })
@Entity({ name: 'authenticity_reports' })
export class AuthenticityReport {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => ID)
  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;

  @Field(() => Int)
  @Column({ type: 'smallint' })
  score: number;

  @Field(() => String)
  @Column({ name: 'model_version', type: 'text' })
  modelVersion: string;

  @Field(() => Float, { description: 'Share of the model that could be measured (0–1); a low value means a thin report.' })
  @Column({ name: 'measured_weight', type: 'real' })
  measuredWeight: number;

  @Field(() => [AuthenticitySignal])
  @Column({ type: 'jsonb' })
  signals: SignalValue[];

  @Field(() => GraphQLDateTimeISO)
  @Column({ name: 'computed_at', type: 'timestamptz', precision: 3 })
  computedAt: Date;
}
