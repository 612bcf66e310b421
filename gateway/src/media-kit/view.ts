/**
 * What the media-kit page shows, as plain strings and numbers for the template (template.ts): every
 * figure formatted here, every section a pure function of the kit that answers null when it has nothing
 * to show (the page leaves it out). The GraphQL selection of each section and figure sits beside what it
 * renders, so adding one (a "Sponsored vs organic" figure, say) is one entry in FIGURES or SECTIONS.
 */
import { BarChart, barChart } from '../pages/charts';
import { capitalised, compactCount, count, day, displayName, LOCALE, percent } from '../pages/format';

export { displayName };

/** The kit as the page's query returns it (the selections below decide which fields are there). */
export interface KitData {
  handle: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  niches: string[];
  languages: string[];
  country: string | null;
  region: string | null;
  city: string | null;
  path: string;
  stats?: StatsData | null;
  audience?: AudienceData | null;
  rates?: RateData[] | null;
  bestPosts?: PostData[] | null;
}
export interface StatsData {
  followers: number;
  tier: string;
  engagementRate: number | null;
  authenticityScore: number | null;
  authenticityConfidence: number | null;
  accounts: { platform: string; handle: string; followers: number; tier: string; engagementRate: number | null }[];
  [figure: string]: unknown;
}
/** `stats.sponsoredPerformance`: sponsored ÷ organic engagement of the headline account. */
interface SponsoredData {
  ratio: number | null;
  sponsoredPosts: number;
  organicPosts: number;
  sponsoredEngagementRate: number | null;
  organicEngagementRate: number | null;
}
interface Share {
  key: string;
  /** Percent of the audience (0–100). */
  percent: number;
}
export interface AudienceData {
  ages: Share[];
  genders: Share[];
  countries: Share[];
  interests: string[];
}
export interface RateData {
  platform: string;
  format: string;
  price: { amountMinor: number; currency: string; formatted: string };
}
export interface PostData {
  platform: string;
  format: string;
  postedAt: string;
  caption: string;
  url: string | null;
  engagements: number;
  engagementRate: number | null;
}

// ---- formatting ---------------------------------------------------------------------------------

const regionNames = new Intl.DisplayNames([LOCALE], { type: 'region', fallback: 'code' });
const countryName = (code: string) => {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code; // not a region code this runtime knows
  }
};
const languageNames = new Intl.DisplayNames([LOCALE], { type: 'language', fallback: 'code' });
const languageName = (code: string) => {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
};

const TIER_RANGES: Record<string, string> = {
  NANO: 'under 10k followers',
  MICRO: '10k–100k followers',
  MACRO: '100k–1M followers',
  MEGA: 'over 1M followers',
};

/** The page links and loads https URLs only (the API accepts no others; this keeps it so). */
export const httpsOrNull = (url: string | null | undefined) => (url && /^https:\/\//i.test(url) ? url : null);

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = (words.length > 1 ? [words[0], words[words.length - 1]] : words).map((w) => Array.from(w)[0] ?? '');
  return letters.join('').toUpperCase() || '?';
}

// ---- headline figures ---------------------------------------------------------------------------

export interface FigureView {
  label: string;
  value: string;
  note: string | null;
}
interface FigureDefinition {
  label: string;
  /** The fields of `MediaKit.stats` the figure reads. */
  select: string;
  /** The figure, or null when there is nothing to show (the tile is left out). */
  view(stats: StatsData): Omit<FigureView, 'label'> | null;
}

/** The headline figures, in order. */
export const FIGURES: FigureDefinition[] = [
  {
    label: 'Followers',
    select: 'followers',
    view: (s) => ({ value: compactCount(s.followers), note: `${count(s.followers)} on the largest account` }),
  },
  {
    label: 'Engagement rate',
    select: 'engagementRate',
    view: (s) => (s.engagementRate === null ? null : { value: percent(s.engagementRate), note: 'by followers' }),
  },
  {
    label: 'Authenticity',
    select: 'authenticityScore authenticityConfidence',
    view: (s) =>
      s.authenticityScore === null
        ? null
        : {
            value: `${s.authenticityScore}/100`,
            note: s.authenticityConfidence === null ? null : `confidence ${Math.round(s.authenticityConfidence * 100)} %`,
          },
  },
  {
    label: 'Sponsored vs organic',
    select: 'sponsoredPerformance { ratio sponsoredPosts organicPosts sponsoredEngagementRate organicEngagementRate gap explanation }',
    view: (s) => {
      const p = s.sponsoredPerformance as SponsoredData | null | undefined;
      if (!p || p.ratio === null) return null;
      return {
        value: `${p.ratio.toFixed(2)}×`,
        note: `${percent(p.sponsoredEngagementRate!)} on ${count(p.sponsoredPosts)} sponsored, ${percent(p.organicEngagementRate!)} on ${count(p.organicPosts)} organic posts`,
      };
    },
  },
  {
    label: 'Tier',
    select: 'tier',
    view: (s) => ({ value: displayName(s.tier), note: TIER_RANGES[s.tier] ?? null }),
  },
];

// ---- sections -----------------------------------------------------------------------------------

interface AccountView {
  platform: string;
  handle: string;
  followers: string;
  engagement: string | null;
  tier: string;
}
interface RateGroupView {
  platform: string;
  rates: { format: string; price: string }[];
}
interface PostView {
  platform: string;
  format: string;
  date: string;
  isoDate: string;
  caption: string | null;
  engagements: string;
  engagementRate: string | null;
  url: string | null;
}
interface AudienceView {
  charts: BarChart[];
  interests: string[] | null;
}

