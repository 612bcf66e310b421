import { listOf, paramsOfForm, searchVariables, toggleParam, toMinorUnits } from './search-params';

describe('the search in the URL', () => {
  it('turns every filter of the query string into searchCreators variables', () => {
    const p = new URLSearchParams(
      'q=trail running&niche=fitness&niche=outdoor, food&platform=INSTAGRAM&platform=NOPE&tier=MICRO&country=us,de&language=EN&style=tutorial' +
        '&fmin=10000&fmax=100000&ermin=3&auth=70&srmin=0.5&srmax=2&cur=usd&pmin=100&pmax=250.5&sort=FOLLOWERS&after=abc',
    );
    expect(searchVariables(p, false)).toEqual({
      filter: {
        keywords: 'trail running',
        niches: ['fitness', 'outdoor', 'food'],
        platforms: ['INSTAGRAM'],
        tiers: ['MICRO'],
        countries: ['US', 'DE'],
        languages: ['en'],
        contentStyles: ['tutorial'],
        followers: { min: 10000, max: 100000 },
        engagementRate: { min: 3 },
        minAuthenticity: 70,
        sponsoredRatio: { min: 0.5, max: 2 },
        price: { currency: 'USD', minMinor: 10000, maxMinor: 25050 },
      },
      sort: 'FOLLOWERS',
      target: null,
      after: 'abc',
    });
  });

  it('gives audience filters, the target and AUDIENCE_MATCH only to callers who may see audiences', () => {
    const p = new URLSearchParams(
      'age=AGE_18_24&age=AGE_25_34&agemin=40&acountry=us&acountrymin=30&tage=AGE_25_34&tgender=FEMALE&tcountry=US&sort=AUDIENCE_MATCH',
    );
    const brand = searchVariables(p, true);
    expect(brand.filter).toEqual({
      audienceAge: { buckets: ['AGE_18_24', 'AGE_25_34'], minPercent: 40 },
      audienceCountries: [{ country: 'US', minPercent: 30 }],
    });
    expect(brand.target).toEqual({ ages: ['AGE_25_34'], genders: ['FEMALE'], countries: ['US'] });
    expect(brand.sort).toBe('AUDIENCE_MATCH');
    const creator = searchVariables(p, false);
    expect(creator).toEqual({ filter: {}, sort: null, target: null, after: null });
  });

  it('drops AUDIENCE_MATCH without a target, and half-given audience filters', () => {
    const v = searchVariables(new URLSearchParams('sort=AUDIENCE_MATCH&age=AGE_18_24&acountry=US'), true);
    expect(v).toEqual({ filter: {}, sort: null, target: null, after: null });
  });

  it('ignores numbers that are not numbers', () => {
    expect(searchVariables(new URLSearchParams('fmin=lots&auth=&ermax=4'), false).filter).toEqual({ engagementRate: { max: 4 } });
  });

  it('toggles a facet value and starts again from the first page', () => {
    const p = new URLSearchParams('niche=fitness&after=xyz');
    expect(toggleParam(p, 'niche', 'food').toString()).toBe('niche=fitness&niche=food');
    expect(toggleParam(p, 'niche', 'fitness').toString()).toBe('');
  });

  it('keeps only the filled fields of a form', () => {
    expect(
      paramsOfForm([
        ['q', ' tea '],
        ['fmin', ''],
        ['tier', 'MICRO'],
        ['tier', 'NANO'],
      ]).toString(),
    ).toBe('q=tea&tier=MICRO&tier=NANO');
  });

  it('reads amounts in the currency minor units', () => {
    expect(toMinorUnits('12.34', 'USD')).toBe(1234);
    expect(toMinorUnits('500', 'JPY')).toBe(500);
    expect(toMinorUnits('x', 'USD')).toBeNull();
    expect(listOf(' a, ,b ')).toEqual(['a', 'b']);
  });
});
