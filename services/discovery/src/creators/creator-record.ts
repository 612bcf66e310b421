import { AppError, badInput, isCountryCode, parsePublicHttpUrl } from '@influenceflow/kit';
// zod's v4 engine (shipped inside zod 3.25): about 3× faster on these records, which imports parse by the million.
import { z } from 'zod/v4';
import { AGE_BUCKETS, GENDERS, PLATFORMS, POST_FORMATS } from '../rules/types';

/*
 * The one definition of valid creator data. GraphQL mutations and bulk imports (CSV, NDJSON) both parse
 * through these schemas, so a value refused in one place is refused everywhere, with the same field path
 * and reason.
 */

/** Counts beyond this are not a micro-influencer's, nor anyone's: the largest accounts are ~700M. */
export const MAX_COUNT = 2_000_000_000;
/** Post samples kept per account: enough for the last-12 engagement rate and the media kit's best posts. */
export const MAX_POSTS = 50;
/** Follower-history points kept per account (a bit more than a year of daily counts). */
export const MAX_HISTORY = 400;
export const MAX_COMMENT_SAMPLES = 100;

const count = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(MAX_COUNT, `must be at most ${MAX_COUNT.toLocaleString('en-US')}`);
const share = z.number({ error: 'must be a number' }).min(0, 'must be a share between 0 and 1').max(1, 'must be a share between 0 and 1');
const word = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a lowercase word (a-z, 0-9, "-"), 2–31 characters');
const country = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountryCode, { error: (issue) => `"${String(issue.input)}" is not an ISO 3166-1 alpha-2 country code` });
const isoDate = z.coerce
  .date({ error: 'must be an ISO 8601 date' })
  .refine((d) => d.getTime() <= Date.now() + 86_400_000, 'must not be in the future');
/**
 * A link the media kit shows to anyone (a photo, a post): an https URL naming a host on the public
 * internet (the kit's parsePublicHttpUrl: no local or reserved names, no IP addresses, no credentials),
 * normalised. https only, so a page served over https never loads or links insecure content.
 */
const publicHttpsUrl = z.string().transform((value, ctx) => {
  try {
    const url = parsePublicHttpUrl(value, '');
    if (url.startsWith('https:')) return url;
    ctx.addIssue({ code: 'custom', message: 'must be an https URL' });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
  return z.NEVER;
});
const sharesAddUp = (shares: number[]) => shares.reduce((a, b) => a + b, 0) <= 1.000001;
const unique = <T>(items: T[]) => new Set(items).size === items.length;

export const profileSchema = z.object({
  handle: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._]{2,40}$/, 'must be 2–40 characters of a-z, 0-9, "." or "_"'),
  displayName: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  bio: z.string().max(2000, 'must be at most 2,000 characters').default(''),
  niches: z.array(word).min(1, 'give at least one niche').max(5, 'give at most 5 niches').refine(unique, 'must not repeat'),
  contentStyles: z.array(word).max(10, 'give at most 10 content styles').refine(unique, 'must not repeat').default([]),
  languages: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z]{2}$/, 'must be an ISO 639-1 language code such as "en"'),
    )
    .max(10, 'give at most 10 languages')
    .refine(unique, 'must not repeat')
    .default([]),
  country: country.nullable().default(null),
  region: z.string().trim().min(1).max(100).nullable().default(null),
  city: z.string().trim().min(1).max(100).nullable().default(null),
  markets: z.array(country).max(20, 'give at most 20 markets').refine(unique, 'must not repeat').default([]),
  /** The creator's photo, shown on the media kit (initials without one). */
  avatarUrl: publicHttpsUrl.nullable().default(null),
});
export type ProfileRecord = z.infer<typeof profileSchema>;

/** Each profile field's column in `creators` (and header in CSV imports), besides id and handle. */
export const PROFILE_COLUMN_FIELDS = {
  display_name: 'displayName',
  bio: 'bio',
  niches: 'niches',
  content_styles: 'contentStyles',
  languages: 'languages',
  country: 'country',
  region: 'region',
  city: 'city',
  markets: 'markets',
  avatar_url: 'avatarUrl',
} as const satisfies Record<string, keyof ProfileRecord>;
export type ProfileColumn = keyof typeof PROFILE_COLUMN_FIELDS;
export const PROFILE_COLUMNS = Object.keys(PROFILE_COLUMN_FIELDS) as ProfileColumn[];

const ages = z
  .object(
    Object.fromEntries(AGE_BUCKETS.map((b) => [b, share.optional()])) as Record<(typeof AGE_BUCKETS)[number], z.ZodOptional<typeof share>>,
  )
  .strict()
  .refine((r) => sharesAddUp(Object.values(r).filter((v): v is number => v !== undefined)), 'age shares must add up to at most 1');
const genders = z
  .object(Object.fromEntries(GENDERS.map((g) => [g, share.optional()])) as Record<(typeof GENDERS)[number], z.ZodOptional<typeof share>>)
  .strict()
  .refine((r) => sharesAddUp(Object.values(r).filter((v): v is number => v !== undefined)), 'gender shares must add up to at most 1');