/** One section of the page; `partial` names its template in template.ts. */
export type SectionView =
  | { id: 'figures'; title: string; partial: 'figures'; figures: FigureView[] }
  | { id: 'accounts'; title: string; partial: 'accounts'; accounts: AccountView[] }
  | { id: 'audience'; title: string; partial: 'audience'; audience: AudienceView }
  | { id: 'rates'; title: string; partial: 'rates'; groups: RateGroupView[] }
  | { id: 'posts'; title: string; partial: 'posts'; posts: PostView[] };

interface SectionDefinition {
  /** The fields of `MediaKit` the section reads. */
  select: string;
  view(kit: KitData): SectionView | null;
}

const nonEmpty = <T>(items: T[]) => (items.length ? items : null);

/** The page's sections, in order. A section whose view is null (not published, or empty) is left out. */
export const SECTIONS: SectionDefinition[] = [
  {
    select: `stats { ${FIGURES.map((f) => f.select).join(' ')} }`,
    view: (kit) => {
      const stats = kit.stats;
      const figures = stats
        ? FIGURES.flatMap((f) => {
            const figure = f.view(stats);
            return figure ? [{ label: f.label, ...figure }] : [];
          })
        : [];
      return figures.length ? { id: 'figures', title: 'At a glance', partial: 'figures', figures } : null;
    },
  },
  {
    select: 'stats { accounts { platform handle followers tier engagementRate } }',
    view: (kit) => {
      const accounts = nonEmpty(kit.stats?.accounts ?? []);
      return accounts
        ? {
            id: 'accounts',
            title: 'Accounts',
            partial: 'accounts',
            accounts: accounts.map((a) => ({
              platform: displayName(a.platform),
              handle: a.handle,
              followers: count(a.followers),
              engagement: a.engagementRate === null ? null : percent(a.engagementRate),
              tier: displayName(a.tier),
            })),
          }
        : null;
    },
  },
  {
    select: 'audience { ages { key percent } genders { key percent } countries { key percent } interests }',
    view: (kit) => {
      const a = kit.audience;
      if (!a) return null;
      const charts = [
        barChart('Age', a.ages, (key) => key.replace('-', '–')),
        barChart('Gender', a.genders, capitalised),
        barChart('Top countries', a.countries.slice(0, 5), countryName),
      ].filter((c): c is BarChart => c !== null);
      const interests = nonEmpty(a.interests);
      return charts.length || interests
        ? { id: 'audience', title: 'Audience', partial: 'audience', audience: { charts, interests } }
        : null;
    },
  },
  {
    select: 'rates { platform format price { amountMinor currency formatted } }',
    view: (kit) => {
      const groups: RateGroupView[] = [];
      for (const r of kit.rates ?? []) {
        const platform = displayName(r.platform);
        let group = groups.find((g) => g.platform === platform);
        if (!group) groups.push((group = { platform, rates: [] }));
        // The API formats money with Intl.NumberFormat for the currency (the kit's formatMoney).
        group.rates.push({ format: displayName(r.format), price: r.price.formatted });
      }
      return groups.length ? { id: 'rates', title: 'Rates', partial: 'rates', groups } : null;
    },
  },
  {
    select: 'bestPosts { platform format postedAt caption url engagements engagementRate }',
    view: (kit) => {
      const posts = nonEmpty(kit.bestPosts ?? []);
      return posts
        ? {
            id: 'posts',
            title: 'Best posts',
            partial: 'posts',
            posts: posts.map((p) => ({
              platform: displayName(p.platform),
              format: displayName(p.format),
              date: day.format(new Date(p.postedAt)),
              isoDate: p.postedAt,
              caption: p.caption.trim() || null,
              engagements: `${count(p.engagements)} ${p.engagements === 1 ? 'engagement' : 'engagements'}`,
              engagementRate: p.engagementRate === null ? null : percent(p.engagementRate),
              url: httpsOrNull(p.url),
            })),
          }
        : null;
    },
  },
];

/** The public query the page runs: the header's fields and every section's selection. */
export const MEDIA_KIT_QUERY = `query MediaKitPage($handle: String!) {
  mediaKit(handle: $handle) {
    handle displayName bio avatarUrl niches languages country region city path
    ${SECTIONS.map((s) => s.select).join('\n    ')}
  }
}`;

// ---- the page -----------------------------------------------------------------------------------

export interface PageView {
  title: string;
  description: string;
  handle: string;
  displayName: string;
  initials: string;
  avatarUrl: string | null;
  niches: string[] | null;
  location: string | null;
  languages: string | null;
  bio: string | null;
  sections: SectionView[];
  jsonPath: string;
}

export function pageView(kit: KitData): PageView {
  const location = [kit.city, kit.region, kit.country && countryName(kit.country)].filter(Boolean).join(', ');
  const niches = nonEmpty(kit.niches);
  const summary = [
    niches && `${niches.join(', ')} creator`,
    kit.stats && `${compactCount(kit.stats.followers)} followers`,
    kit.stats?.engagementRate != null && `${percent(kit.stats.engagementRate)} engagement`,
  ]
    .filter(Boolean)
    .join(' · ');
  const bio = kit.bio.trim();
  return {
    title: `${kit.displayName} (@${kit.handle}) · Media kit`,
    description: truncate(bio || summary || `Media kit of @${kit.handle}`, 200),
    handle: kit.handle,
    displayName: kit.displayName,
    initials: initialsOf(kit.displayName),
    avatarUrl: httpsOrNull(kit.avatarUrl),
    niches,
    location: location || null,
    languages: kit.languages.length ? kit.languages.map(languageName).join(', ') : null,
    bio: bio || null,
    sections: SECTIONS.map((s) => s.view(kit)).filter((s): s is SectionView => s !== null),
    jsonPath: `${kit.path}.json`,
  };
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
