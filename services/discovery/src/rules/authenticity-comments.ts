/**
 * Generic-comment detection for the authenticity model (docs/authenticity.md, `generic_comments`). All data:
 * whole stock phrases, praise words, promotional fragments and link markers, in English and the short stock
 * praise of the other languages creators' audiences write in most. Everything is compared after
 * normaliseCommentText, so case, accents, punctuation, emoji and stretched letters ("Niiice!!! 😍") do not matter.
 */
import { AUTHENTICITY_PARAMETERS } from './authenticity-norms';

/** Whole comments that are stock praise (bot-like), in English. */
export const GENERIC_COMMENT_PHRASES_EN: readonly string[] = [
  'follow me',
  'dm me',
  'dm us',
  'nice pic',
  'nice pics',
  'nice photo',
  'nice shot',
  'nice post',
  'nice one',
  'nice work',
  'great post',
  'great pic',
  'great photo',
  'great shot',
  'great content',
  'great work',
  'great job',
  'good job',
  'well done',
  'love this',
  'love it',
  'love your feed',
  'love your content',
  'love your page',
  'awesome',
  'amazing',
  'amazing content',
  'wow',
  'beautiful',
  'cool',
  'so cool',
  'gorgeous',
  'stunning',
  'perfect',
  'lovely',
  'fire',
  'lit',
  'first',
  'looks great',
  'looks good',
  'keep it up',
  'keep going',
  'keep up the good work',
  'keep up the great work',
];

/** Whole comments that are stock praise in other languages: the equivalents of "nice pic" and "so beautiful". */
export const GENERIC_COMMENT_PHRASES_BY_LANGUAGE: Readonly<Record<string, readonly string[]>> = {
  Spanish: [
    'muy bonito',
    'muy bonita',
    'muy lindo',
    'muy linda',
    'que lindo',
    'que linda',
    'que bonito',
    'que bonita',
    'que hermoso',
    'que hermosa',
    'me encanta',
    'me encantó',
    'precioso',
    'preciosa',
    'hermoso',
    'hermosa',
    'lindo',
    'linda',
    'bonito',
    'bonita',
    'genial',
    'increíble',
    'espectacular',
    'excelente',
    'felicidades',
    'qué belleza',
    'buenísimo',
  ],
  Portuguese: [
    'lindo demais',
    'linda demais',
    'que lindo',
    'que linda',
    'muito lindo',
    'muito linda',
    'muito bom',
    'maravilhoso',
    'maravilhosa',
    'perfeito',
    'perfeita',
    'incrível',
    'amei',
    'arrasou',
    'top demais',
    'que top',
    'sensacional',
    'show de bola',
  ],
  French: [
    'trop beau',
    'trop belle',
    'trop bien',
    'très beau',
    'très belle',
    'trop mignon',
    'magnifique',
    'superbe',
    'sublime',
    'joli',
    'jolie',
    'génial',
    'canon',
    'bravo',
    'trop top',
    'j’adore',
    'jadore',
    'c’est beau',
    'trop stylé',
  ],
  German: [
    'sehr schön',
    'so schön',
    'wunderschön',
    'schön',
    'toll',
    'sehr gut',
    'super toll',
    'mega',
    'klasse',
    'hammer',
    'geil',
    'mega geil',
    'richtig gut',
    'hübsch',
    'echt toll',
    'wow toll',
  ],
  Italian: [
    'bellissimo',
    'bellissima',
    'bellissime',
    'bellissimi',
    'che bello',
    'che bella',
    'molto bello',
    'molto bella',
    'stupendo',
    'stupenda',
    'meraviglioso',
    'meravigliosa',
    'fantastico',
    'bravissimo',
    'bravissima',
    'complimenti',
    'top',
    'carino',
    'carina',
  ],
  Indonesian: [
    'keren banget',
    'keren',
    'bagus banget',
    'bagus',
    'cantik banget',
    'cantik',
    'mantap',
    'mantul',
    'mantap jiwa',
    'keren kak',
    'bagus kak',
    'kece',
    'kece banget',
    'indah sekali',
    'luar biasa',
  ],
  Turkish: [
    'çok güzel',
    'çok iyi',
    'çok hoş',
    'harika',
    'süper',
    'muhteşem',
    'bayıldım',
    'efsane',
    'mükemmel',
    'tebrikler',
    'harika olmuş',
    'çok tatlı',
  ],
  'Hindi (Latin script)': [
    'bahut badhiya',
    'bahut badiya',
    'bahut accha',
    'bahut acha',
    'bahut sundar',
    'bohot badhiya',
    'kya baat hai',
    'kya baat',
    'bahut khoob',
    'zabardast',
    'jabardast',
    'shandaar',
    'shandar',
    'kamaal',
    'kamal hai',
    'mast',
    'ekdum mast',
    'wah',
    'wah wah',
    'superb bhai',
    'nice bhai',
  ],
};

