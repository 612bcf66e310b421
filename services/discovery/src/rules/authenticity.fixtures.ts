/**
 * A labelled set of accounts for the authenticity model's tests (authenticity-labelled.test.ts): genuine
 * accounts across tiers and platforms, accounts with one strong fraud pattern (at least three of each, made
 * differently), accounts with two weak signs, and thin-evidence accounts. Every account is built from a few
 * numbers by `account()` below, with a seeded jitter per post, so the set is varied without being random.
 * Test data only: nothing in the service imports it.
 */
import type { AuthenticityInput } from './authenticity';
import type { CommentSample, CountryShare, FollowerCount, Platform, PostFormat, PostSample, Provenance } from './types';

export type AccountLabel = 'genuine' | 'strong_fraud' | 'two_weak_signs' | 'thin_evidence';

export interface LabelledAccount {
  name: string;
  label: AccountLabel;
  /** what makes it what it is, in words */
  pattern: string;
  platform: Platform;
  input: AuthenticityInput;
}

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 5, 1);

/** Deterministic jitter: a small PRNG (mulberry32) seeded per account. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Specific comments real fans write, in several languages (none is stock praise). */
const SPECIFIC = [
  'Which trail is this? Looks like the one near my town',
  'Tried your overnight oats recipe, added cinnamon and it was perfect',
  'How long did the whole edit take you?',
  'The colour grading on the second clip is so good, what preset?',
  'My daughter laughed so hard at the ending',
  'Can you do a part two about the budget?',
  'I bought the same jacket after your last video and it held up in the rain',
  'Where did you find that lamp?',
  'Finally someone explains the settings step by step',
  'This reminded me of our trip to Lisbon last spring',
  'Que receta tan buena, la hice el domingo con mi familia',
  'Onde você comprou essa mochila? Preciso de uma para a viagem',
  'Ich habe das Rezept ausprobiert, mit weniger Zucker klappt es auch',
  'Tu as utilisé quel objectif pour la photo du lac ?',
  'Ho provato il tuo allenamento, le gambe mi fanno ancora male',
  'Kak ini lokasinya di mana ya? Mau ke sana liburan nanti',
  'Bu tarifi denedim, fırında biraz daha uzun kaldı ama harika oldu',
  'Bhai yeh camera setting kaunsi hai, batao na please',
  'The part about saving for a deposit really helped me',
  'Your dog stealing the sock at the end made my day',
  'Did you film this on the new phone or the old camera?',
  'I have been following since your first video about the garden',
  'Please share the playlist from the intro',
  'That tip about batch cooking saved my whole week',
];

/** Stock praise and spam, in English and other languages. */
const GENERIC = [
  'Nice pic!',
  '🔥🔥🔥',
  'Love this',
  'Awesome',
  'so cute 😍',
  'Great content',
  'wow amazing',
  'Muy bonito',
  'que lindo',
  'Lindo demais!!',
  'trop beau',
  'Sehr schön',
  'bellissimo 😍',
  'keren banget kak',
  'çok güzel',
  'bahut badhiya bhai',
  '👏👏',
  'beautiful ❤️',
];

const SPAM = [
  'Send a DM to @growthhub_official to collab 💰',
  'Check my bio for a surprise',
  'want more followers? visit my profile',
  'Promote it on @viral_pages_daily',
  'Earn from home 👉 bit.ly/3xAmple',
  'We love your feed! DM us to become an ambassador',
  'Follow back? f4f',
  'promote your page with us, link in bio',
];

interface AccountSpec {
  followers: number;
  /** engagement rate by followers, percent */
  er: number;
  /** likes per comment */
  likesPerComment: number;
  posts?: number;
  /** sampled comments per post */
  commentsPerPost?: number;
  /** share of sampled comments that are stock praise */
  genericShare?: number;
  /** share of sampled comments that are promotional spam */
  spamShare?: number;
  /** accounts commenting on every post (a pod), and how many comments each writes per post */
  podAccounts?: number;
  podCommentsEach?: number;
  /** loyal fans commenting on most posts (not a pod: ≤ 10 % of comments) */
  superfans?: number;
  /** share of followers without a profile picture; null = audience without that share; undefined with audience null */
  noPicture?: number | null;
  audience?: CountryShare[] | null;
  markets?: string[];
  /** history: points, spacing in days, typical growth per interval (fraction), a spike (fraction of followers) at a point */
  history?: { points: number; spacingDays: number; growth: number; spike?: { at: number; gain: number } } | null;
  provenance?: Provenance;
  format?: PostFormat;
  seed: number;
}

