/**
 * Sentiment of one comment under a creator's post.
 *
 * Library: wink-sentiment (MIT, one dependency: wink-tokenizer). Chosen over `sentiment` and
 * `vader-sentiment` because it is the only one of the three that scores emoji and emoticons out of the
 * box (sentiment 5.0.2 ships no emoji labels and splits only on spaces, so "love🔥" is one unknown word;
 * vader-sentiment's JS lexicon has no emoji), and its tokenizer keeps hashtags, mentions and URLs apart
 * and handles negation two words back ("not that good"). It is a plain AFINN-165 lexicon: offline, no
 * model files. It has no extension API, so our additions are applied here, over its tokens.
 */
import winkSentiment from 'wink-sentiment';
import type { WinkToken } from 'wink-sentiment';
import { badInput } from '@influenceflow/kit';

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

export interface SentimentResult {
  label: SentimentLabel;
  /** -1 (most negative) .. 1 (most positive); 0 when nothing in the text carries sentiment. */
  score: number;
}

/** Stored next to each classification so a later lexicon or rule change can be told apart. */
export const SENTIMENT_MODEL = 'wink-sentiment@5.0.2+influenceflow-comments.1';

/** Comments longer than this are judged by their start: enough for any real comment, bounded work for pasted essays. */
export const MAX_ANALYSED_CHARS = 5_000;

/**
 * Neutral band on the -1..1 score (wink's -5..5 divided by 5). Any word AFINN scores at all tips the label
 * (its mildest, "want", "safe", "yes", are ±1, i.e. ±0.2); what stays neutral is a comment with no scored
 * word, one whose words cancel out, or a question whose only opinion is one ±1 word (halved to ±0.1).
 * Measured on the labelled set: ±0.2 gives 0.88 accuracy, ±0.25 gives 0.84 (docs/sentiment.md).
 */
export const POSITIVE_FROM = 0.2;
export const NEGATIVE_FROM = -0.2;

/** A comment that ends as a question asks for information ("is it safe for kids?"): its words count half. */
const QUESTION_WEIGHT = 0.5;

/** VADER's rule: what follows "but" is what the writer means ("cute but broke in a day"). */
const BEFORE_BUT_WEIGHT = 0.5;
const AFTER_BUT_WEIGHT = 1.5;
const CONTRAST_WORDS = new Set(['but', 'however', 'although']);

/**
 * Words AFINN-165 lacks or scores for another register, on its -5..5 scale. Each is common in comments under
 * sponsored posts and means one thing there.
 */
const WORD_ADDITIONS: Readonly<Record<string, number>> = {
  // Praise slang: AFINN has none of these, or reads "fire" as danger.
  fire: 3,
  slay: 3,
  slayed: 3,
  slaying: 3,
  iconic: 3,
  goals: 2,
  obsessed: 3, // AFINN +2; in comments it is the strongest praise there is
  gorgeous: 3,
  cutest: 3,
  comfy: 2,
  legit: 2,
  underrated: 2,
  yum: 3,
  glowing: 2,
  satisfying: 2,
  // Shopping complaints and distrust of the creator.
  scam: -3, // AFINN -2; under an ad it is an accusation, not a joke
  scammed: -3,
  unfollow: -3,
  unfollowed: -3,
  unfollowing: -3,
  sellout: -3,
  refund: -2,
  ripoff: -3,
  overpriced: -2,
  overhyped: -2,
  overrated: -2,
  letdown: -2,
  trash: -3,
  rubbish: -3,
  cringe: -2,
  yikes: -2,
  meh: -1,
  mid: -2,
  greasy: -2,
  lying: -2,
  lies: -2,
  headache: -2,
  hives: -2,
  burned: -2,
  // Topic words AFINN scores as praise: "does it work?" asks, "poor quality" is not half good.
  work: 0,
  works: 0,
  working: 0,
  quality: 0,
};

/**
 * wink negates a word when one of "never none no not non arent cant dont wont isnt wouldnt shouldnt n't"
 * stands one or two words before it; these are the apostrophe-less negators comments type that it lacks.
 */
const EXTRA_NEGATORS = new Set(['didnt', 'doesnt', 'wasnt', 'werent', 'havent', 'hasnt', 'hadnt', 'aint', 'couldnt']);

/** Words that say nothing alone but complain when negated ("didn't work", "not working"). */
const NEGATED_ADDITIONS: Readonly<Record<string, number>> = { work: -2, works: -2, working: -2, worked: -2 };

