import {
  DISCLOSURE_HASHTAGS,
  DISCLOSURE_NEGATION_FILLERS,
  DISCLOSURE_NEGATIONS,
  DISCLOSURE_PHRASES,
  DisclosureKind,
  DisclosureLanguage,
  DisclosureMarkerDefinition,
} from './disclosure-markers';

/*
 * Whether a post discloses a paid or gifted partnership, and which marker shows it. One detector for
 * discovery (sponsored versus organic engagement) and campaign (brief compliance): both call
 * `detectSponsorship` with what they know of the post. Pure; linear in the length of the text.
 */

export interface SponsorshipInput {
  caption?: string | null;
  /** The post's hashtags, with or without `#`. */
  hashtags?: readonly string[] | null;
  /** The platform's own paid-partnership label, where a connector reports it; null when unknown. */
  paidPartnership?: boolean | null;
}

export type DisclosureMarkerSource = 'hashtag' | 'phrase' | 'platform_flag';

export interface DisclosureMarker {
  /** As written in the marker list: `#ad`, `#publicité`, `paid partnership`; the platform label is `paid partnership label`. */
  marker: string;
  kind: DisclosureMarkerSource;
  /** ISO 639-1; null for the platform's label. */
  language: DisclosureLanguage | null;
  /** Paid, or a gifted product (a disclosure too). */
  disclosure: DisclosureKind;
}

export interface SponsorshipFinding {
  sponsored: boolean;
  /** Every marker found, each once: the platform label first, then hashtags, then phrases. */
  markers: DisclosureMarker[];
}

export const PLATFORM_LABEL_MARKER: DisclosureMarker = Object.freeze({
  marker: 'paid partnership label',
  kind: 'platform_flag',
  language: null,
  disclosure: 'paid',
});

