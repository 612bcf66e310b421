import { hashtagsInCaption, normaliseDisclosureText, normalisedWords } from '@influenceflow/vocabulary';
import { disclosuresIn, MarketRequirement } from './disclosure-rules';

/** What a finding is about. Values are the GraphQL names: they travel as they are in errors and events. */
export enum ComplianceFindingKind {
  MISSING_HASHTAG = 'MISSING_HASHTAG',
  MISSING_MENTION = 'MISSING_MENTION',
  MISSING_LINK = 'MISSING_LINK',
  MISSING_DISCLOSURE = 'MISSING_DISCLOSURE',
  FORBIDDEN_WORD = 'FORBIDDEN_WORD',
}

export interface ComplianceFindingData {
  kind: ComplianceFindingKind;
  /** What the brief asks for (`#trailco`, `@trailco`, a link, the accepted markers, or the forbidden word). */
  expected: string;
  /** What the draft has instead: the forbidden word as matched (normalised), the disclosure markers found; null when nothing. */
  found: string | null;
  message: string;
}

export interface ComplianceCheckData {
  passed: boolean;
  findings: ComplianceFindingData[];
}

/** What a draft is checked against: its brief version's requirements and the markets' disclosure rules. */
export interface ComplianceRequirements {
  requiredHashtags: readonly string[];
  requiredMentions: readonly string[];
  requiredLinks: readonly string[];
  forbiddenWords: readonly string[];
  disclosure: readonly MarketRequirement[];
}

export interface DraftText {
  caption: string;
  note: string;
}

const MENTIONS = /(?<![\p{L}\p{N}_.@])@([a-z0-9_.]+)/gu;
const LINKS = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"’]+$/u;

/** Host without `www.` and path without the trailing slash, lower case: how two links are compared. */
function linkKey(url: string): string | null {
  try {
    const parsed = new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`);
    const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
    const path = decodeURI(parsed.pathname).replace(/\/+$/, '').toLowerCase();
    return `${host}${path}`;
  } catch {
    return null;
  }
}

function linksIn(text: string): Set<string> {
  const keys = new Set<string>();
  for (const m of text.matchAll(LINKS)) {
    const key = linkKey(m[0].replace(TRAILING_PUNCTUATION, ''));
    if (key) keys.add(key);
  }
  return keys;
}

function mentionsIn(caption: string): Set<string> {
  const text = normaliseDisclosureText(caption).replace(LINKS, ' ');
  return new Set([...text.matchAll(MENTIONS)].map((m) => m[1].replace(/\.+$/, '')));
}

/** The forbidden word's normalised words when the caption's words hold them whole, else null. */
function forbiddenIn(words: string, word: string): string | null {
  const wanted = normalisedWords(word);
  if (!wanted) return null;
  return ` ${words} `.includes(` ${wanted} `) ? wanted : null;
}

const or = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

/**
 * The brief compliance check of a draft, the only one: required hashtags (as hashtags, case- and
 * accent-insensitive), mentions and links (a link in the caption or the note whose host and path match),
 * a disclosure each market accepts (the shared detector reads it: `#adidas` is no `#ad`), and no forbidden
 * word (whole words, case- and accent-insensitive). Pure.
 */
export function checkCompliance(req: ComplianceRequirements, draft: DraftText): ComplianceCheckData {
  const findings: ComplianceFindingData[] = [];
  const tags = new Set(hashtagsInCaption(draft.caption));
  for (const tag of req.requiredHashtags) {
    if (!tags.has(normaliseDisclosureText(tag))) {
      findings.push({
        kind: ComplianceFindingKind.MISSING_HASHTAG,
        expected: `#${tag}`,
        found: null,
        message: `The caption does not carry #${tag}.`,
      });
    }
  }

  const mentions = mentionsIn(draft.caption);
  for (const handle of req.requiredMentions) {
    if (!mentions.has(handle.toLowerCase())) {
      findings.push({
        kind: ComplianceFindingKind.MISSING_MENTION,
        expected: `@${handle}`,
        found: null,
        message: `The caption does not mention @${handle}.`,
      });
    }
  }

  const links = new Set([...linksIn(draft.caption), ...linksIn(draft.note)]);
  for (const link of req.requiredLinks) {
    const key = linkKey(link);
    if (key && !links.has(key)) {
      findings.push({
        kind: ComplianceFindingKind.MISSING_LINK,
        expected: link,
        found: null,
        message: `Neither the caption nor the note links to ${link}.`,
      });
    }
  }

  const disclosures = disclosuresIn(draft.caption);
  const found = disclosures.length ? disclosures.map((d) => d.marker).join(', ') : null;
  for (const market of req.disclosure) {
    const ok = market.markers ? disclosures.some((d) => market.markers!.includes(d.marker)) : disclosures.some((d) => d.paid);
    if (ok) continue;
    const expected = market.markers ? or(market.markers) : 'a paid-partnership disclosure (#ad, …)';
    const where = market.country ? ` for ${market.country}` : '';
    findings.push({
      kind: ComplianceFindingKind.MISSING_DISCLOSURE,
      expected: market.country ? `${expected} (${market.country})` : expected,
      found,
      message: `The caption does not disclose the partnership as required${where}: add ${expected}.`,
    });
  }

  const words = normalisedWords(draft.caption);
  for (const word of req.forbiddenWords) {
    const hit = forbiddenIn(words, word);
    if (hit) {
      findings.push({
        kind: ComplianceFindingKind.FORBIDDEN_WORD,
        expected: word,
        found: hit,
        message: `The caption uses "${word}", which the brief forbids.`,
      });
    }
  }
  return { passed: findings.length === 0, findings };
}
