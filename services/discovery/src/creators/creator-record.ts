import { AppError, badInput, isCountryCode, parsePublicHttpUrl } from '@influenceflow/kit';
// zod's v4 engine (shipped inside zod 3.25): about 3× faster on these records, which imports parse by the million.
import { z } from 'zod/v4';
import { AGE_BUCKETS, GENDERS, percentToShare, PLATFORMS, POST_FORMATS, shareToPercent } from '../rules/types';

/*
 * The one definition of valid creator data. GraphQL mutations and bulk imports (CSV, NDJSON) both parse
 * through these schemas, so a value refused in one place is refused everywhere, with the same field path
 * and reason.
 *
 * Units: records (and the database) keep audience shares as fractions 0–1; the API and import files give
 * them in percent (40 means 40 %). `audienceIn` below is the one place they are read and converted.
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

// ---------------------------------------------------------------------------------------------------
// An audience as the API and import files give it: shares in percent (docs/metrics.md, "Units").
// ---------------------------------------------------------------------------------------------------

const PERCENT_RANGE = 'must be a percent between 0 and 100 (40 means 40 %)';
const percent = z
  .number({ error: 'must be a number: a percent of the audience (0–100, 40 means 40 %)' })
  .min(0, PERCENT_RANGE)
  .max(100, PERCENT_RANGE);
const FRACTION_RANGE = 'is a fraction between 0 and 1 (0.4 means 40 %); give percent instead';
const fraction = z.number({ error: 'must be a number: a fraction 0–1' }).min(0, FRACTION_RANGE).max(1, FRACTION_RANGE);

/**
 * Where an audience comes from. `api`: `saveMyPlatformAccount`, lists of parts in `percent`, or in the
 * deprecated fraction fields `share` and `noProfilePictureShare` (one of the two per part). `file`: an
 * import file, percent only; the fraction fields of older files are refused by name, never read as percent.
 */
export type AudienceSource = 'api' | 'file';

/** A part of an audience as given: its percent or (deprecated, API only) its fraction. */
interface GivenPart {
  percent?: number;
  share?: number;
}

/** The fraction a given part stands for: the one conversion of the inputs' percent to the records' fractions. */
function shareOf(part: GivenPart): number {
  return part.percent !== undefined ? percentToShare(part.percent) : (part.share ?? 0);
}

/** Whether a part holds exactly one value in its unit's range (else its own problem is reported). */
function isValidPart(part: GivenPart): boolean {
  const inRange = (v: unknown, max: number) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max;
  return part.percent !== undefined ? part.share === undefined && inRange(part.percent, 100) : inRange(part.share, 1);
}

/** The fraction field beside a percent one: read (API, deprecated) or refused with the unit named (files). */
function fractionField(source: AudienceSource, percentField: string) {
  return source === 'api'
    ? fraction.optional()
    : z.undefined({ error: `is no longer read: shares are percent now; give "${percentField}" (40 for 40 %)` });
}

/**
 * A refinement that runs only when the value passed its own checks (zod runs refinements after a failed
 * field by default, with the field left out: "is required" would follow "must be a percent").
 */
function whenValid<T>(refine: (value: T, ctx: z.RefinementCtx<T>) => void) {
  const check = z.superRefine(refine);
  check._zod.def.when = (payload) => payload.issues.length === 0;
  return check;
}

/** Exactly one of a part's percent and its deprecated fraction. */
function onePart(part: GivenPart, ctx: z.RefinementCtx, percentField = 'percent', shareField = 'share'): void {
  if (part.percent !== undefined && part.share !== undefined) {
    ctx.addIssue({ code: 'custom', path: [shareField], message: `give ${percentField} or the deprecated ${shareField}, not both` });
  } else if (part.percent === undefined && part.share === undefined) {
    ctx.addIssue({ code: 'custom', path: [percentField], message: 'is required: the percent of the audience (0–100, 40 means 40 %)' });
  }
}

/**
 * The rules of a group of parts (ages, genders, countries, cities): they add up to at most 100 %, and a
 * group given in percent that adds up to 1 or less (but more than 0) is fractions sent as percents, refused
 * rather than read as a hundredth of what was meant. Cities are exempt from the latter (top cities may
 * hold under 1 % of a global audience).
 */
