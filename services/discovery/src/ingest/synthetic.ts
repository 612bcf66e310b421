/**
 * A seeded generator of synthetic creators with realistic distributions, for demos, tests and benchmarks.
 *
 * Pure and deterministic: the same (count, seed, options) always yields the same records (no Date.now(),
 * no Math.random(); `options.now` fixes the clock, by default today 00:00 UTC). Records are shaped as one
 * line of an NDJSON import (dates as ISO strings) and pass `creatorRecordSchema`.
 *
 * Distributions (see docs/import.md):
 * - Followers of the headline account: log-normal (median ≈ 32k, σ = 1.0 in ln) with a 1 % Pareto tail,
 *   clamped to 300 … 50M: ≈ 12 % nano, ≈ 74 % micro, ≈ 13 % macro, ≈ 0.3 % mega; other accounts are
 *   5–80 % of the headline one.
 * - Engagement by followers falls with size (interpolated in log10(followers): ≈ 8.5 % at 1k, 6 % at 10k,
 *   3 % at 100k, 1.5 % at 1M, 0.9 % at 10M), times log-normal noise (σ = 0.2) and a platform factor
 *   (medians per tier: nano ≈ 6.4 %, micro ≈ 4.2 %, macro ≈ 2.5 %, mega ≈ 1.2 %).
 * - 1–3 accounts per creator (50/35/15 %) over the 9 platforms, weighted (Instagram, TikTok, YouTube most)
 *   and biased by niche (gaming → Twitch, Discord; finance → LinkedIn, ...).
 * - 25 niches (1–3 per creator), 30 countries weighted, languages matched to the country, cities and
 *   regions for ~60 %, 1–3 content styles.
 * - Audience: age buckets and genders by niche and platform, 3–6 top countries biased to the creator's,
 *   interests from the niches, 2–10 % followers without a profile picture.
 * - 6–12 monthly follower-history points of smooth growth; 6–12 recent posts (every 2–7 days) with niche
 *   captions and hashtags and 3–6 comment samples.
 * - ≈ 8 % of accounts (FAKE_ACCOUNT_SHARE) show fake-follower signs, 3–6 of: engagement far off the tier
 *   norm (bought followers or bought likes), mostly generic comments ("Nice pic!", emoji), the same
 *   commenters on every post, a sudden follower spike, 25–55 % followers without a profile picture, an
 *   audience in countries unrelated to the creator's.
 *
 * `lite: true` (used by the 1M benchmark) keeps every distribution but writes less per account: 4 posts
 * with 2 comment samples each and short captions, 3 history points, no audience cities.
 */

/** Share of accounts generated with fake-follower signs. */
export const FAKE_ACCOUNT_SHARE = 0.08;

export interface SyntheticOptions {
  /** Fewer posts, comments and history points per account (for bulk benchmarks). */
  lite?: boolean;
  /** The clock: posts and history end at this time. Default: today 00:00 UTC. */
  now?: Date | string | number;
  /** Index of the first creator (handles carry it, so ranges of one seed never collide). Default 0. */
  offset?: number;
  /**
   * Adds `synthetic: { fake: true }` to accounts generated with fake signs (for tests). The import
   * schema ignores unknown keys.
   */
  annotate?: boolean;
}

export interface SyntheticComment {
  author: string;
  text: string;
}
export interface SyntheticPost {
  postedAt: string;
  format: string;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  views: number | null;
  reach: number | null;
  caption: string;
  hashtags: string[];
  commentSamples: SyntheticComment[];
}
export interface SyntheticAudience {
  ages: Record<string, number>;
  genders: Record<string, number>;
  countries: { country: string; share: number }[];
  cities: { city: string; country: string; share: number }[];
  interests: string[];
  noProfilePictureShare: number;
}
export interface SyntheticAccount {
  platform: string;
  handle: string;
  followers: number;
  following: number;
  postCount: number;
  audience: SyntheticAudience;
  followerHistory: { date: string; followers: number }[];
  posts: SyntheticPost[];
  synthetic?: { fake: boolean };
}
/** One creator as a line of an NDJSON import (what `creatorRecordSchema` parses). */
export interface SyntheticCreator {
  handle: string;
  displayName: string;
  bio: string;
  niches: string[];
  contentStyles: string[];
  languages: string[];
  country: string;
  region: string | null;
  city: string | null;
  markets: string[];
  accounts: SyntheticAccount[];
}

// ---------------------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through splitmix32 (fast, 128-bit state, passes PractRand to 2^38+)
// ---------------------------------------------------------------------------------------------------

