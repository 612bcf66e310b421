import { AppError } from '@influenceflow/kit';
import { type BrandTerms, findMentions, MAX_SEARCHED_CHARS, MAX_TERMS } from './mentions';

const OATY: BrandTerms = { brandName: 'Oaty', products: ['Oat Milk Barista', 'Choc Chip'], handles: ['@oaty.official'] };

/** [kind, text] of each mention, in order: what a reader checks. */
const found = (text: string, terms: BrandTerms = OATY) => findMentions(text, terms).map((m) => [m.kind, m.text]);

describe('findMentions', () => {
  it('finds the brand as a whole word, a hashtag and a handle, with spans into the text', () => {
    const text = 'Oaty! love #oaty and @oaty';
    const mentions = findMentions(text, OATY);
    expect(mentions).toEqual([
      { term: 'Oaty', kind: 'brand', start: 0, end: 4, text: 'Oaty' },
      { term: 'Oaty', kind: 'hashtag', start: 11, end: 16, text: '#oaty' },
      { term: 'Oaty', kind: 'handle', start: 21, end: 26, text: '@oaty' },
    ]);
    for (const m of mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
  });

  it('matches whole words only', () => {
    expect(found('goaty oatys oaty_fan #oatyfan boaty')).toEqual([]);
    expect(found('(oaty) "oaty", oaty.')).toEqual([
      ['brand', 'oaty'],
      ['brand', 'oaty'],
      ['brand', 'oaty'],
    ]);
    expect(found('write to hello@oaty.com')).toEqual([]); // an e-mail address is not a handle
  });

  it('ignores case and accents, in the text and in the terms', () => {
    expect(found('OATY Öaty ōaty')).toEqual([
      ['brand', 'OATY'],
      ['brand', 'Öaty'],
      ['brand', 'ōaty'],
    ]);
    expect(found('nouveau café au lait', { brandName: 'Cafe', products: [] })).toEqual([['brand', 'café']]);
    expect(found('a cafe', { brandName: 'Café', products: [] })).toEqual([['brand', 'cafe']]);
  });

  it('keeps spans right where folding changes lengths', () => {
    // "é" written as e + U+0301, and the "ﬁ" ligature folding to two letters.
    const text = 'ﬁne cafe\u0301! ok';
    const [mention] = findMentions(text, { brandName: 'Café', products: [] });
    expect(mention).toMatchObject({ start: 4, end: 9, text: 'cafe\u0301' });
    expect(findMentions('ﬁne', { brandName: 'fine', products: [] })).toEqual([
      { term: 'fine', kind: 'brand', start: 0, end: 3, text: 'ﬁne' },
    ]);
  });

  it('matches a multi-word product across spaces and punctuation, or run together as a hashtag', () => {
    expect(found('the Oat  Milk\nbarista is great, oat-milk barista too')).toEqual([
      ['product', 'Oat  Milk\nbarista'],
      ['product', 'oat-milk barista'],
    ]);
    expect(found('#OatMilkBarista #oat_milk_barista')).toEqual([
      ['hashtag', '#OatMilkBarista'],
      ['hashtag', '#oat_milk_barista'],
    ]);
    expect(found('oatmilkbarista #oatmilkbaristas #myoatmilkbarista')).toEqual([]);
    // A hashtag ends at a space: "#oat milk barista" is the hashtag #oat and two words, not the product.
    expect(found('#oat milk barista')).toEqual([]);
  });

  it('prefers the longer of two overlapping terms', () => {
    const terms = { brandName: 'Oaty', products: ['Oaty Barista'] };
    expect(findMentions('the oaty barista', terms)).toEqual([
      { term: 'Oaty Barista', kind: 'product', start: 4, end: 16, text: 'oaty barista' },
    ]);
  });

  it('finds handles with or without their "@"', () => {
    expect(found('follow @oaty.official and oaty.official')).toEqual([
      ['handle', '@oaty.official'],
      ['handle', 'oaty.official'],
    ]);
    expect(found('x', { brandName: 'Oaty', products: [], handles: ['oaty.official'] })).toEqual([]);
    expect(found('@oaty.official', { brandName: 'Zz', products: [], handles: ['oaty.official'] })).toEqual([['handle', '@oaty.official']]);
  });

  it('skips terms shorter than two characters', () => {
    const terms = { brandName: 'A', products: ['x', '', '  ', '#', '@'], handles: ['@b'] };
    expect(findMentions('a x b @b # @ A', terms)).toEqual([]);
    expect(found('ab', { brandName: 'Ab', products: [] })).toEqual([['brand', 'ab']]);
  });

  it('treats regular-expression specials in terms as text', () => {
    const terms = { brandName: 'Oaty', products: ['.*', 'Choc (Chip)', 'a|b', 'Glow[+]', 'Back\\slash', '$5 Deal?'] };
    expect(found('anything at all', terms)).toEqual([]);
    expect(found('choc chip, glow+, back slash and a $5 deal', terms)).toEqual([
      ['product', 'choc chip'],
      ['product', 'glow'],
      ['product', 'back slash'],
      ['product', '5 deal'],
    ]);
  });

  it('returns nothing for empty or term-free text', () => {
    for (const text of ['', '   ', '\u0000', '🔥🔥', '#', '@']) expect(findMentions(text, OATY)).toEqual([]);
  });

  it('reads through NUL bytes and other control characters', () => {
    expect(found('\u0000oaty\u0000 oat\u0000milk\u0007barista')).toEqual([
      ['brand', 'oaty'],
      ['product', 'oat\u0000milk\u0007barista'],
    ]);
  });

  it('searches the first MAX_SEARCHED_CHARS characters of a huge text', () => {
    const text = 'oaty '.padEnd(MAX_SEARCHED_CHARS - 5, ' ') + 'oaty ' + 'oaty '.repeat(20_000);
    expect(findMentions(text, OATY).map((m) => m.start)).toEqual([0, MAX_SEARCHED_CHARS - 5]);
    expect(findMentions('goaty'.repeat(20_000), OATY)).toEqual([]);
    // The cut falls inside a surrogate pair: no half character is returned or matched.
    expect(findMentions('😀'.repeat(MAX_SEARCHED_CHARS), OATY)).toEqual([]);
  });

  it('copes with other scripts', () => {
    expect(found('我爱 Oaty 燕麦奶', OATY)).toEqual([['brand', 'Oaty']]);
    expect(found('Привет ОАТИ', { brandName: 'оати', products: [] })).toEqual([['brand', 'ОАТИ']]);
  });

  it('refuses wrong types with BAD_USER_INPUT naming the field', () => {
    const refuses = (text: unknown, terms: unknown, field: string) => {
      const call = () => findMentions(text as string, terms as BrandTerms);
      expect(call).toThrow(AppError);
      expect(call).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field }));
    };
    refuses(42, OATY, 'text');
    refuses(null, OATY, 'text');
    refuses('oaty', null, 'terms');
    refuses('oaty', 'Oaty', 'terms');
    refuses('oaty', { brandName: 7, products: [] }, 'terms.brandName');
    refuses('oaty', { brandName: 'Oaty' }, 'terms.products');
    refuses('oaty', { brandName: 'Oaty', products: 'Oat Milk' }, 'terms.products');
    refuses('oaty', { brandName: 'Oaty', products: ['ok', 3] }, 'terms.products.1');
    refuses('oaty', { brandName: 'Oaty', products: [], handles: '@oaty' }, 'terms.handles');
    refuses('oaty', { brandName: 'Oaty', products: [], handles: [{}] }, 'terms.handles.0');
    refuses('oaty', { brandName: 'x'.repeat(10_000), products: [] }, 'terms.brandName');
    refuses('oaty', { brandName: 'Oaty', products: Array.from({ length: MAX_TERMS }, (_, i) => `p${i}`) }, 'terms');
  });
});