// eslint-disable-next-line no-control-regex -- every ASCII character, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/** The keycap emoji #️⃣ is `#` and marks: without them removed first, "#️⃣ads" would read as `#ads`. */
const KEYCAP = /[#\uFF03]\uFE0F?\u20E3/gu;

/**
 * Text as markers are compared: NFKC (full-width `＃ＡＤ` is `#ad`), invisible format characters removed
 * (zero-width spaces and joiners inside a word), lower case, accents and other combining marks removed.
 */
export function normaliseDisclosureText(text: string): string {
  // ASCII is its own NFKC and NFD and holds no format character: most captions skip the Unicode passes.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .replace(KEYCAP, ' ')
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC');
}

/** Web addresses: `https://shop.example/#ad` is a link, not a hashtag. */
const URLS = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)\S*/gu;
/** A hashtag starts after anything but a word character, `&` (an HTML entity) or `/` (a path). */
const HASHTAGS = /(?<![\p{L}\p{N}_&/])#([\p{L}\p{N}_]+)/gu;
const APOSTROPHES = /['’ʼ`´]/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Words of a text, normalised, apostrophes dropped ("isn't" is `isnt`), separated by single spaces. */
function wordsOf(normalised: string): string {
  return normalised.replace(APOSTROPHES, '').replace(NON_WORD, ' ').trim();
}

const asWords = (text: string) => wordsOf(normaliseDisclosureText(text));

/**
 * The words of a text as the detector compares them (normalised, apostrophes dropped, single spaces):
 * brief compliance matches forbidden words on the same words.
 */
export const normalisedWords = asWords;

/** The hashtags a caption carries (normalised, without `#`, each once), as the detector reads them: links left out. */
export function hashtagsInCaption(caption: string): string[] {
  const text = normaliseDisclosureText(caption).replace(URLS, ' ');
  return [...new Set([...text.matchAll(HASHTAGS)].map((m) => m[1]))];
}
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const HASHTAG_MARKERS = new Map(DISCLOSURE_HASHTAGS.map((d) => [normaliseDisclosureText(d.text), d]));
const PHRASE_MARKERS = new Map(DISCLOSURE_PHRASES.map((d) => [asWords(d.text), d]));
/** Every phrase in one pass over the words (longest first, so a phrase inside another loses). */
const PHRASES = new RegExp(
  ` (${[...PHRASE_MARKERS.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')})(?= )`,
  'g',
);
/** The longest word of each phrase: a caption with none of them has no phrase, and skips the word split. */
const PHRASE_ANCHORS = [...new Set([...PHRASE_MARKERS.keys()].map((p) => p.split(' ').reduce((a, b) => (b.length > a.length ? b : a))))];
const NEGATIONS = new Set(DISCLOSURE_NEGATIONS.map(asWords));
const FILLERS = new Set(DISCLOSURE_NEGATION_FILLERS.map(asWords));

function markerOf(definition: DisclosureMarkerDefinition, kind: 'hashtag' | 'phrase'): DisclosureMarker {
  return {
    marker: kind === 'hashtag' ? `#${definition.text}` : definition.text,
    kind,
    language: definition.language,
    disclosure: definition.disclosure,
  };
}

/** Whether the words right before `at` in `words` negate what follows ("not sponsored by", "isn't a paid partnership"). */
function negatedAt(words: string, at: number): boolean {
  const before = words
    .slice(Math.max(0, at - 64), at)
    .trim()
    .split(' ');
  let last = before.pop();
  if (last !== undefined && FILLERS.has(last)) last = before.pop();
  return last !== undefined && NEGATIONS.has(last);
}

/** Adds a marker unless it is there already (markers are few: a scan beats a set). */
function addOnce(markers: DisclosureMarker[], marker: DisclosureMarker): void {
  if (!markers.some((m) => m.kind === marker.kind && m.marker === marker.marker)) markers.push(marker);
}

/**
 * Whether a post is sponsored, and every marker that says so:
 *
 * - the platform's paid-partnership label when `paidPartnership` is true (false says only that the
 *   platform's tool was not used: the caption can still disclose);
 * - a disclosure hashtag, whole (`#ad`, never `#adidas`), in `hashtags` or in the caption outside links;
 * - a disclosure phrase as whole words in the caption, unless a negation comes right before it.
 *
 * "ad" as a plain word is not a marker. Hashtags and phrases are compared normalised
 * (normaliseDisclosureText). Gifted markers count: a gifted product must be disclosed like a paid post.
 */
export function detectSponsorship(input: SponsorshipInput): SponsorshipFinding {
  const markers: DisclosureMarker[] = [];
  if (input.paidPartnership === true) markers.push(PLATFORM_LABEL_MARKER);

  if (Array.isArray(input.hashtags)) {
    for (const hashtag of input.hashtags) {
      if (typeof hashtag !== 'string') continue;
      const tag = normaliseDisclosureText(hashtag).trim();
      const definition = HASHTAG_MARKERS.get(tag.startsWith('#') ? tag.replace(/^#+/, '') : tag);
      if (definition) addOnce(markers, markerOf(definition, 'hashtag'));
    }
  }

  if (typeof input.caption === 'string' && input.caption !== '') {
    const caption = normaliseDisclosureText(input.caption).replace(URLS, ' ');
    if (caption.includes('#')) {
      for (const match of caption.matchAll(HASHTAGS)) {
        const definition = HASHTAG_MARKERS.get(match[1]);
        if (definition) addOnce(markers, markerOf(definition, 'hashtag'));
      }
    }
    const plain = caption.replace(APOSTROPHES, '');
    if (PHRASE_ANCHORS.some((anchor) => plain.includes(anchor))) {
      const words = ` ${wordsOf(plain)} `;
      for (const match of words.matchAll(PHRASES)) {
        if (!negatedAt(words, match.index)) addOnce(markers, markerOf(PHRASE_MARKERS.get(match[1])!, 'phrase'));
      }
    }
  }

  return { sponsored: markers.length > 0, markers };
}

/** The marker list's entry for a marker as a brief would name it (`#AD`, `Paid Partnership`), or null. */
export function disclosureMarkerNamed(name: string): DisclosureMarker | null {
  const text = normaliseDisclosureText(name).trim();
  if (text.startsWith('#')) {
    const definition = HASHTAG_MARKERS.get(text.slice(1));
    return definition ? markerOf(definition, 'hashtag') : null;
  }
  const words = wordsOf(text);
  const phrase = PHRASE_MARKERS.get(words);
  return phrase ? markerOf(phrase, 'phrase') : null;
}