/** 32-bit hash of a string seed (FNV-1a), so "demo" and 42 both work as seeds. */
function hashSeed(seed: number | string): number {
  if (typeof seed === 'number' && Number.isFinite(seed)) return seed >>> 0 || 0x9e3779b9;
  let h = 0x811c9dc5;
  const s = String(seed);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number | string) {
    let s = hashSeed(seed);
    const split = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** Weighted choice over a fixed table, by binary search in the cumulative weights. */
class Weighted<T> {
  readonly items: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map((e) => e[0]);
    let sum = 0;
    this.cumulative = entries.map((e) => (sum += e[1]));
    this.total = sum;
  }

  pick(rng: Random): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

// ---------------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------------

interface CountryInfo {
  weight: number;
  languages: [string, ...string[]];
  /** [city, region] */
  cities: [string, string][];
  /** Countries a creator here also works for, and where their audience also lives. */
  near: string[];
  names: 'en' | 'es' | 'pt' | 'de' | 'fr' | 'it' | 'nl' | 'nordic' | 'pl' | 'tr' | 'in' | 'asia' | 'ar';
}

const COUNTRIES: Record<string, CountryInfo> = {
  US: {
    weight: 22,
    languages: ['en'],
    cities: [
      ['Los Angeles', 'California'],
      ['New York', 'New York'],
      ['Austin', 'Texas'],
      ['Miami', 'Florida'],
      ['Chicago', 'Illinois'],
      ['Seattle', 'Washington'],
    ],
    near: ['CA', 'GB', 'MX', 'AU'],
    names: 'en',
  },
  GB: {
    weight: 7,
    languages: ['en'],
    cities: [
      ['London', 'England'],
      ['Manchester', 'England'],
      ['Edinburgh', 'Scotland'],
      ['Bristol', 'England'],
    ],
    near: ['IE', 'US', 'AU', 'CA'],
    names: 'en',
  },
  DE: {
    weight: 6,
    languages: ['de'],
    cities: [
      ['Berlin', 'Berlin'],
      ['Munich', 'Bavaria'],
      ['Hamburg', 'Hamburg'],
      ['Cologne', 'North Rhine-Westphalia'],
    ],
    near: ['AT', 'CH', 'NL'],
    names: 'de',
  },
  FR: {
    weight: 5,
    languages: ['fr'],
    cities: [
      ['Paris', 'Île-de-France'],
      ['Lyon', 'Auvergne-Rhône-Alpes'],
      ['Marseille', "Provence-Alpes-Côte d'Azur"],
      ['Bordeaux', 'Nouvelle-Aquitaine'],
    ],
    near: ['BE', 'CH', 'CA'],
    names: 'fr',
  },
  BR: {
    weight: 7,
    languages: ['pt'],
    cities: [
      ['São Paulo', 'São Paulo'],
      ['Rio de Janeiro', 'Rio de Janeiro'],
      ['Belo Horizonte', 'Minas Gerais'],
      ['Curitiba', 'Paraná'],
    ],
    near: ['PT', 'AR', 'US'],
    names: 'pt',
  },
  IN: {
    weight: 8,
    languages: ['en', 'hi'],
    cities: [
      ['Mumbai', 'Maharashtra'],
      ['Delhi', 'Delhi'],
      ['Bengaluru', 'Karnataka'],
      ['Hyderabad', 'Telangana'],
    ],
    near: ['AE', 'US', 'GB'],
    names: 'in',
  },
  CA: {
    weight: 3,
    languages: ['en'],
    cities: [
      ['Toronto', 'Ontario'],
      ['Vancouver', 'British Columbia'],
      ['Montreal', 'Quebec'],
    ],
    near: ['US', 'GB'],
    names: 'en',
  },
  AU: {
    weight: 2.5,
    languages: ['en'],
    cities: [
      ['Sydney', 'New South Wales'],
      ['Melbourne', 'Victoria'],
      ['Brisbane', 'Queensland'],
    ],
    near: ['NZ', 'GB', 'US'],
    names: 'en',
  },
  ES: {
    weight: 4,
    languages: ['es'],
    cities: [
      ['Madrid', 'Madrid'],
      ['Barcelona', 'Catalonia'],
      ['Valencia', 'Valencia'],
      ['Seville', 'Andalusia'],
    ],
    near: ['MX', 'AR', 'CO'],
    names: 'es',
  },
  IT: {
    weight: 4,
    languages: ['it'],
    cities: [
      ['Milan', 'Lombardy'],
      ['Rome', 'Lazio'],
      ['Naples', 'Campania'],
      ['Turin', 'Piedmont'],
    ],
    near: ['CH', 'ES', 'FR'],
    names: 'it',
  },
  MX: {
    weight: 4,
    languages: ['es'],
    cities: [
      ['Mexico City', 'CDMX'],
      ['Guadalajara', 'Jalisco'],
      ['Monterrey', 'Nuevo León'],
    ],
    near: ['US', 'CO', 'ES'],
    names: 'es',
  },
  NL: {
    weight: 1.5,
    languages: ['nl', 'en'],
    cities: [
      ['Amsterdam', 'North Holland'],
      ['Rotterdam', 'South Holland'],
      ['Utrecht', 'Utrecht'],
    ],
    near: ['BE', 'DE', 'GB'],
    names: 'nl',
  },
  SE: {
    weight: 1,
    languages: ['sv', 'en'],
    cities: [
      ['Stockholm', 'Stockholm'],
      ['Gothenburg', 'Västra Götaland'],
    ],
    near: ['NO', 'DK', 'FI'],
    names: 'nordic',
  },
  PL: {
    weight: 1.5,
    languages: ['pl'],
    cities: [
      ['Warsaw', 'Masovia'],
      ['Kraków', 'Lesser Poland'],
      ['Wrocław', 'Lower Silesia'],
    ],
    near: ['DE', 'GB'],
    names: 'pl',
  },
  TR: {
    weight: 2,
    languages: ['tr'],
    cities: [
      ['Istanbul', 'Istanbul'],
      ['Ankara', 'Ankara'],
      ['Izmir', 'Izmir'],
    ],
    near: ['DE', 'AZ'],
    names: 'tr',
  },
  ID: {
    weight: 3,
    languages: ['id'],
    cities: [
      ['Jakarta', 'Jakarta'],
      ['Bandung', 'West Java'],
      ['Surabaya', 'East Java'],
    ],
    near: ['MY', 'SG'],
    names: 'asia',
  },
  JP: {
    weight: 3,
    languages: ['ja'],
    cities: [
      ['Tokyo', 'Tokyo'],
      ['Osaka', 'Osaka'],
      ['Fukuoka', 'Fukuoka'],
    ],
    near: ['KR', 'TW', 'US'],
    names: 'asia',
  },
  KR: {
    weight: 1.5,
    languages: ['ko'],
    cities: [
      ['Seoul', 'Seoul'],
      ['Busan', 'Busan'],
    ],
    near: ['JP', 'US'],
    names: 'asia',
  },
  PH: {
    weight: 2,
    languages: ['en', 'tl'],
    cities: [
      ['Manila', 'Metro Manila'],
      ['Cebu City', 'Cebu'],
    ],
    near: ['US', 'AE', 'SG'],
    names: 'asia',
  },
  NG: {
    weight: 1.5,
    languages: ['en'],
    cities: [
      ['Lagos', 'Lagos'],
      ['Abuja', 'FCT'],
    ],
    near: ['GH', 'GB', 'US'],
    names: 'en',
  },
  ZA: {
    weight: 1,
    languages: ['en'],
    cities: [
      ['Cape Town', 'Western Cape'],
      ['Johannesburg', 'Gauteng'],
    ],
    near: ['GB', 'NG'],
    names: 'en',
  },
  AR: {
    weight: 1.5,
    languages: ['es'],
    cities: [
      ['Buenos Aires', 'Buenos Aires'],
      ['Córdoba', 'Córdoba'],
    ],
    near: ['UY', 'CL', 'ES'],
    names: 'es',
  },
  CO: {
    weight: 1,
    languages: ['es'],
    cities: [
      ['Bogotá', 'Bogotá'],
      ['Medellín', 'Antioquia'],
    ],
    near: ['MX', 'US', 'ES'],
    names: 'es',
  },
  AE: {
    weight: 1,
    languages: ['ar', 'en'],
    cities: [
      ['Dubai', 'Dubai'],
      ['Abu Dhabi', 'Abu Dhabi'],
    ],
    near: ['SA', 'IN', 'GB'],
    names: 'ar',
  },
  SA: {
    weight: 1,
    languages: ['ar'],
    cities: [
      ['Riyadh', 'Riyadh'],
      ['Jeddah', 'Makkah'],
    ],
    near: ['AE', 'EG', 'KW'],
    names: 'ar',
  },
  EG: {
    weight: 1,
    languages: ['ar'],
    cities: [
      ['Cairo', 'Cairo'],
      ['Alexandria', 'Alexandria'],
    ],
    near: ['SA', 'AE'],
    names: 'ar',
  },
  TH: {
    weight: 1.5,
    languages: ['th'],
    cities: [
      ['Bangkok', 'Bangkok'],
      ['Chiang Mai', 'Chiang Mai'],
    ],
    near: ['MY', 'SG'],
    names: 'asia',
  },
  VN: {
    weight: 1,
    languages: ['vi'],
    cities: [
      ['Ho Chi Minh City', 'Ho Chi Minh City'],
      ['Hanoi', 'Hanoi'],
    ],
    near: ['US', 'AU'],
    names: 'asia',
  },
  PT: {
    weight: 1,
    languages: ['pt'],
    cities: [
      ['Lisbon', 'Lisbon'],
      ['Porto', 'Porto'],
    ],
    near: ['BR', 'ES', 'FR'],
    names: 'pt',
  },
  IE: {
    weight: 0.5,
    languages: ['en'],
    cities: [
      ['Dublin', 'Leinster'],
      ['Cork', 'Munster'],
    ],
    near: ['GB', 'US'],
    names: 'en',
  },
};
const COUNTRY_CODES = Object.keys(COUNTRIES);
const COUNTRY_PICK = new Weighted(COUNTRY_CODES.map((c) => [c, COUNTRIES[c].weight] as const));
/** Where bought followers come from: countries no creator here declares as a market. */
const FARM_COUNTRIES = ['BD', 'PK', 'KE', 'VE', 'LK', 'NP', 'KH', 'MM', 'ET', 'UZ'];
/** A few places everyone's audience also lives, for the tail of the country list. */
const GLOBAL_AUDIENCE = ['US', 'GB', 'IN', 'BR', 'DE', 'CA', 'AU'];

const LANGUAGE_EXTRA: Record<string, [string, number][]> = {
  US: [['es', 0.12]],
  CA: [['fr', 0.2]],
  IN: [['ta', 0.05]],
  DE: [['en', 0.2]],
  FR: [['en', 0.1]],
  ES: [
    ['en', 0.1],
    ['ca', 0.08],
  ],
  BR: [['en', 0.08]],
};

const NAMES: Record<CountryInfo['names'], { first: string[]; last: string[] }> = {
  en: {
    first: [
      'Emma',
      'Olivia',
      'Ava',
      'Mia',
      'Noah',
      'Liam',
      'James',
      'Lucas',
      'Chloe',
      'Grace',
      'Maya',
      'Ethan',
      'Zoe',
      'Jack',
      'Ruby',
      'Leo',
      'Ella',
      'Owen',
      'Nia',
      'Sam',
    ],
    last: [
      'Smith',
      'Johnson',
      'Brown',
      'Taylor',
      'Miller',
      'Davis',
      'Wilson',
      'Moore',
      'Clark',
      'Hall',
      'Young',
      'King',
      'Wright',
      'Scott',
      'Green',
      'Adams',
      'Baker',
      'Nelson',
      'Carter',
      'Reed',
    ],
  },
  es: {
    first: ['Sofía', 'Lucía', 'Valentina', 'Camila', 'Mateo', 'Santiago', 'Diego', 'Daniela', 'Alejandro', 'Paula', 'Javier', 'Martina'],
    last: ['García', 'Martínez', 'López', 'Hernández', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Rivera', 'Gómez'],
  },
  pt: {
    first: ['Ana', 'Beatriz', 'Larissa', 'Gabriel', 'Rafael', 'Pedro', 'Juliana', 'Thiago', 'Mariana', 'João', 'Inês', 'Tiago'],
    last: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Costa', 'Pereira', 'Ferreira', 'Almeida', 'Carvalho', 'Rodrigues', 'Lima', 'Gomes'],
  },
  de: {
    first: ['Lena', 'Hannah', 'Lea', 'Jonas', 'Felix', 'Lukas', 'Paul', 'Marie', 'Anna', 'Leon', 'Sophie', 'Max'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Koch', 'Richter', 'Klein'],
  },
  fr: {
    first: ['Léa', 'Chloé', 'Manon', 'Camille', 'Hugo', 'Louis', 'Jules', 'Inès', 'Lucas', 'Jade', 'Arthur', 'Clara'],
    last: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent'],
  },
  it: {
    first: ['Giulia', 'Sofia', 'Aurora', 'Alessandro', 'Lorenzo', 'Matteo', 'Chiara', 'Francesco', 'Giorgia', 'Marco', 'Elena', 'Luca'],
    last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo'],
  },
  nl: {
    first: ['Sanne', 'Fleur', 'Daan', 'Sem', 'Lotte', 'Bram', 'Noor', 'Thijs', 'Eva', 'Jesse'],
    last: ['de Jong', 'Jansen', 'de Vries', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder'],
  },
  nordic: {
    first: ['Elsa', 'Astrid', 'Freja', 'Oskar', 'Elias', 'Hugo', 'Saga', 'Axel', 'Ida', 'Nils'],
    last: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Lindberg', 'Berg'],
  },
  pl: {
    first: ['Zuzanna', 'Julia', 'Maja', 'Jakub', 'Kacper', 'Antoni', 'Hanna', 'Szymon', 'Alicja', 'Filip'],
    last: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Woźniak'],
  },
  tr: {
    first: ['Zeynep', 'Elif', 'Defne', 'Yusuf', 'Eymen', 'Ömer', 'Ecrin', 'Mustafa', 'Asya', 'Emir'],
    last: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir'],
  },
  in: {
    first: ['Aarav', 'Vivaan', 'Aditya', 'Ananya', 'Diya', 'Isha', 'Rohan', 'Priya', 'Kabir', 'Saanvi', 'Arjun', 'Meera'],
    last: ['Sharma', 'Verma', 'Patel', 'Gupta', 'Singh', 'Kumar', 'Reddy', 'Iyer', 'Nair', 'Mehta', 'Kapoor', 'Joshi'],
  },
  asia: {
    first: ['Yuki', 'Hana', 'Min-jun', 'Seo-yeon', 'Putri', 'Budi', 'Mai', 'Linh', 'Niran', 'Ploy', 'Angel', 'Miguel'],
    last: ['Tanaka', 'Sato', 'Kim', 'Park', 'Santoso', 'Wijaya', 'Nguyen', 'Tran', 'Srisuk', 'Reyes', 'Cruz', 'Lee'],
  },
  ar: {
    first: ['Layla', 'Nour', 'Omar', 'Yousef', 'Fatima', 'Ahmed', 'Sara', 'Khaled', 'Mariam', 'Hassan'],
    last: ['Al-Sayed', 'Haddad', 'Mansour', 'Nasser', 'Khalil', 'Farouk', 'Saleh', 'Hamdan', 'Aziz', 'Rahman'],
  },
};

interface NicheInfo {
  weight: number;
  hashtags: string[];
  interests: string[];
  /** Caption fragments; a caption is one or two of them. */
  captions: string[];
  styles: string[];
  /** Share of female audience. */
  female: number;
  /** Multipliers of PLATFORM_WEIGHTS for this niche. */
  platforms?: Partial<Record<string, number>>;
  /** Audience age skew: + older, − younger. */
  age?: number;
}

const NICHES: Record<string, NicheInfo> = {
  fashion: {
    weight: 9,
    hashtags: ['ootd', 'fashion', 'style', 'streetstyle', 'outfitinspo', 'thrifted'],
    interests: ['fashion', 'shopping', 'beauty', 'design'],
    captions: [
      'Three ways to style one blazer',
      'Thrift haul: everything under $20',
      'Outfit of the week, rate it 1–10',
      'Capsule wardrobe for autumn',
    ],
    styles: ['lookbook', 'haul', 'review'],
    female: 0.72,
    platforms: { instagram: 1.4, tiktok: 1.2 },
  },
  beauty: {
    weight: 8,
    hashtags: ['makeup', 'beauty', 'grwm', 'makeuptutorial', 'skincare', 'glowup'],
    interests: ['beauty', 'skincare', 'fashion', 'wellness'],
    captions: [
      'Get ready with me for a wedding',
      'Drugstore dupes that beat the luxury ones',
      'Five-minute everyday makeup',
      'My honest review of the new palette',
    ],
    styles: ['tutorial', 'review', 'grwm'],
    female: 0.82,
    platforms: { instagram: 1.3, tiktok: 1.3, youtube: 1.1 },
  },
  skincare: {
    weight: 4,
    hashtags: ['skincare', 'skincareroutine', 'spf', 'acne', 'glowingskin'],
    interests: ['skincare', 'beauty', 'wellness'],
    captions: ['My night routine for dry skin', 'Dermatologist-approved SPF picks', 'Retinol mistakes to avoid'],
    styles: ['tutorial', 'review', 'educational'],
    female: 0.78,
    platforms: { instagram: 1.2, tiktok: 1.3 },
  },
  fitness: {
    weight: 7,
    hashtags: ['fitness', 'workout', 'gym', 'homeworkout', 'fitfam', 'strengthtraining'],
    interests: ['fitness', 'nutrition', 'wellness', 'sports'],
    captions: [
      '20-minute full-body workout, no equipment',
      'How I added 20 kg to my squat',
      'Leg day, be honest how sore are you',
      'Beginner gym plan for week one',
    ],
    styles: ['tutorial', 'challenge', 'vlog'],
    female: 0.52,
    platforms: { instagram: 1.2, youtube: 1.1 },
  },
  food: {
    weight: 8,
    hashtags: ['food', 'foodie', 'recipe', 'homecooking', 'easyrecipes', 'foodporn'],
    interests: ['food', 'cooking', 'restaurants', 'travel'],
    captions: [
      'One-pan pasta in 15 minutes',
      'Rating every taco in town',
      'Meal prep for the whole week under $30',
      'Grandma’s bread recipe finally shared',
    ],
    styles: ['recipe', 'review', 'tutorial'],
    female: 0.6,
    platforms: { tiktok: 1.2, instagram: 1.2, youtube: 1.1 },
  },
  travel: {
    weight: 6,
    hashtags: ['travel', 'wanderlust', 'travelgram', 'roadtrip', 'hiddengems', 'traveltips'],
    interests: ['travel', 'photography', 'food', 'outdoors'],
    captions: [
      'Three days in Lisbon on a budget',
      'The hidden beach nobody talks about',
      'Packing list for two weeks carry-on only',
      'Sunrise hike worth every step',
    ],
    styles: ['vlog', 'photo-essay', 'storytelling'],
    female: 0.58,
    platforms: { instagram: 1.3, youtube: 1.2 },
  },
  gaming: {
    weight: 7,
    hashtags: ['gaming', 'gamer', 'twitchstreamer', 'esports', 'pcgaming', 'speedrun'],
    interests: ['gaming', 'tech', 'esports', 'anime'],
    captions: [
      'Clutch of the week, watch till the end',
      'Ranking every boss in the DLC',
      'Streaming the new season tonight',
      'My budget PC build for 1440p',
    ],
    styles: ['live-stream', 'reaction', 'review'],
    female: 0.28,
    platforms: { twitch: 6, discord: 5, youtube: 1.6, instagram: 0.5 },
    age: -1,
  },
  tech: {
    weight: 5,
    hashtags: ['tech', 'gadgets', 'unboxing', 'smartphone', 'setup', 'ai'],
    interests: ['tech', 'gadgets', 'gaming', 'productivity'],
    captions: [
      'Unboxing the new phone, first impressions',
      'My desk setup tour 2025',
      'Is this laptop worth it after six months',
      'Three AI tools I use every day',
    ],
    styles: ['unboxing', 'review', 'tutorial'],
    female: 0.3,
    platforms: { youtube: 1.8, x: 2, linkedin: 1.5 },
  },
  parenting: {
    weight: 4,
    hashtags: ['momlife', 'parenting', 'dadlife', 'toddler', 'familytime'],
    interests: ['parenting', 'family', 'education', 'home'],
    captions: ['Toddler lunch ideas that actually get eaten', 'Our bedtime routine that finally works', 'What is in my diaper bag'],
    styles: ['vlog', 'day-in-the-life', 'tutorial'],
    female: 0.85,
    platforms: { instagram: 1.3, facebook: 2.5 },
    age: 1,
  },
  finance: {
    weight: 4,
    hashtags: ['personalfinance', 'investing', 'budgeting', 'money', 'fire'],
    interests: ['finance', 'investing', 'career', 'entrepreneurship'],
    captions: ['How I paid off $30k in two years', 'Index funds explained in 60 seconds', 'My monthly budget, every number'],
    styles: ['educational', 'explainer', 'storytelling'],
    female: 0.4,
    platforms: { linkedin: 4, youtube: 1.5, x: 2 },
    age: 1,
  },
  'home-decor': {
    weight: 4,
    hashtags: ['homedecor', 'interiordesign', 'homemakeover', 'diyhome', 'cozyhome'],
    interests: ['home', 'design', 'diy', 'shopping'],
    captions: ['Rental-friendly living room makeover', 'Before and after: the tiny kitchen', 'Styling shelves in five steps'],
    styles: ['before-after', 'tutorial', 'haul'],
    female: 0.78,
    platforms: { instagram: 1.5, facebook: 1.3 },
    age: 1,
  },
  pets: {
    weight: 4,
    hashtags: ['dogsofinstagram', 'catsoftiktok', 'puppy', 'petlover', 'adoptdontshop'],
    interests: ['pets', 'animals', 'outdoors', 'family'],
    captions: ['He heard the word walk', 'Training tip: stop the leash pulling', 'Rescue day, one year later'],
    styles: ['comedy', 'day-in-the-life', 'tutorial'],
    female: 0.66,
    platforms: { tiktok: 1.4, instagram: 1.3 },
  },
  music: {
    weight: 5,
    hashtags: ['music', 'singer', 'cover', 'producer', 'newmusic', 'guitar'],
    interests: ['music', 'concerts', 'art', 'dance'],
    captions: ['Acoustic cover, what should I play next', 'Making a beat from a kitchen sound', 'New single out Friday'],
    styles: ['performance', 'behind-the-scenes', 'tutorial'],
    female: 0.5,
    platforms: { tiktok: 1.3, youtube: 1.4 },
    age: -1,
  },
  comedy: {
    weight: 5,
    hashtags: ['comedy', 'funny', 'sketch', 'relatable', 'memes'],
    interests: ['comedy', 'movies', 'music', 'memes'],
    captions: ['When the group chat plans a trip', 'Every office meeting ever', 'Part 2 because you asked'],
    styles: ['sketch', 'comedy', 'skit'],
    female: 0.5,
    platforms: { tiktok: 1.8, instagram: 1.1 },
    age: -1,
  },
  education: {
    weight: 3,
    hashtags: ['learnontiktok', 'studytips', 'science', 'history', 'edutok'],
    interests: ['education', 'science', 'books', 'career'],
    captions: ['Why the sky is blue, properly explained', 'Study method that doubled my grades', 'History fact you were never taught'],
    styles: ['educational', 'explainer', 'tutorial'],
    female: 0.55,
    platforms: { youtube: 1.6, tiktok: 1.2, linkedin: 1.5 },
  },
  sports: {
    weight: 4,
    hashtags: ['football', 'basketball', 'soccer', 'running', 'athlete'],
    interests: ['sports', 'fitness', 'football', 'nutrition'],
    captions: ['Matchday vlog from the stands', 'Drills I do every morning', 'Predictions for the weekend'],
    styles: ['vlog', 'analysis', 'challenge'],
    female: 0.3,
    platforms: { youtube: 1.3, x: 1.6 },
  },
  outdoors: {
    weight: 3,
    hashtags: ['hiking', 'camping', 'outdoors', 'nature', 'trailrunning'],
    interests: ['outdoors', 'travel', 'fitness', 'photography'],
    captions: ['Solo camping in the rain, worth it?', 'Gear I actually use on long hikes', 'The trail that almost beat me'],
    styles: ['vlog', 'photo-essay', 'review'],
    female: 0.45,
    platforms: { instagram: 1.3, youtube: 1.3 },
  },
  photography: {
    weight: 3,
    hashtags: ['photography', 'photooftheday', 'portrait', 'filmphotography', 'landscape'],
    interests: ['photography', 'art', 'travel', 'design'],
    captions: ['Same spot, three lenses', 'Editing this shot from raw', 'Film vs digital, can you tell'],
    styles: ['tutorial', 'behind-the-scenes', 'photo-essay'],
    female: 0.45,
    platforms: { instagram: 1.6, youtube: 1.1 },
  },
  art: {
    weight: 3,
    hashtags: ['art', 'illustration', 'painting', 'artist', 'sketchbook'],
    interests: ['art', 'design', 'diy', 'books'],
    captions: ['Painting this in one sitting', 'Sketchbook tour, messy pages included', 'Commission process start to finish'],
    styles: ['timelapse', 'tutorial', 'behind-the-scenes'],
    female: 0.62,
    platforms: { instagram: 1.4, tiktok: 1.1 },
  },
  diy: {
    weight: 3,
    hashtags: ['diy', 'crafts', 'upcycling', 'handmade', 'woodworking'],
    interests: ['diy', 'home', 'art', 'crafts'],
    captions: ['Turning a pallet into a shelf', 'Upcycled jeans tote bag', 'Fixing the thrift-store chair'],
    styles: ['tutorial', 'before-after', 'how-to'],
    female: 0.6,
    platforms: { youtube: 1.3, facebook: 1.5 },
    age: 1,
  },
  wellness: {
    weight: 4,
    hashtags: ['wellness', 'mentalhealth', 'selfcare', 'yoga', 'mindfulness'],
    interests: ['wellness', 'yoga', 'nutrition', 'books'],
    captions: ['Morning routine for calmer days', 'Ten minutes of yoga for your back', 'Journaling prompts for a hard week'],
    styles: ['tutorial', 'vlog', 'educational'],
    female: 0.75,
    platforms: { instagram: 1.3, youtube: 1.1 },
  },
  sustainability: {
    weight: 2,
    hashtags: ['sustainability', 'zerowaste', 'ecofriendly', 'slowfashion', 'climate'],
    interests: ['sustainability', 'outdoors', 'food', 'fashion'],
    captions: ['Zero-waste swaps that actually stuck', 'What a week of my trash looks like', 'Repairing instead of replacing'],
    styles: ['educational', 'day-in-the-life', 'how-to'],
    female: 0.68,
    platforms: { instagram: 1.3, linkedin: 1.3 },
  },
  automotive: {
    weight: 2,
    hashtags: ['cars', 'carsofinstagram', 'jdm', 'carreview', 'ev'],
    interests: ['cars', 'tech', 'motorsport', 'travel'],
    captions: ['Living with an EV for a month', 'Cold start and walkaround', 'Detailing the dirtiest car I have seen'],
    styles: ['review', 'walkaround', 'vlog'],
    female: 0.15,
    platforms: { youtube: 1.8, instagram: 1.1 },
  },
  books: {
    weight: 2,
    hashtags: ['booktok', 'bookstagram', 'reading', 'bookreview', 'tbr'],
    interests: ['books', 'writing', 'movies', 'education'],
    captions: ['Books that made me cry this year', 'My TBR for the month', 'Rating my book club picks'],
    styles: ['review', 'storytelling', 'haul'],
    female: 0.8,
    platforms: { tiktok: 1.5, instagram: 1.2 },
  },
  dance: {
    weight: 2,
    hashtags: ['dance', 'dancechallenge', 'choreography', 'hiphopdance', 'dancer'],
    interests: ['dance', 'music', 'fitness', 'fashion'],
    captions: ['Learn this in 30 seconds', 'Freestyle to the new track', 'Choreography class highlights'],
    styles: ['challenge', 'tutorial', 'performance'],
    female: 0.65,
    platforms: { tiktok: 2.2, instagram: 1.2 },
    age: -1,
  },
};
const NICHE_NAMES = Object.keys(NICHES);
const NICHE_PICK = new Weighted(NICHE_NAMES.map((n) => [n, NICHES[n].weight] as const));

const PLATFORM_WEIGHTS: [string, number][] = [
  ['instagram', 30],
  ['tiktok', 25],
  ['youtube', 18],
  ['x', 6],
  ['facebook', 6],
  ['threads', 5],
  ['linkedin', 4],
  ['twitch', 3],
  ['discord', 3],
];
/** Per niche: the platform table with its multipliers applied (built once). */
const PLATFORM_PICK: Record<string, Weighted<string>> = Object.fromEntries(
  NICHE_NAMES.map((n) => [n, new Weighted(PLATFORM_WEIGHTS.map(([p, w]) => [p, w * (NICHES[n].platforms?.[p] ?? 1)] as const))]),
);
/** Engagement relative to Instagram's for the same size. */
const PLATFORM_ENGAGEMENT: Record<string, number> = {
  instagram: 1,
  tiktok: 1.3,
  youtube: 0.8,
  x: 0.6,
  facebook: 0.6,
  threads: 0.9,
  linkedin: 0.8,
  twitch: 0.9,
  discord: 1.1,
};
const PLATFORM_FORMATS: Record<string, Weighted<string>> = {
  instagram: new Weighted([
    ['reel', 5],
    ['post', 4],
    ['story', 2],
  ]),
  tiktok: new Weighted([
    ['short', 8],
    ['video', 2],
    ['live', 1],
  ]),
  youtube: new Weighted([
    ['video', 6],
    ['short', 4],
    ['live', 1],
  ]),
  x: new Weighted([
    ['post', 8],
    ['video', 2],
  ]),
  facebook: new Weighted([
    ['post', 5],
    ['video', 3],
    ['reel', 2],
  ]),
  threads: new Weighted([['post', 1]]),
  linkedin: new Weighted([
    ['post', 7],
    ['video', 2],
  ]),
  twitch: new Weighted([
    ['live', 6],
    ['video', 2],
  ]),
  discord: new Weighted([['post', 1]]),
};
const VIDEO_FORMATS = new Set(['reel', 'short', 'video', 'live', 'story']);
/** Age skew of a platform's audience (+ older). */
const PLATFORM_AGE: Record<string, number> = {
  tiktok: -1.2,
  instagram: -0.3,
  youtube: 0,
  x: 0.5,
  facebook: 1.6,
  threads: 0.2,
  linkedin: 1.5,
  twitch: -0.8,
  discord: -1,
};
/** Base audience age shares for AGE_BUCKETS (13-17 … 55+). */
const BASE_AGES = [0.06, 0.3, 0.33, 0.17, 0.09, 0.05];

const ACCOUNT_COUNT = new Weighted([
  [1, 50],
  [2, 35],
  [3, 15],
] as const);

const ADJECTIVES = [
  'sunny',
  'urban',
  'wild',
  'cozy',
  'bold',
  'daily',
  'little',
  'happy',
  'golden',
  'fresh',
  'lazy',
  'quiet',
  'brave',
  'tiny',
  'north',
  'salty',
  'honest',
  'simply',
  'curious',
  'modern',
  'retro',
  'pixel',
  'velvet',
  'lucky',
  'misty',
  'rosy',
  'cosmic',
  'neon',
  'humble',
  'plant',
];
const NOUNS = [
  'trails',
  'kitchen',
  'studio',
  'diaries',
  'lens',
  'nest',
  'journal',
  'corner',
  'club',
  'life',
  'notes',
  'vibes',
  'craft',
  'bites',
  'moves',
  'stories',
  'atelier',
  'lab',
  'garden',
  'tales',
  'beats',
  'threads',
  'hour',
  'fox',
  'wolf',
  'owl',
  'bee',
  'wave',
  'peak',
  'loop',
];
const FAN_WORDS = [
  'mia',
  'jay',
  'kiki',
  'tomo',
  'lulu',
  'rex',
  'nina',
  'ollie',
  'zaza',
  'benji',
  'coco',
  'dani',
  'eli',
  'fifi',
  'gabe',
  'hugo',
  'ivy',
  'juno',
  'kai',
  'lola',
];

const GENUINE_COMMENTS = [
  'Where did you get that? I have been looking everywhere',
  'Tried this yesterday and it worked so well, thank you!',
  'Can you do a part two with the full steps?',
  'This is exactly what I needed this week',
  'How long did this take you from start to finish?',
  'Saving this for the weekend',
  'My sister and I were just talking about this',
  'Honestly the best explanation I have seen',
  'What camera do you use for these?',
  'Love how real you keep it, no filter nonsense',
  'The second one is my favourite by far',
  'Is there a cheaper alternative that works as well?',
  'You should collab with more small creators',
  'I made this for my family and they loved it',
  'Been following for a year, you keep getting better',
  'This made me laugh way too hard at work',
  'Could you share the link in your bio?',
  'Great tips, the third one surprised me',
];
const GENERIC_COMMENTS = [
  'Nice pic!',
  '🔥🔥🔥',
  'Love this 😍',
  'Amazing!!',
  'Wow',
  'So cool',
  '😍😍',
  'Great post',
  'Follow me',
  'Check my page',
  '👏👏👏',
  'Beautiful',
  'Nice',
  'Awesome content',
  '💯',
];

// ---------------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
/** log10(followers) → engagement rate (%) of a genuine account, before noise. */
const ENGAGEMENT_CURVE: [number, number][] = [
  [2, 11],
  [3, 8.5],
  [3.5, 7.5],
  [4, 6],
  [4.5, 4.5],
  [5, 3],
  [5.5, 2.2],
  [6, 1.5],
  [7, 0.9],
  [8, 0.6],
];

/** The typical engagement rate (%) of a genuine account of this size (before noise and platform). */
export function typicalEngagementRate(followers: number): number {
  const x = Math.log10(Math.max(followers, 100));
  for (let i = 1; i < ENGAGEMENT_CURVE.length; i++) {
    const [x1, y1] = ENGAGEMENT_CURVE[i];
    if (x <= x1) {
      const [x0, y0] = ENGAGEMENT_CURVE[i - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return ENGAGEMENT_CURVE[ENGAGEMENT_CURVE.length - 1][1];
}

function headlineFollowers(rng: Random): number {
  let f: number;
  if (rng.chance(0.01)) {
    // Pareto tail (α = 1.2) from 300k: the rare macro and mega accounts.
    f = 300_000 / Math.pow(1 - rng.next(), 1 / 1.2);
  } else {
    f = rng.logNormal(32_000, 1.0);
  }
  return Math.round(Math.min(50_000_000, Math.max(300, f)));
}

const round3 = (x: number) => Math.floor(x * 1000) / 1000;

/** Shares from weights: each rounded down to 3 decimals, so they add up to at most `total` (≤ 1). */
function shares(weights: number[], total = 1): number[] {
  let sum = 0;
  for (const w of weights) sum += w;
  return weights.map((w) => round3((w / sum) * total));
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

interface CreatorContext {
  rng: Random;
  lite: boolean;
  now: number;
  country: string;
  markets: string[];
  niches: string[];
  handleBase: string;
}

function pickDistinct<T>(rng: Random, pickOne: () => T, count: number): T[] {
  const out: T[] = [];
  for (let guard = 0; out.length < count && guard < count * 8; guard++) {
    const v = pickOne();
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

function audienceOf(ctx: CreatorContext, platform: string, fake: { foreign: boolean; noPicture: boolean }): SyntheticAudience {
  const { rng } = ctx;
  const niche = NICHES[ctx.niches[0]];
  // Ages: base shares shifted towards older or younger buckets by niche and platform.
  const skew = (niche.age ?? 0) + (PLATFORM_AGE[platform] ?? 0) + rng.normal() * 0.4;
  const ageWeights = BASE_AGES.map((w, i) => w * Math.exp(skew * 0.35 * (i - 2.2)) * rng.range(0.8, 1.2));
  const ageShares = shares(ageWeights);
  const ages: Record<string, number> = {
    '13-17': ageShares[0],
    '18-24': ageShares[1],
    '25-34': ageShares[2],
    '35-44': ageShares[3],
    '45-54': ageShares[4],
    '55+': ageShares[5],
  };
  const female = Math.min(0.95, Math.max(0.05, niche.female + rng.normal() * 0.06));
  const other = round3(rng.range(0.005, 0.025));
  const genders = { female: round3(female * (1 - other)), male: round3((1 - female) * (1 - other)), other };

  // Countries: the creator's own first, then markets and neighbours, then the global tail.
  const own = COUNTRIES[ctx.country];
  const listed = rng.int(3, 6);
  const codes: string[] = [];
  const weights: number[] = [];
  const add = (code: string, w: number) => {
    if (codes.length < listed && !codes.includes(code)) {
      codes.push(code);
      weights.push(w);
    }
  };
  if (fake.foreign) {
    add(ctx.country, rng.range(0.12, 0.25));
    const farms = pickDistinct(rng, () => rng.pick(FARM_COUNTRIES), 3);
    for (const f of farms) add(f, rng.range(0.15, 0.3));
  } else {
    add(ctx.country, rng.range(0.45, 0.75));
    for (const m of ctx.markets) add(m, rng.range(0.05, 0.15));
  }
  for (const n of own.near) add(n, rng.range(0.02, 0.08));
  for (let guard = 0; codes.length < listed && guard < 20; guard++) add(rng.pick(GLOBAL_AUDIENCE), rng.range(0.01, 0.04));
  // What is listed covers 80–95 % of the audience; the rest is spread over unlisted countries.
  let weightSum = 0;
  for (const w of weights) weightSum += w;
  const covered = rng.range(0.8, 0.95);
  const countries = codes.map((country, i) => ({ country, share: round3((weights[i] / weightSum) * covered) }));

  const cities: SyntheticAudience['cities'] = [];
  if (!ctx.lite && !fake.foreign) {
    const [city] = rng.pick(own.cities);
    cities.push({ city, country: ctx.country, share: round3(countries[0].share * rng.range(0.1, 0.3)) });
  }

  const interests: string[] = [];
  for (const n of ctx.niches) for (const i of NICHES[n].interests) if (!interests.includes(i) && interests.length < 8) interests.push(i);

  return {
    ages,
    genders,
    countries,
    cities,
    interests,
    noProfilePictureShare: fake.noPicture ? round3(rng.range(0.25, 0.55)) : round3(rng.range(0.02, 0.1)),
  };
}

function historyOf(ctx: CreatorContext, followers: number, spike: boolean): SyntheticAccount['followerHistory'] {
  const { rng } = ctx;
  const points = ctx.lite ? 3 : rng.int(6, 12);
  const growth = rng.range(0.005, 0.05); // per month
  const today = startOfUtcDay(ctx.now);
  const history: SyntheticAccount['followerHistory'] = new Array(points);
  let current = followers;
  for (let k = 0; k < points; k++) {
    history[points - 1 - k] = { date: isoDay(today - k * 30 * DAY_MS), followers: Math.round(current) };
    current = current / (1 + growth * rng.range(0.6, 1.4));
  }
  if (spike && points >= 3) {
    // Bought followers: +40–150 % within two days, a week before the last point, after a flat month.
    const jump = rng.range(1.4, 2.5);
    const before = Math.max(100, Math.round(followers / jump));
    for (let i = 0; i < points - 1; i++) history[i].followers = Math.min(history[i].followers, before);
    history.splice(points - 1, 0, { date: isoDay(today - 9 * DAY_MS), followers: before }, { date: isoDay(today - 7 * DAY_MS), followers });
  }
  return history;
}

interface FakeSigns {
  fake: boolean;
  engagement: 'low' | 'high' | null;
  genericComments: boolean;
  pod: boolean;
  spike: boolean;
  noPicture: boolean;
  foreign: boolean;
}

const GENUINE: FakeSigns = {
  fake: false,
  engagement: null,
  genericComments: false,
  pod: false,
  spike: false,
  noPicture: false,
  foreign: false,
};

function fakeSigns(rng: Random): FakeSigns {
  if (!rng.chance(FAKE_ACCOUNT_SHARE)) return GENUINE;
  // 3–6 of the six signs, the engagement one always (it is the first thing to check).
  const signs: FakeSigns = { ...GENUINE, fake: true, engagement: rng.chance(0.7) ? 'low' : 'high' };
  const others: (keyof FakeSigns)[] = ['genericComments', 'pod', 'spike', 'noPicture', 'foreign'];
  const wanted = rng.int(2, 5);
  for (let i = 0; i < wanted; i++) {
    const key = others.splice(Math.floor(rng.next() * others.length), 1)[0];
    (signs as unknown as Record<string, boolean>)[key] = true;
  }
  return signs;
}

function postsOf(ctx: CreatorContext, platform: string, followers: number, rate: number, signs: FakeSigns): SyntheticPost[] {
  const { rng, lite } = ctx;
  const count = lite ? 4 : rng.int(6, 12);
  const commentsPerPost = lite ? 2 : rng.int(3, 6);
  const formats = PLATFORM_FORMATS[platform];
  // Likes per comment: 15–70 for genuine accounts; bought likes make it 150–400.
  const likesPerComment = signs.engagement === 'high' ? rng.range(150, 400) : rng.range(15, 70);
  const shareOfLikes = rng.range(0.01, 0.06);
  const reachShare = rng.range(0.15, 0.45);
  const podMembers = signs.pod ? Array.from({ length: rng.int(4, 7) }, (_, i) => `${rng.pick(FAN_WORDS)}.pod${rng.int(10, 999)}${i}`) : [];
  // Mean of a log-normal with σ = 0.35 is median × e^(σ²/2): divide it out so the average hits `rate`.
  const median = (followers * rate) / 100 / 1.063;
  const niches = ctx.niches;
  let t = ctx.now - rng.range(0.2, 3) * DAY_MS;
  const posts: SyntheticPost[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const niche = NICHES[niches[i % niches.length]];
    const engagements = Math.max(1, rng.logNormal(median, 0.35));
    const comments = Math.max(0, Math.round(engagements / (1 + likesPerComment + likesPerComment * shareOfLikes)));
    const shares = Math.round(engagements * shareOfLikes * (likesPerComment / (1 + likesPerComment)));
    const likes = Math.max(0, Math.round(engagements) - comments - shares);
    const format = formats.pick(rng);
    const reach = Math.max(likes + comments + shares, Math.round(followers * reachShare * rng.range(0.7, 1.3)));
    const caption = lite ? rng.pick(niche.captions) : `${rng.pick(niche.captions)} ${rng.chance(0.5) ? '👇' : ''}`.trim();
    const hashtags = lite ? [rng.pick(niche.hashtags)] : pickDistinct(rng, () => rng.pick(niche.hashtags), rng.int(2, 5));
    const samples: SyntheticComment[] = [];
    for (let c = 0; c < commentsPerPost; c++) {
      let author: string;
      let text: string;
      if (signs.pod) author = podMembers[c % podMembers.length];
      else author = `${rng.pick(FAN_WORDS)}_${rng.int(1, 99_999)}`;
      if (signs.genericComments) text = rng.chance(0.85) ? rng.pick(GENERIC_COMMENTS) : rng.pick(GENUINE_COMMENTS);
      else text = rng.chance(0.1) ? rng.pick(GENERIC_COMMENTS) : rng.pick(GENUINE_COMMENTS);
      samples.push({ author, text });
    }
    posts[i] = {
      postedAt: new Date(Math.round(t)).toISOString(),
      format,
      likes,
      comments,
      shares,
      saves: Math.round(likes * rng.range(0.01, 0.08)),
      views: VIDEO_FORMATS.has(format) ? Math.round(followers * rng.range(0.3, 1.8)) : null,
      reach,
      caption,
      hashtags,
      commentSamples: samples,
    };
    t -= rng.range(2, 7) * DAY_MS;
  }
  return posts;
}

function accountHandle(base: string, platform: string, n: number): string {
  // Some creators use the same handle everywhere, others a variant.
  switch (n % 3) {
    case 0:
      return base;
    case 1:
      return base.replace(/\./g, '_');
    default:
      return platform === 'youtube' ? `${base.replace(/\./g, '')}tv` : `${base}.official`;
  }
}

function accountOf(ctx: CreatorContext, platform: string, followers: number, n: number, annotate: boolean): SyntheticAccount {
  const { rng } = ctx;
  const signs = fakeSigns(rng);
  let rate = typicalEngagementRate(followers) * (PLATFORM_ENGAGEMENT[platform] ?? 1) * rng.logNormal(1, 0.2);
  if (signs.engagement === 'low') rate *= rng.range(0.12, 0.3);
  if (signs.engagement === 'high') rate *= rng.range(2.8, 4.5);
  const account: SyntheticAccount = {
    platform,
    handle: accountHandle(ctx.handleBase, platform, n),
    followers,
    following: signs.fake && rng.chance(0.5) ? rng.int(3_000, 7_500) : rng.int(80, 1_800),
    postCount: rng.int(40, 3_000),
    audience: audienceOf(ctx, platform, signs),
    followerHistory: historyOf(ctx, followers, signs.spike),
    posts: postsOf(ctx, platform, followers, rate, signs),
  };
  if (annotate) account.synthetic = { fake: signs.fake };
  return account;
}

function creatorAt(
  index: number,
  rng: Random,
  options: Required<Pick<SyntheticOptions, 'lite' | 'annotate'>> & { now: number },
): SyntheticCreator {
  const country = COUNTRY_PICK.pick(rng);
  const info = COUNTRIES[country];
  const nicheCount = rng.chance(0.55) ? 1 : rng.chance(0.7) ? 2 : 3;
  const niches = pickDistinct(rng, () => NICHE_PICK.pick(rng), nicheCount);
  const first = rng.pick(NAMES[info.names].first);
  const last = rng.pick(NAMES[info.names].last);
  const style = rng.int(0, 3);
  const word = `${rng.pick(ADJECTIVES)}.${rng.pick(NOUNS)}`;
  const handleBase =
    style === 0
      ? `${word}.${index}`
      : `${asciiWord(first)}${style === 1 ? '.' : '_'}${style === 3 ? rng.pick(NOUNS) : asciiWord(last)}.${index}`;
  const displayName = style === 0 ? `${capitalise(word.replace('.', ' '))}` : `${first} ${last}`;
  const markets = rng.chance(0.4) ? pickDistinct(rng, () => rng.pick(info.near), rng.int(1, 2)) : [];
  let languages: string[] = [...info.languages];
  for (const [lang, p] of LANGUAGE_EXTRA[country] ?? []) if (rng.chance(p) && !languages.includes(lang)) languages.push(lang);
  if (languages.length > 1 && rng.chance(0.3)) languages = languages.slice(0, 1);
  const located = rng.chance(0.6);
  const [city, region] = located ? rng.pick(info.cities) : [null, null];
  const styles = pickDistinct(rng, () => rng.pick(NICHES[rng.pick(niches)].styles), rng.int(1, 3));
  const ctx: CreatorContext = { rng, lite: options.lite, now: options.now, country, markets, niches, handleBase };

  const accountCount = ACCOUNT_COUNT.pick(rng);
  const platforms = pickDistinct(rng, () => PLATFORM_PICK[niches[0]].pick(rng), accountCount);
  const headline = headlineFollowers(rng);
  const accounts = platforms.map((platform, n) => {
    const followers = n === 0 ? headline : Math.max(50, Math.round(headline * rng.range(0.05, 0.8)));
    return accountOf(ctx, platform, followers, n, options.annotate);
  });

  const where = city ?? countryNames[country] ?? country;
  const nicheText = niches.map((n) => n.replace('-', ' ')).join(', ');
  return {
    handle: handleBase,
    displayName,
    bio: options.lite
      ? `${capitalise(nicheText)} creator from ${where}.`
      : `${capitalise(nicheText)} creator from ${where}. ${rng.pick(NICHES[niches[0]].captions)}. Collabs: DM or email.`,
    niches,
    contentStyles: styles,
    languages,
    country,
    region,
    city,
    markets,
    accounts,
  };
}

const countryNames: Record<string, string> = Object.fromEntries(
  COUNTRY_CODES.map((c) => [c, new Intl.DisplayNames(['en'], { type: 'region' }).of(c) ?? c]),
);

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A name as handle characters: "Müller" → "muller", "de Jong" → "dejong". */
function asciiWord(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '') || 'x'
  );
}

/**
 * `count` synthetic creators for `seed`. Each creator has its own random stream (seeded by the run's seed
 * and its index), so creator i is the same whatever `count` or `offset` the run used.
 */
export function* generateCreators(count: number, seed: number | string, options: SyntheticOptions = {}): Generator<SyntheticCreator> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const now = options.now === undefined ? startOfUtcDay(Date.now()) : new Date(options.now).getTime();
  if (!Number.isFinite(now)) throw new RangeError(`now must be a date, got ${String(options.now)}`);
  const settings = { lite: options.lite ?? false, annotate: options.annotate ?? false, now };
  const base = hashSeed(seed);
  const offset = options.offset ?? 0;
  for (let i = 0; i < count; i++) {
    const index = offset + i;
    const rng = new Random((base ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    yield creatorAt(index, rng, settings);
  }
}
