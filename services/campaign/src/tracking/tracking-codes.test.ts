import { clickIdSlot, codeCandidates, linkSlug, linkTarget, slugify, withClickId } from './tracking-codes';

describe('tracking codes and links', () => {
  it('makes readable codes from the handle, then numbered ones', () => {
    const first = [...codeCandidates('ella.runs')].slice(0, 3);
    expect(first).toEqual(['ELLARUNS', 'ELLARUNS2', 'ELLARUNS3']);
    expect(codeCandidates('a_really_long_handle_name_here').next().value).toBe('AREALLYLONGHANDL');
    expect(codeCandidates('x.').next().value).toBe('XCODE');
  });

  it('makes slugs from the handle and 40 random bits, unambiguous letters only', () => {
    const slugs = new Set(Array.from({ length: 1000 }, () => linkSlug('Ella.Runs')));
    expect(slugs.size).toBe(1000);
    for (const s of slugs) expect(s).toMatch(/^ellaruns-[a-km-np-z2-9]{8}$/);
  });

  it('adds the UTM parameters, keeping the landing page own ones', () => {
    const target = linkTarget('https://oaty.example/run?ref=spring&utm_source=old', 'Spring Run 2027!', 'Ella.Runs');
    const url = new URL(target);
    expect(url.origin + url.pathname).toBe('https://oaty.example/run');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      ref: 'spring',
      utm_source: 'influenceflow',
      utm_medium: 'influencer',
      utm_campaign: 'spring-run-2027',
      utm_content: 'ella.runs',
    });
    expect(withClickId('https://a.example/', 'c1')).toBe('https://a.example/?ifclid=c1');
    expect(withClickId(target, 'c1')).toBe(`${target}&ifclid=c1`);
    expect(slugify('Café Crème')).toBe('cafe-creme');
  });

  it('puts the click id into the query, keeping the landing page fragment last', () => {
    const target = linkTarget('https://shop.example/p?ref=ig#reviews', 'Spring', 'ella');
    expect(target).toBe(
      'https://shop.example/p?ref=ig&utm_source=influenceflow&utm_medium=influencer&utm_campaign=spring&utm_content=ella#reviews',
    );
    const location = withClickId(target, 'c1');
    expect(location).toBe(
      'https://shop.example/p?ref=ig&utm_source=influenceflow&utm_medium=influencer&utm_campaign=spring&utm_content=ella&ifclid=c1#reviews',
    );
    const url = new URL(location);
    expect(url.searchParams.get('ifclid')).toBe('c1');
    expect(url.hash).toBe('#reviews');
    expect(withClickId('https://a.example/p#frag', 'c1')).toBe('https://a.example/p?ifclid=c1#frag');
    // A fragment holding "?" (client-side routes) is not mistaken for the query.
    expect(withClickId('https://a.example/#/shop?x=1', 'c1')).toBe('https://a.example/?ifclid=c1#/shop?x=1');
    expect(withClickId('https://a.example/p?', 'c1')).toBe('https://a.example/p?ifclid=c1');
    expect(clickIdSlot('https://a.example/p?a=1#top')).toEqual({ head: 'https://a.example/p?a=1&ifclid=', tail: '#top' });
  });
});
