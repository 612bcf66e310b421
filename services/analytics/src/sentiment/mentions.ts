/**
 * Where a comment names the brand, one of its products or one of its handles.
 *
 * Matching is on a folded copy of the text (NFKD, combining marks removed, lower case) that remembers where
 * each of its characters came from, so a match's span points into the text as given. Letters, digits, marks
 * and "_" make up words ("_" is part of handles and hashtags). A term matches as whole words only: "Oaty"
 * in "oaty!", "#oaty" and "@oaty", never in "goaty". A multi-word term matches with any run of spaces or
 * punctuation between its words, or run together as a hashtag ("#oatmilkbarista"). Rules: docs/sentiment.md.
 */
import { badInput } from '@influenceflow/kit';

export interface BrandTerms {
  brandName: string;
  products: string[];
  /** Social handles, with or without the leading "@". */
  handles?: string[];
}

export type MentionKind = 'brand' | 'product' | 'handle' | 'hashtag';

export interface Mention {
  /** The term as given in BrandTerms. */
  term: string;
  /** As written: hashtag for "#term", handle for "@term", else the kind of the term that matched. */
  kind: MentionKind;
  /** [start, end) in UTF-16 code units of the text as given, "#" or "@" included, as String.prototype.slice takes them. */
  start: number;
  end: number;
  /** The text that matched, as written. */
  text: string;
}

/** Shorter terms ("A", "X") would match everywhere. */
export const MIN_TERM_LENGTH = 2;
/** Longer comments are searched in their first characters only, like the sentiment classifier. */
export const MAX_SEARCHED_CHARS = 5_000;
/** A brand's catalogue of terms is small; more than this is a caller's bug, not a brand. */
export const MAX_TERMS = 500;
export const MAX_TERM_LENGTH = 200;

interface Term {
  term: string;
  kind: 'brand' | 'product' | 'handle';
  words: string[];
}

export function findMentions(text: string, terms: BrandTerms): Mention[] {
  if (typeof text !== 'string') throw badInput('text', 'must be a string');
  const searchable = collectTerms(terms);
  if (searchable.length === 0) return [];

  let capped = text.slice(0, MAX_SEARCHED_CHARS);
  if (/[\ud800-\udbff]$/.test(capped)) capped = capped.slice(0, -1);
  const { folded, startOf, endOf } = foldWithOffsets(capped);

  const found: Mention[] = [];
  for (const term of searchable) {
    for (const match of folded.matchAll(patternFor(term))) {
      const [whole, hash, at] = match;
      const prefix = hash ?? at;
      const start = startOf[match.index];
      const end = endOf[match.index + whole.length - 1];
      found.push({ term: term.term, kind: kindOf(prefix, term), start, end, text: capped.slice(start, end) });
    }
  }
  return removeOverlaps(found);
}

/** How the comment wrote it: "#oaty" is a hashtag and "@oaty" a handle, whichever term it is. */
function kindOf(prefix: string, term: Term): MentionKind {
  if (prefix === '#') return 'hashtag';
  if (prefix === '@') return 'handle';
  return term.kind;
}

function collectTerms(terms: BrandTerms): Term[] {
  if (terms === null || typeof terms !== 'object') throw badInput('terms', 'must be an object');
  const { brandName, products, handles = [] } = terms;
  if (typeof brandName !== 'string') throw badInput('terms.brandName', 'must be a string');
  if (!Array.isArray(products)) throw badInput('terms.products', 'must be a list of strings');
  if (!Array.isArray(handles)) throw badInput('terms.handles', 'must be a list of strings');
  if (products.length + handles.length + 1 > MAX_TERMS) throw badInput('terms', `must name at most ${MAX_TERMS} terms`);

  const given: Array<[Term['kind'], unknown, string]> = [
    ['brand', brandName, 'terms.brandName'],
    ...products.map((p, i): [Term['kind'], unknown, string] => ['product', p, `terms.products.${i}`]),
    ...handles.map((h, i): [Term['kind'], unknown, string] => ['handle', h, `terms.handles.${i}`]),
  ];
  const result: Term[] = [];
  for (const [kind, term, field] of given) {
    if (typeof term !== 'string') throw badInput(field, 'must be a string');
    if (term.length > MAX_TERM_LENGTH) throw badInput(field, `must be at most ${MAX_TERM_LENGTH} characters`);
    const bare = kind === 'handle' ? term.trim().replace(/^@/, '') : term;
    const words = fold(bare)
      .split(/[^\p{L}\p{N}\p{M}_]+/u)
      .filter(Boolean);
    if (words.join('').length < MIN_TERM_LENGTH) continue;
    result.push({ term, kind, words });
  }
  return result;
}

/**
 * As a hashtag (group 1 is "#"), a term's words run together, joined by nothing or one "_" ("#oatmilkbarista",
 * "#oat_milk_barista"); spelt out, bare or after "@" (group 2), any non-word characters may stand between
 * them ("Oat Milk Barista", "oat-milk barista"). Neither may touch a word character on either side.
 */
function patternFor({ words }: Term): RegExp {
  const escaped = words.map(escapeRegExp);
  const hashtag = escaped.join('_?');
  const spelt = escaped.join('[^\\p{L}\\p{N}\\p{M}_]+');
  return new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_#@])(?:(#)${hashtag}|(@?)${spelt})(?![\\p{L}\\p{N}\\p{M}_])`, 'gu');
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fold(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

interface FoldedText {
  folded: string;
  /** For each UTF-16 unit of `folded`: where the character it came from starts and ends in the original. */
  startOf: number[];
  endOf: number[];
}

/**
 * The text folded character by character, remembering where each folded unit came from: folding changes
 * lengths ("ﬁ" → "fi", "é" as e + U+0301 → "e"), and a span must point into the text as written.
 */
function foldWithOffsets(text: string): FoldedText {
  let folded = '';
  const startOf: number[] = [];
  const endOf: number[] = [];
  let offset = 0;
  for (const char of text) {
    const end = offset + char.length;
    const piece = fold(char);
    if (piece === '' && endOf.length > 0) endOf[endOf.length - 1] = end; // a combining mark joins its letter
    for (let i = 0; i < piece.length; i += 1) {
      startOf.push(offset);
      endOf.push(end);
    }
    folded += piece;
    offset = end;
  }
  return { folded, startOf, endOf };
}

/** Where terms overlap ("Oaty" inside "Oaty Barista"), the longer match is the mention. */
function removeOverlaps(mentions: Mention[]): Mention[] {
  const longestFirst = [...mentions].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Mention[] = [];
  for (const mention of longestFirst) if (!kept.some((k) => mention.start < k.end && k.start < mention.end)) kept.push(mention);
  return kept.sort((a, b) => a.start - b.start);
}
