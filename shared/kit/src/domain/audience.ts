import { registerEnumType } from 'type-graphql';

/**
 * Audience age buckets and genders, as discovery measures audiences and campaigns target them: one
 * GraphQL enum each for every subgraph (federation needs enums used as inputs to match everywhere).
 */
export enum AgeBucketValue {
  AGE_13_17 = '13-17',
  AGE_18_24 = '18-24',
  AGE_25_34 = '25-34',
  AGE_35_44 = '35-44',
  AGE_45_54 = '45-54',
  AGE_55_PLUS = '55+',
}
registerEnumType(AgeBucketValue, { name: 'AgeBucket' });

export enum GenderValue {
  FEMALE = 'female',
  MALE = 'male',
  OTHER = 'other',
}
registerEnumType(GenderValue, { name: 'Gender' });