/** Every whole generic comment (English and the other languages). */
export const GENERIC_COMMENT_PHRASES: readonly string[] = [
  ...GENERIC_COMMENT_PHRASES_EN,
  ...Object.values(GENERIC_COMMENT_PHRASES_BY_LANGUAGE).flat(),
];

/**
 * Words of "very short praise": a comment of at most AUTHENTICITY_PARAMETERS.shortPraiseMaxWords words, all
 * from these lists, that is not a question ("so nice", "love this pic", "que lindo demais", "keren banget kak").
 */
export const GENERIC_PRAISE_WORDS_EN: readonly string[] = [
  'a',
  'amazing',
  'an',
  'awesome',
  'beautiful',
  'best',
  'brilliant',
  'bro',
  'content',
  'cool',
  'cute',
  'dope',
  'epic',
  'excellent',
  'fantastic',
  'feed',
  'fire',
  'gorgeous',
  'great',
  'good',
  'i',
  'incredible',
  'is',
  'it',
  'just',
  'lit',
  'look',
  'looks',
  'love',
  'loved',
  'lovely',
  'much',
  'nice',
  'omg',
  'perfect',
  'photo',
  'pic',
  'pics',
  'picture',
  'post',
  'pretty',
  'really',
  'shot',
  'so',
  'stunning',
  'such',
  'super',
  'that',
  'the',
  'this',
  'too',
  'very',
  'video',
  'wonderful',
  'wow',
  'yay',
  'yes',
  'you',
  'your',
];

export const GENERIC_PRAISE_WORDS_BY_LANGUAGE: Readonly<Record<string, readonly string[]>> = {
  Spanish: [
    'muy',
    'que',
    'qué',
    'lindo',
    'linda',
    'bonito',
    'bonita',
    'hermoso',
    'hermosa',
    'precioso',
    'preciosa',
    'guapa',
    'guapo',
    'genial',
    'increíble',
    'bello',
    'bella',
    'me',
    'encanta',
    'encantó',
    'excelente',
    'divino',
    'divina',
    'belleza',
  ],
  Portuguese: [
    'muito',
    'demais',
    'lindo',
    'linda',
    'lindos',
    'lindas',
    'maravilhoso',
    'maravilhosa',
    'perfeito',
    'perfeita',
    'incrível',
    'amei',
    'top',
    'show',
    'arrasou',
    'diva',
    'bom',
    'boa',
  ],
  French: [
    'trop',
    'très',
    'beau',
    'belle',
    'beaux',
    'magnifique',
    'superbe',
    'sublime',
    'joli',
    'jolie',
    'génial',
    'canon',
    'bravo',
    'mignon',
    'mignonne',
    'top',
    'bien',
    'c',
    'est',
  ],
  German: ['sehr', 'so', 'schön', 'wunderschön', 'toll', 'super', 'klasse', 'mega', 'geil', 'hammer', 'hübsch', 'echt', 'richtig', 'gut'],
  Italian: [
    'bellissimo',
    'bellissima',
    'bello',
    'bella',
    'molto',
    'che',
    'stupendo',
    'stupenda',
    'bravo',
    'brava',
    'complimenti',
    'meraviglioso',
    'meravigliosa',
    'fantastico',
    'fantastica',
    'carino',
    'carina',
  ],
  Indonesian: [
    'keren',
    'banget',
    'bagus',
    'cantik',
    'mantap',
    'mantul',
    'kak',
    'kakak',
    'sekali',
    'indah',
    'gan',
    'sis',
    'wah',
    'kece',
    'jiwa',
  ],
  Turkish: ['çok', 'güzel', 'harika', 'süper', 'muhteşem', 'bayıldım', 'efsane', 'mükemmel', 'tebrikler', 'hoş', 'tatlı', 'iyi'],
  'Hindi (Latin script)': [
    'bahut',
    'bohot',
    'bhot',
    'badhiya',
    'badiya',
    'accha',
    'acha',
    'achha',
    'sundar',
    'mast',
    'kamaal',
    'kamal',
    'zabardast',
    'jabardast',
    'shandaar',
    'shandar',
    'khoob',
    'wah',
    'bhai',
    'ekdum',
    'ji',
    'hai',
    'kya',
    'baat',
  ],
};

export const GENERIC_PRAISE_WORDS: readonly string[] = [
  ...GENERIC_PRAISE_WORDS_EN,
  ...Object.values(GENERIC_PRAISE_WORDS_BY_LANGUAGE).flat(),
];

/**
 * Promotional spam: a comment that contains one of these word sequences anywhere is generic, question or
 * not ("Send a DM to @x to collab 💰", "want more followers?", "promote it on @page").
 */
