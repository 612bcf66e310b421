import 'reflect-metadata';
import { registerEnumType } from 'type-graphql';

/**
 * The domain's lists, each written once: the nine platforms (stored lowercase), the post formats, the
 * audience age buckets and genders. Each is also a GraphQL enum, the same in every subgraph (federation
 * needs enums used as inputs to match everywhere): `Platform.TIKTOK` is `'tiktok'`, and the type
 * `Platform` is the union of the stored values, so pure rules work with plain strings.
 */
export const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'linkedin', 'threads', 'discord', 'x', 'facebook', 'twitch'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const CONTENT_FORMATS = ['reel', 'story', 'short', 'video', 'post', 'live'] as const;
export type ContentFormat = (typeof CONTENT_FORMATS)[number];

export const AGE_BUCKETS = ['13-17', '18-24', '25-34', '35-44', '45-54', '55+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export const GENDERS = ['female', 'male', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

/** `{ TIKTOK: 'tiktok', … }`: a GraphQL enum whose names are the values upper-cased. */
function enumOf<const V extends string>(values: readonly V[], nameOf: (value: V) => string = (v) => v.toUpperCase()) {
  return Object.freeze(Object.fromEntries(values.map((v) => [nameOf(v), v]))) as { readonly [K in V as Uppercase<K>]: K };
}

export const Platform = enumOf(PLATFORMS);
export const ContentFormat = enumOf(CONTENT_FORMATS);
/** AGE_13_17 … AGE_55_PLUS. */
export const AgeBucketValue = Object.freeze(
  Object.fromEntries(AGE_BUCKETS.map((b) => [`AGE_${b.replace('-', '_').replace('+', '_PLUS')}`, b])),
) as Readonly<Record<string, AgeBucket>>;
export type AgeBucketValue = AgeBucket;
export const GenderValue = enumOf(GENDERS);
export type GenderValue = Gender;

/**
 * A campaign's status, the same GraphQL enum in campaign (which moves it) and analytics (which reports the
 * last one it heard of): a TypeScript enum so campaign's state machine can key its tables on it.
 */
export enum CampaignStatus {
  DRAFT = 'draft',
  ACTIVE = 'active',
  PAUSED = 'paused',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = Object.values(CampaignStatus);

registerEnumType(Platform, { name: 'Platform' });
registerEnumType(ContentFormat, { name: 'ContentFormat' });
registerEnumType(AgeBucketValue, { name: 'AgeBucket' });
registerEnumType(GenderValue, { name: 'Gender' });
registerEnumType(CampaignStatus, { name: 'CampaignStatus', description: 'draft → active ⇄ paused → completed or cancelled.' });
