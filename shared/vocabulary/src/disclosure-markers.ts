/**
 * The words that disclose a paid or gifted post, as data: one list for discovery (is a post sponsored?)
 * and campaign (does a creator's post carry the disclosure a brief asks for?). `detectSponsorship`
 * (disclosure.ts) reads them; docs/sponsored.md shows them as a table.
 *
 * Written as people write them (lower case, accents kept), hashtags without the `#`; they are compared
 * after the same normalisation as the text (disclosure.ts: NFKC, lower case, accents removed), so
 * "#Publicite" and "#publicité" are the same marker.
 *
 * `disclosure`: `paid` (money changed hands) or `gifted` (the product was given). Advertising rules
 * (FTC, ASA, the EU's national authorities) treat a gifted product as a material connection that must
 * be disclosed, so a gifted marker makes a post sponsored too; the kind is kept so a brief can ask for
 * one or the other.
 */

/** ISO 639-1 code of the language a marker belongs to. */
export type DisclosureLanguage = 'en' | 'de' | 'fr' | 'es' | 'pt' | 'it' | 'nl' | 'da' | 'no' | 'sv';
export type DisclosureKind = 'paid' | 'gifted';

export interface DisclosureMarkerDefinition {
  /** As compared: a hashtag without `#`, or the words of a phrase. */
  readonly text: string;
  readonly language: DisclosureLanguage;
  readonly disclosure: DisclosureKind;
}

const paid = (language: DisclosureLanguage, ...texts: string[]) => texts.map((text) => ({ text, language, disclosure: 'paid' as const }));
const gifted = (language: DisclosureLanguage, ...texts: string[]) =>
  texts.map((text) => ({ text, language, disclosure: 'gifted' as const }));

/**
 * Hashtags, matched whole: `#ad` is not `#adidas` nor `#adventure`. Ambiguous short tags of another
 * language (`#pub`, a bar in English; `#adv`) are kept because their authorities name them.
 */
export const DISCLOSURE_HASHTAGS: readonly DisclosureMarkerDefinition[] = Object.freeze([
  ...paid('en', 'ad', 'ads', 'sponsored', 'paid', 'partner', 'advertisement', 'sponsoredpost', 'paidpartnership', 'paidad'),
  ...gifted('en', 'gifted', 'giftedby'),
  ...paid('de', 'anzeige', 'werbung', 'gesponsert', 'bezahltepartnerschaft'),
  // "Unpaid advertising": German creators' label for products they were given or bought themselves.
  ...gifted('de', 'unbezahltewerbung'),
  ...paid('fr', 'publicité', 'pub', 'sponsorisé', 'partenariatrémunéré'),
  ...paid('es', 'publicidad', 'patrocinado', 'colaboraciónpagada'),
  ...paid('pt', 'publi', 'publipost', 'publicidade', 'parceriapaga'),
  ...paid('it', 'adv', 'sponsorizzato', 'partnershipretribuita'),
  ...paid('nl', 'reclame', 'gesponsord'),
  ...paid('da', 'reklame'),
  ...paid('no', 'annonse'),
  ...paid('sv', 'sponsrad', 'reklam'),
]);

/**
 * Phrases, matched as whole words anywhere in the caption ("Paid partnership with @brand"), unless a
 * negation comes right before them ("not sponsored by anyone").
 */
export const DISCLOSURE_PHRASES: readonly DisclosureMarkerDefinition[] = Object.freeze([
  ...paid('en', 'paid partnership', 'sponsored by', 'in partnership with'),
  ...gifted('en', 'gifted by'),
  ...paid('de', 'bezahlte partnerschaft', 'gesponsert von'),
  ...paid('fr', 'partenariat rémunéré', 'sponsorisé par'),
  // Spanish and Portuguese share "patrocinado por"; Norwegian and Swedish "betalt partnerskap".
  ...paid('es', 'colaboración pagada', 'patrocinado por'),
  ...paid('pt', 'parceria paga'),
  ...paid('it', 'partnership retribuita', 'sponsorizzato da'),
  ...paid('nl', 'betaald partnerschap', 'gesponsord door'),
  ...paid('da', 'betalt partnerskab'),
  ...paid('no', 'betalt partnerskap'),
  ...paid('sv', 'sponsrad av'),
]);

/** Words that, right before a phrase (an article may sit between), say it is not a disclosure. */
export const DISCLOSURE_NEGATIONS: readonly string[] = Object.freeze([
  'not',
  "isn't",
  'never',
  'no',
  'non',
  'nicht',
  'kein',
  'keine',
  'pas',
  'não',
  'niet',
  'geen',
  'ikke',
  'inte',
]);

/** Words allowed between a negation and the phrase ("not a paid partnership"). */
export const DISCLOSURE_NEGATION_FILLERS: readonly string[] = Object.freeze([
  'a',
  'an',
  'ein',
  'eine',
  'un',
  'une',
  'una',
  'uma',
  'een',
  'en',
  'et',
]);