/**
 * Multi-word additions, matched before single words: "need this" is desire, "rip off" is one word split.
 * `negatable: false` where a negator is part of the idiom ("don't waste your money" warns, "never looked
 * better" praises).
 */
const PHRASE_ADDITIONS: ReadonlyArray<{ words: readonly string[]; score: number; negatable?: false }> = [
  { words: ['need', 'this'], score: 2 },
  { words: ['need', 'it'], score: 2 },
  { words: ['need', 'one'], score: 2 },
  { words: ['holy', 'grail'], score: 3 },
  { words: ['game', 'changer'], score: 3 },
  { words: ['waste', 'of', 'money'], score: -3 },
  { words: ['waste', 'of', 'time'], score: -3 },
  { words: ['rip', 'off'], score: -3 },
  { words: ['broke', 'out'], score: -2 }, // skin, not a breakage
  { words: ['broke', 'me', 'out'], score: -2 },
  { words: ['hard', 'pass'], score: -2 },
  { words: ['cheaply', 'made'], score: -2 },
  { words: ['fell', 'apart'], score: -2 },
  { words: ['gone', 'downhill'], score: -2 },
  { words: ['stay', 'away'], score: -2 },
  { words: ['waste', 'your', 'money'], score: -3, negatable: false },
  { words: ['waste', 'your', 'time'], score: -3, negatable: false },
  { words: ['never', 'looked', 'better'], score: 3 },
  { words: ['never', 'felt', 'better'], score: 3 },
  { words: ['never', 'been', 'better'], score: 3 },
  { words: ['never', 'misses'], score: 3 },
  // "Like" after a verb of perception is a preposition ("tastes like cardboard"), not AFINN's +2.
  ...['look', 'looks', 'looked', 'taste', 'tastes', 'smell', 'smells', 'feel', 'feels', 'sound', 'sounds', 'seems'].map((verb) => ({
    words: [verb, 'like'],
    score: 0,
  })),
];

/** Emoji wink's table lacks (it predates them) or scores mildly where comments use them emphatically. */
const EMOJI_ADDITIONS: Readonly<Record<string, number>> = {
  '🔥': 3,
  '🥰': 3,
  '🤩': 3,
  '🫶': 3,
  '🥹': 2,
  '👑': 2,
  '💅': 2,
  '🤣': 1, // laughing, as wink scores 😂
  // Phones send these with a variation selector, which wink's table (keyed by the bare symbol) misses.
  '❤': 3,
  '♥': 3,
  '❣': 3,
  '☺': 2,
  '🙄': -2,
  '🤮': -3,
  '🤢': -3,
  '🤡': -2,
  '🚩': -2,
  '👎': -2,
};

/**
 * Promotional spam carries no opinion of the post, whatever words it borrows ("love your page, follow
 * back!"); it is neutral.
 */
const SPAM_PATTERNS: readonly RegExp[] = [
  /\bfollow\s*(?:me\s*)?(?:for|4)\s*follow/i,
  /\bfollow\s*back\b/i,
  /\b(?:f4f|l4l|sub\s*4\s*sub|sub\s*for\s*sub)\b/i,
  /\bcheck\s+(?:out\s+)?my\s+(?:page|bio|profile|channel|account)\b/i,
  /\bfree\s+followers\b/i,
  /\b(?:earn|make)\s+\$?\d[\d,]*\s*(?:\$|usd|dollars)?\s*(?:a|per)\s+(?:day|week)\b/i,
];

// NUL, escapes and the like separate words as a space would (tabs and newlines are controls too).
const CONTROL_CHARS = /\p{Cc}/gu;
// Skin tones change how an emoji looks, not what it says; wink's table has the bare emoji.
const SKIN_TONES = /[\u{1f3fb}-\u{1f3ff}]/gu;
// Kept in the text (the tokenizer needs it to see "❤️" as an emoji), dropped for look-ups.
const VARIATION_SELECTORS = /[\ufe0e\ufe0f]/g;
// "soooo goooood" → "soo good": AFINN has no elongated spellings.
const ELONGATION = /(\p{L})\1{2,}/gu;

const NEUTRAL: SentimentResult = { label: 'neutral', score: 0 };

export function classifySentiment(text: string): SentimentResult {
  if (typeof text !== 'string') throw badInput('text', 'must be a string');
  const cleaned = prepare(text);
  if (cleaned === '' || SPAM_PATTERNS.some((pattern) => pattern.test(cleaned))) return NEUTRAL;

  const tokens = winkSentiment(cleaned).tokenizedPhrase ?? [];
  let score = scoreTokens(tokens) / 5;
  if (endsAsQuestion(tokens)) score *= QUESTION_WEIGHT;
  score = Math.round(Math.max(-1, Math.min(1, score)) * 10_000) / 10_000 || 0;
  return { label: labelOf(score), score };
}