function checkGroup(what: string, parts: GivenPart[], ctx: z.RefinementCtx, looksLikeFractions = true): void {
  if (!parts.every(isValidPart)) return;
  const sum = parts.reduce((total, p) => total + shareOf(p), 0);
  if (sum > 1 + 1e-6) ctx.addIssue({ code: 'custom', message: `${what} must add up to at most 100 %, got ${roundPercent(sum * 100)} %` });
  if (!looksLikeFractions || parts.length === 0 || parts.some((p) => p.percent === undefined)) return;
  const percents = parts.reduce((total, p) => total + p.percent!, 0);
  if (percents > 0 && percents <= 1) {
    ctx.addIssue({
      code: 'custom',
      message: `${what} add up to ${roundPercent(percents)}: that looks like fractions 0–1; shares are percent (40 for 40 %)`,
    });
  }
}

const roundPercent = (p: number) => String(Math.round(p * 10_000) / 10_000);

const typedKeys = ['ageBucket', 'gender', 'country'] as const;
type TypedKey = (typeof typedKeys)[number];
const GROUP_OF: Record<TypedKey, string> = { ageBucket: 'ages', gender: 'genders', country: 'countries' };

/**
 * A list of the API's parts (ShareInput) of one group: the key in its typed field (`typed`) or in the
 * deprecated `key`, the value in `percent` or the deprecated `share`; as the record's key → fraction pairs.
 */
function apiParts<K extends z.ZodType<string>>(typed: TypedKey, key: K, what: string) {
  const elsewhere = Object.fromEntries(
    typedKeys.filter((t) => t !== typed).map((t) => [t, z.undefined({ error: `belongs in ${GROUP_OF[t]}, not here` })]),
  );
  return z
    .array(
      z
        .object({ key: key.optional(), [typed]: key.optional(), ...elsewhere, percent: percent.optional(), share: fraction.optional() })
        .check(
          whenValid((part, ctx) => {
            const given = part as Record<string, unknown>;
            if (given.key !== undefined && given[typed] !== undefined) {
              ctx.addIssue({ code: 'custom', path: ['key'], message: `give ${typed} or the deprecated key, not both` });
            } else if (given.key === undefined && given[typed] === undefined) {
              ctx.addIssue({ code: 'custom', path: [typed], message: 'is required' });
            }
            onePart(part as GivenPart, ctx);
          }),
        )
        .transform((part) => {
          const given = part as Record<string, unknown>;
          return { key: (given[typed] ?? given.key) as z.infer<K>, percent: part.percent, share: part.share };
        }),
    )
    .max(50)
    .refine((parts) => unique(parts.map((p) => p.key)), `must not list ${what} twice`);
}

const bucketKey = z.enum(AGE_BUCKETS, { error: `must be one of ${AGE_BUCKETS.join(', ')}` });
const genderKey = z.enum(GENDERS, { error: `must be one of ${GENDERS.join(', ')}` });

/** The record's key → fraction pairs of a list of given parts. */
const sharesByKey = <K extends string>(parts: { key: K; percent?: number; share?: number }[]) =>
  Object.fromEntries(parts.map((p) => [p.key, shareOf(p)])) as Partial<Record<K, number>>;

/** An import file's ages or genders: a map of key → percent ({ "18-24": 40 }). */
function filePercents<K extends string>(keys: readonly K[], what: string) {
  return z
    .object(Object.fromEntries(keys.map((k) => [k, percent.optional()])) as Record<K, z.ZodOptional<typeof percent>>)
    .strict()
    .superRefine((r, ctx) =>
      checkGroup(
        what,
        Object.values(r as Record<string, number | undefined>)
          .filter((v) => v !== undefined)
          .map((v) => ({ percent: v })),
        ctx,
      ),
    )
    .transform((r) =>
      sharesByKey(
        Object.entries(r as Record<string, number | undefined>).flatMap(([key, p]) =>
          p === undefined ? [] : [{ key: key as K, percent: p }],
        ),
      ),
    );
}

/**
 * An audience as the API (`api`) or an import file (`file`) gives it, checked in percent and turned into
 * the record (fractions). Every way in reads audiences through this, so a share is converted in one place
 * (`shareOf`) and refused with the same reasons everywhere.
 */