const DEFAULT_AUDIENCE: CountryShare[] = [
  { country: 'US', share: 0.55 },
  { country: 'CA', share: 0.15 },
  { country: 'GB', share: 0.1 },
  { country: 'AU', share: 0.05 },
];

function historyOf(spec: NonNullable<AccountSpec['history']>, followers: number): FollowerCount[] {
  // Built backwards from today's count: each earlier point is smaller by the typical growth (and the spike).
  const counts: number[] = [followers];
  for (let i = spec.points - 1; i > 0; i--) {
    let previous = counts[0] / (1 + spec.growth);
    if (spec.spike && spec.spike.at === i) previous = previous / (1 + spec.spike.gain);
    counts.unshift(Math.round(previous));
  }
  const end = T0 + 120 * DAY;
  return counts.map((n, i) => ({ date: new Date(end - (spec.points - 1 - i) * spec.spacingDays * DAY), followers: n }));
}

function account(spec: AccountSpec): AuthenticityInput {
  const random = prng(spec.seed);
  const jitter = (spread: number) => 1 + (random() * 2 - 1) * spread;
  const postCount = spec.posts ?? 12;
  const perPost = spec.commentsPerPost ?? 10;
  const posts: PostSample[] = [];
  for (let i = 0; i < postCount; i++) {
    const engagements = ((spec.followers * spec.er) / 100) * jitter(0.15);
    const shares = Math.round(engagements * 0.03);
    const comments = Math.max(1, Math.round((engagements - shares) / (spec.likesPerComment * jitter(0.1) + 1)));
    const likes = Math.max(0, Math.round(engagements - shares - comments));
    const samples: CommentSample[] = [];
    for (let p = 0; p < (spec.podAccounts ?? 0); p++) {
      for (let k = 0; k < (spec.podCommentsEach ?? 1); k++)
        samples.push({ author: `pod_${spec.seed}_${p}`, text: SPECIFIC[(i + p + k) % SPECIFIC.length] });
    }
    for (let f = 0; f < (spec.superfans ?? 0); f++) {
      if ((i + f) % 3 !== 0) samples.push({ author: `superfan_${spec.seed}_${f}`, text: SPECIFIC[(i * 5 + f) % SPECIFIC.length] });
    }
    const rest = Math.max(0, perPost - samples.length);
    for (let j = 0; j < rest; j++) {
      const r = random();
      const author = `fan_${spec.seed}_${i}_${j}`;
      if (r < (spec.spamShare ?? 0)) samples.push({ author, text: SPAM[Math.floor(random() * SPAM.length)] });
      else if (r < (spec.spamShare ?? 0) + (spec.genericShare ?? 0))
        samples.push({ author, text: GENERIC[Math.floor(random() * GENERIC.length)] });
      else samples.push({ author, text: SPECIFIC[Math.floor(random() * SPECIFIC.length)] });
    }
    posts.push({
      postedAt: new Date(T0 + (120 - i * 4) * DAY),
      format: spec.format ?? 'reel',
      likes,
      comments,
      shares,
      saves: Math.round(engagements * 0.05),
      views: null,
      reach: null,
      caption: '',
      hashtags: [],
      commentSamples: samples,
    });
  }
  const audience =
    spec.audience === null
      ? null
      : {
          ages: { '18-24': 0.35, '25-34': 0.4, '35-44': 0.15 },
          genders: { female: 0.55, male: 0.45 },
          countries: spec.audience ?? DEFAULT_AUDIENCE,
          interests: ['lifestyle'],
          noProfilePictureShare: spec.noPicture === undefined ? 0.06 : spec.noPicture,
        };
  const history = spec.history === undefined ? { points: 10, spacingDays: 7, growth: 0.01 } : spec.history;
  return {
    followers: spec.followers,
    posts,
    audience,
    followerHistory: history === null ? [] : historyOf(history, spec.followers),
    creatorMarkets: spec.markets ?? ['US', 'CA', 'GB'],
    ownHandles: ['me'],
    provenance: spec.provenance ?? 'self_reported',
  };
}