export const audienceSchema = z.object({
  ages: ages.default({}),
  genders: genders.default({}),
  countries: z
    .array(z.object({ country, share }))
    .max(50)
    .refine((c) => unique(c.map((x) => x.country)), 'must not list a country twice')
    .refine((c) => sharesAddUp(c.map((x) => x.share)), 'country shares must add up to at most 1')
    .default([]),
  cities: z
    .array(z.object({ city: z.string().trim().min(1).max(100), country, share }))
    .max(50)
    .refine((c) => sharesAddUp(c.map((x) => x.share)), 'city shares must add up to at most 1')
    .default([]),
  interests: z.array(word).max(30).refine(unique, 'must not repeat').default([]),
  noProfilePictureShare: share.nullable().default(null),
});
export type AudienceRecord = z.infer<typeof audienceSchema>;

export const postSchema = z.object({
  postedAt: isoDate,
  format: z.enum(POST_FORMATS, { error: `must be one of ${POST_FORMATS.join(', ')}` }),
  likes: count,
  comments: count,
  shares: count.default(0),
  saves: count.default(0),
  views: count.nullable().default(null),
  reach: count.nullable().default(null),
  caption: z.string().max(2200, 'must be at most 2,200 characters').default(''),
  /** The post's permalink on its platform, which the media kit links to. */
  url: publicHttpsUrl.nullable().default(null),
  hashtags: z
    .array(
      z
        .string()
        .trim()
        .transform((h) => h.replace(/^#/, '').toLowerCase())
        .pipe(z.string().regex(/^[\p{L}\p{N}_]{1,100}$/u, 'must be a hashtag of letters, digits and "_"')),
    )
    .max(30)
    .default([]),
  /** The platform's own paid-partnership label, where a connector reports it (null: unknown). */
  paidPartnership: z.boolean({ error: 'must be true or false' }).nullable().default(null),
  commentSamples: z
    .array(z.object({ author: z.string().trim().min(1).max(100), text: z.string().max(2200) }))
    .max(MAX_COMMENT_SAMPLES)
    .default([]),
});
export type PostRecord = z.infer<typeof postSchema>;

export const accountSchema = z
  .object({
    platform: z.enum(PLATFORMS, { error: `must be one of ${PLATFORMS.join(', ')}` }),
    handle: z
      .string()
      .trim()
      .transform((h) => h.replace(/^@/, '').toLowerCase())
      .pipe(z.string().regex(/^[a-z0-9._-]{1,60}$/, 'must be 1–60 characters of a-z, 0-9, ".", "_" or "-"')),
    followers: count,
    following: count.default(0),
    postCount: count.default(0),
    /** Self-reported, in percent; used only when there are no post samples to compute it from. */
    engagementRate: z.number().min(0, 'must not be negative').max(100, 'must be at most 100 %').nullable().default(null),
    audience: audienceSchema.nullable().default(null),
    followerHistory: z
      .array(z.object({ date: isoDate, followers: count }))
      .max(MAX_HISTORY, `keep at most ${MAX_HISTORY} points`)
      .refine((h) => unique(h.map((p) => p.date.toISOString().slice(0, 10))), 'must not list a day twice')
      .default([]),
    posts: z.array(postSchema).max(MAX_POSTS, `give at most ${MAX_POSTS} recent posts`).default([]),
  })
  .refine((a) => a.followers > 0 || a.posts.length === 0 || a.posts.every((p) => p.likes + p.comments + p.shares === 0), {
    message: 'an account with engagement must have followers',
    path: ['followers'],
  });
export type AccountRecord = z.infer<typeof accountSchema>;

/** One creator as imported: a profile with its accounts (NDJSON: one per line). */
export const creatorRecordSchema = profileSchema.extend({
  accounts: z
    .array(accountSchema)
    .max(PLATFORMS.length)
    .refine((a) => unique(a.map((x) => x.platform)), 'must not list a platform twice')
    .default([]),
});
export type CreatorRecord = z.infer<typeof creatorRecordSchema>;

export interface FieldProblem {
  /** Dotted path of the offending value, e.g. `accounts.0.followers`. */
  field: string;
  reason: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** Parses with one of the schemas above; problems name the field by its dotted path. */
export function parseRecord<T extends z.ZodType>(schema: T, raw: unknown): Parsed<z.infer<T>> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(record)', reason: issue.message })),
  };
}

/**
 * Parses a GraphQL input, or throws BAD_USER_INPUT naming the first offending field as `<prefix>.<path>`
 * (every problem is listed in `extensions.problems`).
 */
export function parseInput<T extends z.ZodType>(schema: T, raw: unknown, prefix = 'input'): z.infer<T> {
  const parsed = parseRecord(schema, raw);
  if (parsed.ok) return parsed.value;
  const problems = parsed.problems.map((p) => ({ field: p.field === '(record)' ? prefix : `${prefix}.${p.field}`, reason: p.reason }));
  throw badInput(problems[0].field, problems[0].reason, { problems });
}

/**
 * GraphQL gives `null` for an omitted optional field; the schemas' defaults apply to absent values, so
 * nulls become absent (a nullable field's default is null anyway).
 */
export function withoutNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}