export function audienceIn(source: AudienceSource) {
  const countryParts =
    source === 'api'
      ? apiParts('country', country, 'a country').transform((parts) =>
          parts.map((p) => ({ country: p.key, percent: p.percent, share: p.share })),
        )
      : z
          .array(z.object({ country, percent: percent.optional(), share: fractionField(source, 'percent') }).check(whenValid(onePart)))
          .max(50)
          .refine((c) => unique(c.map((x) => x.country)), 'must not list a country twice');
  const cityParts = z
    .array(
      z
        .object({ city: z.string().trim().min(1).max(100), country, percent: percent.optional(), share: fractionField(source, 'percent') })
        .check(whenValid(onePart)),
    )
    .max(50);
  const ages =
    source === 'api'
      ? apiParts('ageBucket', bucketKey, 'an age bucket')
          .superRefine((parts, ctx) => checkGroup('age shares', parts, ctx))
          .transform(sharesByKey)
      : filePercents(AGE_BUCKETS, 'age shares');
  const genders =
    source === 'api'
      ? apiParts('gender', genderKey, 'a gender')
          .superRefine((parts, ctx) => checkGroup('gender shares', parts, ctx))
          .transform(sharesByKey)
      : filePercents(GENDERS, 'gender shares');
  return (
    z
      .object({
        ages: ages.optional(),
        genders: genders.optional(),
        countries: countryParts.superRefine((parts, ctx) => checkGroup('country shares', parts, ctx)).optional(),
        cities: cityParts.superRefine((parts, ctx) => checkGroup('city shares', parts, ctx, false)).optional(),
        interests: z.array(word).max(30).refine(unique, 'must not repeat').default([]),
        noProfilePicturePercent: percent.optional(),
        noProfilePictureShare: fractionField(source, 'noProfilePicturePercent'),
      })
      // Both valid (a field that failed its checks is left out): refused as both given.
      .superRefine((a, ctx) => {
        if (a.noProfilePicturePercent !== undefined && a.noProfilePictureShare !== undefined) {
          onePart(
            { percent: a.noProfilePicturePercent, share: a.noProfilePictureShare },
            ctx,
            'noProfilePicturePercent',
            'noProfilePictureShare',
          );
        }
      })
      .transform((a): AudienceRecord => ({
        ages: a.ages ?? {},
        genders: a.genders ?? {},
        countries: (a.countries ?? []).map((c) => ({ country: c.country, share: shareOf(c) })),
        cities: (a.cities ?? []).map((c) => ({ city: c.city, country: c.country, share: shareOf(c) })),
        interests: a.interests,
        noProfilePictureShare:
          a.noProfilePicturePercent === undefined && a.noProfilePictureShare === undefined
            ? null
            : shareOf({ percent: a.noProfilePicturePercent, share: a.noProfilePictureShare }),
      }))
  );
}

/** An audience as an import file writes it: every share in percent (0–100). */
export interface AudienceInPercent {
  ages: Partial<Record<(typeof AGE_BUCKETS)[number], number>>;
  genders: Partial<Record<(typeof GENDERS)[number], number>>;
  countries: { country: string; percent: number }[];
  cities: { city: string; country: string; percent: number }[];
  interests: string[];
  noProfilePicturePercent: number | null;
}

/**
 * A stored audience (fractions) in the import files' form (percent), for what writes import files (the
 * synthetic generator, hence `seed --out` and the benchmark). The inverse of `audienceIn('file')`.
 */
export function audienceInPercent(a: AudienceRecord): AudienceInPercent {
  const percents = <K extends string>(r: Partial<Record<K, number>>) =>
    Object.fromEntries(
      Object.entries<number | undefined>(r).flatMap(([k, v]) => (v === undefined ? [] : [[k, shareToPercent(v)]])),
    ) as Partial<Record<K, number>>;
  return {
    ages: percents(a.ages),
    genders: percents(a.genders),
    countries: a.countries.map((c) => ({ country: c.country, percent: shareToPercent(c.share) })),
    cities: a.cities.map((c) => ({ city: c.city, country: c.country, percent: shareToPercent(c.share) })),
    interests: a.interests,
    noProfilePicturePercent: a.noProfilePictureShare === null ? null : shareToPercent(a.noProfilePictureShare),
  };
}

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

/** An account, with its audience read by `audience` (the stored form, or one of the percent forms below). */
function accountWith<A extends z.ZodType<AudienceRecord | null | undefined>>(audience: A) {
  return z
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
      audience: audience,
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
}

/** An account as stored and as fetched from a platform's API (shares as fractions 0–1). */
export const accountSchema = accountWith(audienceSchema.nullable().default(null));
/** An account as `saveMyPlatformAccount` gives it (shares in percent, or the deprecated fraction fields). */
export const accountInputSchema = accountWith(audienceIn('api').nullable().default(null));
export type AccountRecord = z.infer<typeof accountSchema>;

/** One creator as an import file gives it (NDJSON: one per line; CSV is read into this shape): shares in percent. */
export const creatorRecordSchema = profileSchema.extend({
  accounts: z
    .array(accountWith(audienceIn('file').nullable().default(null)))
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