const genuine = (name: string, platform: Platform, pattern: string, spec: AccountSpec): LabelledAccount => ({
  name,
  label: 'genuine',
  pattern,
  platform,
  input: account(spec),
});
const fraud = (name: string, platform: Platform, pattern: string, spec: AccountSpec): LabelledAccount => ({
  name,
  label: 'strong_fraud',
  pattern,
  platform,
  input: account(spec),
});
const twoWeak = (name: string, platform: Platform, pattern: string, spec: AccountSpec): LabelledAccount => ({
  name,
  label: 'two_weak_signs',
  pattern,
  platform,
  input: account(spec),
});
const thin = (name: string, platform: Platform, pattern: string, spec: AccountSpec): LabelledAccount => ({
  name,
  label: 'thin_evidence',
  pattern,
  platform,
  input: account(spec),
});

const BR_AUDIENCE: CountryShare[] = [
  { country: 'BR', share: 0.78 },
  { country: 'PT', share: 0.08 },
  { country: 'US', share: 0.04 },
];
const FOREIGN_AUDIENCE = (home: string, homeShare: number): CountryShare[] => [
  { country: home, share: homeShare },
  { country: 'IN', share: (1 - homeShare) * 0.4 },
  { country: 'BD', share: (1 - homeShare) * 0.25 },
  { country: 'PK', share: (1 - homeShare) * 0.2 },
  { country: 'NG', share: (1 - homeShare) * 0.1 },
];