export const PROMO_SPAM_FRAGMENTS: readonly string[] = [
  'send a dm',
  'send us a dm',
  'send me a dm',
  'send dm',
  'dm to collab',
  'dm for collab',
  'dm for collaboration',
  'dm for promo',
  'dm for promotion',
  'dm for a shoutout',
  'dm for shoutout',
  'collab with us',
  'collab dm',
  'check my bio',
  'check our bio',
  'check my page',
  'check out my page',
  'check my profile',
  'check out my profile',
  'visit my profile',
  'visit my page',
  'link in my bio',
  'link in bio',
  'follow back',
  'follow for follow',
  'f4f',
  'l4l',
  'sub4sub',
  'want more followers',
  'want more likes',
  'need more followers',
  'get more followers',
  'gain followers',
  'free followers',
  'buy followers',
  'real followers',
  'promote it on',
  'promote this on',
  'promote your page',
  'promote your account',
  'promotion on',
  'boost your account',
  'grow your account',
  'earn money from home',
];

/** Top-level domains that make a word a link ("bit.ly/x", "shop.store"), besides http:// and www. */
export const LINK_TOP_LEVEL_DOMAINS: readonly string[] = [
  'com',
  'net',
  'org',
  'io',
  'co',
  'me',
  'ly',
  'link',
  'shop',
  'store',
  'site',
  'online',
  'xyz',
  'info',
  'biz',
  'app',
  'gg',
  'tv',
];

/** Emoji code points, skin-tone modifiers, flags, ZWJ, variation selectors and the keycap mark. */
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200D|\uFE0E|\uFE0F|\u20E3/gu;
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]/gu;
const COMBINING_MARK = /\p{M}/gu;
const REPEATED_LETTER = /(\p{L})\1+/gu;
const LINK = new RegExp(`https?://|\\bwww\\.|[\\p{L}\\p{N}-]\\.(?:${LINK_TOP_LEVEL_DOMAINS.join('|')})(?:/|\\s|$)`, 'iu');

/**
 * The words of a comment as the generic-comment rules compare them: NFKC-normalised, lower case, accents
 * removed ("qué" → "que", "schön" → "schon"), emoji, punctuation and symbols replaced by spaces, split on
 * white space, and every run of a repeated letter squeezed to one ("Niiice!!" → ["nice"], "so coool 🔥" →
 * ["so", "col"]). Phrases and praise words go through the same steps, so they still match.
 */
export function normaliseCommentText(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING_MARK, '')
    .replace(EMOJI, ' ')
    .replace(PUNCTUATION_OR_SYMBOL, ' ')
    .split(/\s+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.replace(REPEATED_LETTER, '$1'));
}

const GENERIC_PHRASE_SET = new Set(GENERIC_COMMENT_PHRASES.map((p) => normaliseCommentText(p).join(' ')));
const PRAISE_WORD_SET = new Set(GENERIC_PRAISE_WORDS.flatMap((w) => normaliseCommentText(w)));
/** The promotional fragments as word lists, by their first word (a comment is checked word by word). */
const PROMO_BY_FIRST_WORD = new Map<string, string[][]>();
for (const fragment of PROMO_SPAM_FRAGMENTS) {
  const words = normaliseCommentText(fragment);
  PROMO_BY_FIRST_WORD.set(words[0], [...(PROMO_BY_FIRST_WORD.get(words[0]) ?? []), words]);
}

/** Whether the words hold one of PROMO_SPAM_FRAGMENTS as consecutive words. */
function holdsPromoFragment(words: string[]): boolean {
  return words.some(
    (first, i) => PROMO_BY_FIRST_WORD.get(first)?.some((fragment) => fragment.every((w, k) => words[i + k] === w)) ?? false,
  );
}

/**
 * Whether a comment is generic:
 *   1. nothing left after removing emoji, punctuation, symbols and white space (emoji-only, "🔥🔥", "!!!", ""), or
 *   2. promotional spam: it holds a link (LINK_TOP_LEVEL_DOMAINS, http://, www.) or one of PROMO_SPAM_FRAGMENTS, or
 *   3. its normalised words equal one of GENERIC_COMMENT_PHRASES ("Nice pic!", "LOVE THIS 😍", "Muy bonito"), or
 *   4. very short praise: not a question (no "?"), at most shortPraiseMaxWords words, every one in
 *      GENERIC_PRAISE_WORDS ("so nice", "wow amazing shot", "trop beau", "keren banget kak").
 */
export function isGenericComment(text: string): boolean {
  const words = normaliseCommentText(text);
  if (words.length === 0) return true;
  if ((text.includes('.') || text.includes('://')) && LINK.test(text)) return true; // every link has one of them: skip the regex otherwise
  if (holdsPromoFragment(words)) return true;
  if (GENERIC_PHRASE_SET.has(words.join(' '))) return true;
  return !text.includes('?') && words.length <= AUTHENTICITY_PARAMETERS.shortPraiseMaxWords && words.every((w) => PRAISE_WORD_SET.has(w));
}
