import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import type { AuthenticityConfidence as ConfidenceValue, AuthenticitySignal as SignalValue, ConfidenceLevel } from '../rules/authenticity';

@ObjectType({ description: 'A bound of a norm; null where the norm has no bound on that side.' })
export class Norm {
  @Field(() => Float, { nullable: true }) min: number | null;
  @Field(() => Float, { nullable: true }) max: number | null;
}

@ObjectType({ description: 'One signal of an authenticity report: what was measured, against which norm, and what it did to the score.' })
export class AuthenticitySignal {
  @Field(() => String, { description: 'Stable key, e.g. generic_comments.' }) key: string;
  @Field(() => String) label: string;
  @Field(() => Float, { nullable: true, description: 'Null when the data to measure it is missing.' }) measured: number | null;
  @Field(() => String, { description: 'percent, ratio or count' }) unit: string;
  @Field(() => Norm) norm: Norm;
  @Field(() => Float, { description: "The signal's share of the evidence (weights add up to 1); the confidence counts it." })
  weight: number;
  @Field(() => Float, { nullable: true, description: '0 = looks genuine … 1 = strong sign of fakery; null = not measured.' })
  risk: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Share of the score the signal removes on its own at risk 1; null in authenticity-v1 reports.',
  })
  strength: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'What the score is multiplied by: 1 − strength × risk (1 when not measured); null in authenticity-v1 reports.',
  })
  factor: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'The highest score while this signal is a strong sign (high risk); null in authenticity-v1 reports.',
  })
  cap: number | null;
  @Field(() => Boolean, { description: 'Whether this signal decided the score (listed in the report’s decidedBy).' }) decisive: boolean;
  @Field(() => Float, {
    description: 'Points this signal added to the score in authenticity-v1; 0 in later versions, where the score is not a sum.',
    deprecationReason: 'The score is no longer a sum of points: read factor, cap and decisive.',
  })
  contribution: number;
  @Field(() => String) explanation: string;
}

export enum AuthenticityConfidenceLevel {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}
registerEnumType(AuthenticityConfidenceLevel, {
  name: 'AuthenticityConfidenceLevel',
  description: 'How much evidence an authenticity score rests on: HIGH ≥ 0.75 > MEDIUM ≥ 0.5 > LOW.',
});

@ObjectType({ description: 'How much evidence an authenticity score rests on, and what is missing.' })
export class AuthenticityConfidence {
  @Field(() => AuthenticityConfidenceLevel) level: ConfidenceLevel;
  @Field(() => Float, {
    description: '0–1: the share of the evidence measured on full samples × the trust in where the figures come from.',
  })
  value: number;
  @Field(() => [String], { description: 'What lowered the confidence, in words (or why it is full).' }) reasons: string[];
}

/** Signals as stored; authenticity-v1 reports lack the v2 fields, which read as null / false. */
const signalsColumn = {
  to: (signals: SignalValue[]) => signals,
  from: (signals: Partial<SignalValue>[]): AuthenticitySignal[] =>
    signals.map((s) => ({ strength: null, factor: null, cap: null, decisive: false, ...s }) as AuthenticitySignal),
};

/** An authenticity report of one account at one time; every recomputation adds one (history). */
@ObjectType({
  description: 'A 0–100 authenticity score with every signal behind it. Never read the score alone: read decidedBy and confidence.',
})
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

  @Field(() => Float, { description: 'Share of the signal weight that could be measured (0–1).' })
  @Column({ name: 'measured_weight', type: 'real' })
  measuredWeight: number;

  @Field(() => [AuthenticitySignal])
  @Column({ type: 'jsonb', transformer: signalsColumn })
  signals: AuthenticitySignal[];

  @Field(() => [String], {
    description:
      'Keys of the signals that decided the score, most decisive first (empty when nothing lowered it, and in authenticity-v1 reports).',
  })
  @Column({ name: 'decided_by', type: 'text', array: true, default: () => "'{}'" })
  decidedBy: string[];

  @Field(() => String, {
    nullable: true,
    description: 'One sentence: what decided the score and what the confidence did to it. Null in authenticity-v1 reports.',
  })
  @Column({ type: 'text', nullable: true })
  verdict: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The score the signals give before the confidence pulls it towards the neutral 50. Null in authenticity-v1 reports.',
  })
  @Column({ name: 'evidence_score', type: 'real', nullable: true })
  evidenceScore: number | null;

  @Field(() => AuthenticityConfidence, { nullable: true, description: 'Null in authenticity-v1 reports.' })
  @Column({ type: 'jsonb', nullable: true })
  confidence: ConfidenceValue | null;

  @Field(() => GraphQLDateTimeISO)
  @Column({ name: 'computed_at', type: 'timestamptz', precision: 3 })
  computedAt: Date;
}
