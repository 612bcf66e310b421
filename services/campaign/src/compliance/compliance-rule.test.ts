import { disclosureMarkerNamed } from '@influenceflow/vocabulary';
import { checkCompliance, ComplianceFindingKind as K, ComplianceRequirements } from './compliance-rule';
import { DEFAULT_MARKET_MARKERS, marketRequirements } from './disclosure-rules';

const NONE: ComplianceRequirements = { requiredHashtags: [], requiredMentions: [], requiredLinks: [], forbiddenWords: [], disclosure: [] };
const ANY_PAID = marketRequirements(null, []);
const check = (req: Partial<ComplianceRequirements>, caption: string, note = '') =>
  checkCompliance({ ...NONE, disclosure: ANY_PAID, ...req }, { caption, note });
const kinds = (req: Partial<ComplianceRequirements>, caption: string, note = '') => check(req, caption, note).findings.map((f) => f.kind);

describe('brief compliance rule', () => {
  it('passes a caption with everything the brief asks for', () => {
    const result = check(
      {
        requiredHashtags: ['trailco'],
        requiredMentions: ['trailco'],
        requiredLinks: ['https://trailco.example/shoes'],
        forbiddenWords: ['cheap'],
      },
      'New grip 🥾 @trailco #TrailCo #ad https://trailco.example/shoes?utm=1',
    );
    expect(result).toEqual({ passed: true, findings: [] });
  });

  it('reports every finding kind at once, each with what was expected and a sentence', () => {
    const result = check(
      {
        requiredHashtags: ['trailco'],
        requiredMentions: ['trailco'],
        requiredLinks: ['https://trailco.example/shoes'],
        forbiddenWords: ['cheap'],
      },
      'So cheap!',
    );
    expect(result.passed).toBe(false);
    expect(result.findings).toEqual([
      { kind: K.MISSING_HASHTAG, expected: '#trailco', found: null, message: expect.stringContaining('#trailco') },
      { kind: K.MISSING_MENTION, expected: '@trailco', found: null, message: expect.stringContaining('@trailco') },
      { kind: K.MISSING_LINK, expected: 'https://trailco.example/shoes', found: null, message: expect.any(String) },
      { kind: K.MISSING_DISCLOSURE, expected: expect.stringContaining('#ad'), found: null, message: expect.any(String) },
      { kind: K.FORBIDDEN_WORD, expected: 'cheap', found: 'cheap', message: expect.stringContaining('cheap') },
    ]);
  });

  describe('hashtags', () => {
    it.each([
      ['#TRAILCO #ad', []],
      ['#trailcö #ad', []], // accents do not count
      ['#ad trailco', [K.MISSING_HASHTAG]], // a word is no hashtag
      ['#ad #trailcoshoes', [K.MISSING_HASHTAG]], // whole hashtags only
      ['#ad https://x.example/#trailco', [K.MISSING_HASHTAG]], // a link's fragment is no hashtag
      ['#ad 🥾#trailco🥾', []],
    ])('%s', (caption, expected) => expect(kinds({ requiredHashtags: ['trailco'] }, caption)).toEqual(expected));
  });

  describe('mentions', () => {
    it.each([
      ['@TrailCo #ad', []],
      ['Thanks @trailco. #ad', []],
      ['#ad mail me at me@trailco', [K.MISSING_MENTION]], // an e-mail address is no mention
      ['#ad @trailcoshop', [K.MISSING_MENTION]],
      ['#ad https://x.example/@trailco', [K.MISSING_MENTION]],
    ])('%s', (caption, expected) => expect(kinds({ requiredMentions: ['trailco'] }, caption)).toEqual(expected));
  });

  describe('links: host and path match, in the caption or the note', () => {
    const link = { requiredLinks: ['https://trailco.example/shoes'] };
    it.each([
      ['#ad https://TrailCo.example/shoes/', '', []],
      ['#ad www.trailco.example/shoes.', '', []],
      ['#ad (https://trailco.example/shoes?ref=tess#top)', '', []],
      ['#ad', 'link in bio: https://trailco.example/shoes', []],
      ['#ad https://trailco.example/shoes-sale', '', [K.MISSING_LINK]],
      ['#ad https://trailco.example.evil.test/shoes', '', [K.MISSING_LINK]],
      ['#ad trailco.example/shoes', '', [K.MISSING_LINK]], // no scheme nor www: not a link we read
    ])('%s | %s', (caption, note, expected) => expect(kinds(link, caption, note)).toEqual(expected));
  });

  describe('disclosure: the shared detector decides', () => {
    it.each([
      ['#ad', []],
      ['#AD', []],
      ['＃ＡＤ', []], // full-width
      ['Paid partnership with @trailco', []],
      ['#adidas #adventure', [K.MISSING_DISCLOSURE]],
      ['not sponsored by anyone', [K.MISSING_DISCLOSURE]],
      ['#gifted', [K.MISSING_DISCLOSURE]], // a gift is no paid disclosure by default
      ['ad', [K.MISSING_DISCLOSURE]],
      ['', [K.MISSING_DISCLOSURE]],
    ])('%s', (caption, expected) => expect(kinds({}, caption)).toEqual(expected));

    it('says which markers it found when they are not the ones accepted', () => {
      const [finding] = check({ disclosure: marketRequirements(null, ['DE']) }, 'Neu! #ad').findings;
      expect(finding).toMatchObject({ kind: K.MISSING_DISCLOSURE, expected: '#anzeige or #werbung (DE)', found: '#ad' });
    });
  });

  describe('market rules', () => {
    it.each([
      [['DE'], '#Anzeige', []],
      [['DE'], '#werbung', []],
      [['DE'], '#ad', [K.MISSING_DISCLOSURE]],
      [['FR'], '#publicite', []], // accent-insensitive
      [['FR'], '#publicité', []],
      [['FR'], '#anzeige', [K.MISSING_DISCLOSURE]],
      [['DE', 'FR'], '#anzeige #publicité', []],
      [['DE', 'FR'], '#anzeige', [K.MISSING_DISCLOSURE]], // every market's rule
      [['BR'], '#publi', []], // no default for BR: any paid marker
      [['de'], '#werbung', []],
    ])('%j %s', (countries, caption, expected) =>
      expect(kinds({ disclosure: marketRequirements(null, countries) }, caption)).toEqual(expected),
    );

    it("takes the brand's rule over the default, and its anyMarket where there is no default", () => {
      const rules = { anyMarket: ['#sponsored'], markets: [{ country: 'DE', markers: ['#ad'] }] };
      expect(marketRequirements(rules, ['DE', 'BR', 'FR'])).toEqual([
        { country: 'DE', markers: ['#ad'] },
        { country: 'BR', markers: ['#sponsored'] },
        { country: 'FR', markers: ['#publicité'] },
      ]);
      expect(marketRequirements(rules, [])).toEqual([{ country: null, markers: ['#sponsored'] }]);
      expect(kinds({ disclosure: marketRequirements(rules, ['DE']) }, '#anzeige')).toEqual([K.MISSING_DISCLOSURE]);
    });

    it('names in its default table only markers the detector knows, as it names them', () => {
      for (const markers of Object.values(DEFAULT_MARKET_MARKERS)) {
        for (const m of markers) expect(disclosureMarkerNamed(m)?.marker).toBe(m);
      }
    });
  });

  describe('forbidden words: whole words, case- and accent-insensitive, phrases too', () => {
    it.each([
      ['cheap', '#ad CHEAP shoes', ['cheap']],
      ['cheap', '#ad chëap', ['cheap']],
      ['cheap', '#ad cheapest prices', []],
      ['cheap', '#ad so-cheap!', ['cheap']],
      ['best price', '#ad the Best   Price ever', ['best price']],
      ['best price', '#ad best of price', []],
      ['crème', '#ad creme brulee', ['creme']],
      ['cheap', '#ad 🤑cheap🤑', ['cheap']],
      ['cheap', '#ad #cheap', ['cheap']], // a hashtag is a word of the caption too
    ])('%s in %s', (word, caption, found) =>
      expect(
        check({ forbiddenWords: [word] }, caption)
          .findings.filter((f) => f.kind === K.FORBIDDEN_WORD)
          .map((f) => f.found),
      ).toEqual(found),
    );
  });

  it('reads NUL bytes and long captions without failing', () => {
    expect(kinds({ requiredHashtags: ['trailco'] }, '#ad\u0000#trailco')).toEqual([]);
    expect(kinds({ forbiddenWords: ['cheap'] }, `#ad ${'x '.repeat(1100)}`)).toEqual([]);
  });
});