function labelOf(score: number): SentimentLabel {
  if (score >= POSITIVE_FROM) return 'positive';
  if (score <= NEGATIVE_FROM) return 'negative';
  return 'neutral';
}

function prepare(text: string): string {
  let capped = text.slice(0, MAX_ANALYSED_CHARS);
  // Never leave half of a surrogate pair at the cut.
  if (/[\ud800-\udbff]$/.test(capped)) capped = capped.slice(0, -1);
  return capped
    .normalize('NFKC') // 𝓵𝓸𝓿𝓮 and full-width letters become plain ones
    .replace(CONTROL_CHARS, ' ')
    .replace(SKIN_TONES, '')
    .replace(ELONGATION, '$1$1')
    .trim();
}

/**
 * wink's own normalisation (-5..5): the mean valence of scored words/emoji, damped for long texts, averaged
 * with the mean valence of scored hashtags; with our additions and the contrast weighting applied first.
 */
function scoreTokens(tokens: readonly WinkToken[]): number {
  const lastContrast = tokens.findLastIndex((t) => t.tag === 'word' && CONTRAST_WORDS.has(t.value.toLowerCase()));
  let wordSum = 0;
  let scoredWords = 0;
  let words = 0;
  let hashtagSum = 0;
  let scoredHashtags = 0;

  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    const weight = lastContrast < 0 ? 1 : i < lastContrast ? BEFORE_BUT_WEIGHT : AFTER_BUT_WEIGHT;
    let valence = 0;
    switch (token.tag) {
      case 'word': {
        const phrase = matchPhrase(tokens, i);
        if (phrase) {
          const negated = token.negation || negatedByExtra(tokens, i);
          valence = negated && phrase.negatable !== false ? -phrase.score : phrase.score;
          words += phrase.words.length;
          i += phrase.words.length - 1;
        } else {
          const word = token.value.toLowerCase();
          const addition = WORD_ADDITIONS[word];
          const extraNegation = !token.negation && negatedByExtra(tokens, i);
          const negated = token.negation || extraNegation;
          if (negated && NEGATED_ADDITIONS[word] !== undefined) valence = NEGATED_ADDITIONS[word];
          else if (addition !== undefined) valence = negated ? -addition : addition;
          else valence = extraNegation ? -(token.score ?? 0) : (token.score ?? 0);
          words += token.grouped ? 2 : 1;
          if (token.grouped) i += 1; // wink scored this word and the next as one phrase
        }
        break;
      }
      case 'emoji':
      case 'emoticon':
        valence = EMOJI_ADDITIONS[token.value.replace(VARIATION_SELECTORS, '')] ?? token.score ?? 0;
        words += 1;
        break;
      case 'hashtag': {
        const addition = WORD_ADDITIONS[token.value.slice(1).toLowerCase()];
        const hashtagValence = addition ?? token.score ?? 0;
        if (hashtagValence) {
          hashtagSum += hashtagValence * weight;
          scoredHashtags += 1;
        }
        continue;
      }
      default:
        continue;
    }
    if (valence) {
      wordSum += valence * weight;
      scoredWords += 1;
    }
  }

  const AVERAGE_COMMENT_WORDS = 15; // wink's constant
  const wordMean = scoredWords ? wordSum / scoredWords / Math.sqrt(Math.max(1, words / AVERAGE_COMMENT_WORDS)) : 0;
  const hashtagMean = scoredHashtags ? hashtagSum / scoredHashtags : 0;
  return wordMean && hashtagMean ? (wordMean + hashtagMean) / 2 : wordMean || hashtagMean;
}

function negatedByExtra(tokens: readonly WinkToken[], index: number): boolean {
  return [tokens[index - 1], tokens[index - 2]].some((t) => t !== undefined && EXTRA_NEGATORS.has(t.value.toLowerCase()));
}

function matchPhrase(tokens: readonly WinkToken[], start: number) {
  return PHRASE_ADDITIONS.find(({ words }) =>
    words.every((word, offset) => {
      const token = tokens[start + offset];
      return token !== undefined && token.tag === 'word' && token.value.toLowerCase() === word;
    }),
  );
}

function endsAsQuestion(tokens: readonly WinkToken[]): boolean {
  const last = tokens.findLastIndex((t) => t.tag !== 'emoji' && t.tag !== 'emoticon');
  return last >= 0 && tokens[last].value === '?';
}