export const LABELLED_ACCOUNTS: readonly LabelledAccount[] = [
  // --- genuine: every signal within its norm or barely outside, full evidence ------------------------
  genuine('nano-baker', 'instagram', 'nano, high engagement, chatty comments', {
    followers: 6_200,
    er: 9.5,
    likesPerComment: 18,
    genericShare: 0.12,
    superfans: 2,
    seed: 1,
  }),
  genuine('micro-runner', 'instagram', 'micro, steady weekly growth', {
    followers: 24_000,
    er: 5.2,
    likesPerComment: 30,
    genericShare: 0.1,
    superfans: 1,
    seed: 2,
  }),
  genuine('micro-tiktok-comedy', 'tiktok', 'micro on TikTok, high engagement, daily history', {
    followers: 61_000,
    er: 9.1,
    likesPerComment: 70,
    genericShare: 0.18,
    commentsPerPost: 14,
    format: 'short',
    history: { points: 30, spacingDays: 1, growth: 0.004 },
    provenance: 'fetched',
    seed: 3,
  }),
  genuine('macro-youtube-tech', 'youtube', 'macro on YouTube, monthly history, imported', {
    followers: 340_000,
    er: 2.4,
    likesPerComment: 40,
    genericShare: 0.08,
    format: 'video',
    history: { points: 8, spacingDays: 30, growth: 0.03 },
    provenance: 'imported',
    seed: 4,
  }),
  genuine('mega-fashion', 'instagram', 'mega, quiet comment section relative to likes', {
    followers: 2_300_000,
    er: 1.6,
    likesPerComment: 170,
    genericShare: 0.19,
    commentsPerPost: 20,
    provenance: 'fetched',
    seed: 5,
  }),
  genuine('micro-brazil-food', 'instagram', 'Brazilian creator, Portuguese audience and specific comments', {
    followers: 38_000,
    er: 4.4,
    likesPerComment: 25,
    genericShare: 0.15,
    audience: BR_AUDIENCE,
    markets: ['BR', 'PT'],
    seed: 6,
  }),
  genuine('nano-viral-once', 'tiktok', 'nano with one viral week: a mild spike (+6 % beyond typical)', {
    followers: 9_400,
    er: 11,
    likesPerComment: 45,
    genericShare: 0.14,
    format: 'short',
    history: { points: 12, spacingDays: 7, growth: 0.015, spike: { at: 8, gain: 0.06 } },
    seed: 7,
  }),
  genuine('macro-travel-foreign-fans', 'instagram', 'macro travel creator, half the audience abroad (within norm)', {
    followers: 180_000,
    er: 3.1,
    likesPerComment: 60,
    genericShare: 0.16,
    audience: [
      { country: 'DE', share: 0.42 },
      { country: 'AT', share: 0.1 },
      { country: 'IT', share: 0.2 },
      { country: 'ES', share: 0.15 },
    ],
    markets: ['DE', 'AT'],
    seed: 8,
  }),
  genuine('micro-fitness-slightly-low-er', 'instagram', 'micro with engagement a little under the band', {
    followers: 47_000,
    er: 2.6,
    likesPerComment: 22,
    genericShare: 0.11,
    superfans: 2,
    provenance: 'imported',
    seed: 9,
  }),
  genuine('mega-gaming-youtube', 'youtube', 'mega gaming channel, fetched', {
    followers: 4_100_000,
    er: 2.2,
    likesPerComment: 120,
    genericShare: 0.17,
    commentsPerPost: 25,
    format: 'video',
    history: { points: 6, spacingDays: 30, growth: 0.02 },
    provenance: 'fetched',
    seed: 10,
  }),
  genuine('nano-indonesia-crafts', 'instagram', 'Indonesian nano creator, some short praise, slightly many without picture', {
    followers: 3_800,
    er: 7.8,
    likesPerComment: 12,
    genericShare: 0.17,
    noPicture: 0.17,
    audience: [
      { country: 'ID', share: 0.85 },
      { country: 'MY', share: 0.08 },
    ],
    markets: ['ID', 'MY'],
    seed: 11,
  }),
  genuine('micro-threads-writer', 'threads', 'micro writer, conversation-heavy (low likes per comment)', {
    followers: 15_500,
    er: 3.9,
    likesPerComment: 11,
    genericShare: 0.05,
    format: 'post',
    seed: 12,
  }),

  // --- one strong fraud pattern -------------------------------------------------------------------------
  fraud('bought-followers-1', 'instagram', 'bought followers: +45 % in a week, engagement collapsed', {
    followers: 52_000,
    er: 1.2,
    likesPerComment: 30,
    genericShare: 0.15,
    history: { points: 10, spacingDays: 7, growth: 0.01, spike: { at: 7, gain: 0.45 } },
    seed: 101,
  }),
  fraud('bought-followers-2', 'tiktok', 'bought followers on a daily history: +30 % overnight, low engagement', {
    followers: 88_000,
    er: 1.8,
    likesPerComment: 50,
    genericShare: 0.12,
    format: 'short',
    history: { points: 20, spacingDays: 1, growth: 0.003, spike: { at: 12, gain: 0.3 } },
    seed: 102,
  }),
  fraud('bought-followers-3', 'instagram', 'bought followers seen in a monthly history, engagement under half the band', {
    followers: 140_000,
    er: 0.7,
    likesPerComment: 45,
    genericShare: 0.14,
    history: { points: 7, spacingDays: 30, growth: 0.02, spike: { at: 5, gain: 0.6 } },
    provenance: 'imported',
    seed: 103,
  }),
  fraud('bought-likes-1', 'instagram', 'bought likes: 420 likes per comment', {
    followers: 31_000,
    er: 8,
    likesPerComment: 420,
    genericShare: 0.12,
    seed: 111,
  }),
  fraud('bought-likes-2', 'tiktok', 'bought likes: 300 likes per comment on a micro TikTok', {
    followers: 72_000,
    er: 6,
    likesPerComment: 300,
    genericShare: 0.15,
    format: 'short',
    seed: 112,
  }),
  fraud('bought-likes-3', 'instagram', 'bought likes on a macro account: 650 likes per comment', {
    followers: 260_000,
    er: 4.5,
    likesPerComment: 650,
    genericShare: 0.1,
    provenance: 'fetched',
    seed: 113,
  }),
  fraud('pod-1', 'instagram', 'engagement pod: 5 accounts on every post write 2 comments each (~50 % of comments)', {
    followers: 18_000,
    er: 5,
    likesPerComment: 20,
    commentsPerPost: 20,
    podAccounts: 5,
    podCommentsEach: 2,
    genericShare: 0.1,
    seed: 121,
  }),
  fraud('pod-2', 'instagram', 'engagement pod: 4 accounts on every post (~27 % of comments)', {
    followers: 42_000,
    er: 4.1,
    likesPerComment: 25,
    commentsPerPost: 15,
    podAccounts: 4,
    genericShare: 0.1,
    seed: 122,
  }),
  fraud('pod-3', 'linkedin', 'engagement pod on LinkedIn: 8 accounts on every post (~40 %)', {
    followers: 12_500,
    er: 3.5,
    likesPerComment: 12,
    commentsPerPost: 20,
    podAccounts: 8,
    genericShare: 0.05,
    format: 'post',
    seed: 123,
  }),
  fraud('bot-comments-1', 'instagram', 'bot comments: 70 % stock praise in many languages', {
    followers: 27_000,
    er: 4.8,
    likesPerComment: 20,
    genericShare: 0.7,
    seed: 131,
  }),
  fraud('bot-comments-2', 'tiktok', 'spam bots: 45 % promotional spam plus 15 % stock praise', {
    followers: 64_000,
    er: 6.5,
    likesPerComment: 35,
    spamShare: 0.45,
    genericShare: 0.15,
    format: 'short',
    seed: 132,
  }),
  fraud('bot-comments-3', 'instagram', 'bot comments on a Brazilian account: "lindo demais", "que lindo"… 55 %', {
    followers: 22_000,
    er: 5.5,
    likesPerComment: 18,
    genericShare: 0.55,
    audience: BR_AUDIENCE,
    markets: ['BR'],
    seed: 133,
  }),
  fraud('foreign-audience-1', 'instagram', 'US creator, 85 % of the audience in countries they do not serve', {
    followers: 33_000,
    er: 4.2,
    likesPerComment: 28,
    genericShare: 0.12,
    audience: FOREIGN_AUDIENCE('US', 0.15),
    markets: ['US'],
    seed: 141,
  }),
  fraud('foreign-audience-2', 'instagram', 'German creator, 80 % of the audience outside DE/AT/CH', {
    followers: 120_000,
    er: 2.9,
    likesPerComment: 40,
    genericShare: 0.1,
    audience: FOREIGN_AUDIENCE('DE', 0.2),
    markets: ['DE', 'AT', 'CH'],
    seed: 142,
  }),
  fraud('foreign-audience-3', 'tiktok', 'UK nano creator, 90 % of the audience abroad', {
    followers: 7_900,
    er: 8,
    likesPerComment: 30,
    genericShare: 0.14,
    audience: FOREIGN_AUDIENCE('GB', 0.1),
    markets: ['GB'],
    format: 'short',
    seed: 143,
  }),
  fraud('no-picture-1', 'instagram', '45 % of followers without a profile picture', {
    followers: 29_000,
    er: 4,
    likesPerComment: 25,
    genericShare: 0.12,
    noPicture: 0.45,
    seed: 151,
  }),
  fraud('no-picture-2', 'instagram', '35 % of followers without a profile picture on a macro account', {
    followers: 150_000,
    er: 2.5,
    likesPerComment: 55,
    genericShare: 0.14,
    noPicture: 0.35,
    provenance: 'fetched',
    seed: 152,
  }),
  fraud('no-picture-3', 'tiktok', '28 % without a profile picture on a nano account', {
    followers: 8_800,
    er: 9,
    likesPerComment: 40,
    genericShare: 0.1,
    noPicture: 0.28,
    format: 'short',
    seed: 153,
  }),
  fraud('subtle-spike-1', 'instagram', 'subtle spike: +12 % in one week on an account growing 0.5 % a week', {
    followers: 45_000,
    er: 4.4,
    likesPerComment: 30,
    genericShare: 0.12,
    history: { points: 12, spacingDays: 7, growth: 0.005, spike: { at: 9, gain: 0.12 } },
    seed: 161,
  }),
  fraud('subtle-spike-2', 'instagram', 'subtle spike in a daily history: +10 % in a day', {
    followers: 26_000,
    er: 5,
    likesPerComment: 24,
    genericShare: 0.1,
    history: { points: 21, spacingDays: 1, growth: 0.001, spike: { at: 15, gain: 0.1 } },
    provenance: 'fetched',
    seed: 162,
  }),
  fraud('subtle-spike-3', 'youtube', 'subtle spike in a monthly history: +14 % in a month growing 1 %', {
    followers: 210_000,
    er: 2.8,
    likesPerComment: 50,
    genericShare: 0.1,
    format: 'video',
    history: { points: 8, spacingDays: 30, growth: 0.01, spike: { at: 6, gain: 0.14 } },
    seed: 163,
  }),

  // --- two weak signs together -------------------------------------------------------------------------
  twoWeak('weak-generic-and-no-picture', 'instagram', '30 % generic comments and 21 % without a picture', {
    followers: 36_000,
    er: 4.6,
    likesPerComment: 28,
    genericShare: 0.3,
    noPicture: 0.21,
    seed: 201,
  }),
  twoWeak('weak-low-er-and-foreign', 'instagram', 'engagement 2.4 % (band 3–10) and 53 % foreign audience', {
    followers: 58_000,
    er: 2.4,
    likesPerComment: 30,
    genericShare: 0.1,
    audience: FOREIGN_AUDIENCE('US', 0.44),
    markets: ['US'],
    seed: 202,
  }),
  twoWeak('weak-pod-and-spike', 'tiktok', 'a small pod (~15 % of comments) and a +7 % spike', {
    followers: 41_000,
    er: 6,
    likesPerComment: 40,
    commentsPerPost: 14,
    podAccounts: 2,
    genericShare: 0.1,
    format: 'short',
    history: { points: 10, spacingDays: 7, growth: 0.008, spike: { at: 6, gain: 0.066 } },
    seed: 203,
  }),
  twoWeak('weak-likes-and-generic', 'instagram', '150 likes per comment and 28 % generic comments', {
    followers: 21_000,
    er: 6.2,
    likesPerComment: 150,
    genericShare: 0.28,
    seed: 204,
  }),

  // --- thin evidence -----------------------------------------------------------------------------------
  thin('brand-new-one-post', 'instagram', 'a brand-new creator: one self-reported post, nothing else', {
    followers: 2_100,
    er: 6,
    likesPerComment: 20,
    posts: 1,
    commentsPerPost: 3,
    audience: null,
    history: null,
    seed: 301,
  }),
  thin('three-posts-no-audience', 'tiktok', 'three posts, no audience profile, no history', {
    followers: 14_000,
    er: 5,
    likesPerComment: 30,
    posts: 3,
    commentsPerPost: 6,
    audience: null,
    history: null,
    format: 'short',
    seed: 302,
  }),
  thin('posts-without-comments', 'youtube', 'twelve posts but no comment samples, no audience, two history points', {
    followers: 90_000,
    er: 3,
    likesPerComment: 40,
    commentsPerPost: 0,
    audience: null,
    history: { points: 2, spacingDays: 30, growth: 0.02 },
    format: 'video',
    provenance: 'imported',
    seed: 303,
  }),
  thin('imported-two-posts', 'instagram', 'imported with an audience profile but only two posts', {
    followers: 33_000,
    er: 4.5,
    likesPerComment: 25,
    posts: 2,
    commentsPerPost: 5,
    history: null,
    provenance: 'imported',
    seed: 304,
  }),
];
