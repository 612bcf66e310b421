import { accountInputSchema, audienceIn, audienceInPercent, creatorRecordSchema, Parsed, parseRecord } from './creator-record';

// Audiences are given in percent (the API and import files) and kept as fractions: audienceIn reads both ways in.

const api = (audience: unknown) => parseRecord(audienceIn('api'), audience);
const file = (audience: unknown) => parseRecord(audienceIn('file'), audience);
const problems = (parsed: Parsed<unknown>) => (parsed.ok ? [] : parsed.problems);

describe('audience shares given in percent (audienceIn)', () => {
  it('turns percents into the fractions the record keeps, from the API and from files', () => {
    const fromApi = api({
      ages: [
        { ageBucket: '18-24', percent: 40 },
        { key: '25-34', percent: 33.3 },
      ],
      genders: [{ gender: 'female', percent: 60 }],
      countries: [
        { country: 'us', percent: 60 },
        { key: 'CA', percent: 20 },
      ],
      cities: [{ city: 'Denver', country: 'US', percent: 12.5 }],
      noProfilePicturePercent: 5,
    });
    const expected = {
      ages: { '18-24': 0.4, '25-34': 0.333 },
      genders: { female: 0.6 },
      countries: [
        { country: 'US', share: 0.6 },
        { country: 'CA', share: 0.2 },
      ],
      cities: [{ city: 'Denver', country: 'US', share: 0.125 }],
      interests: [],
      noProfilePictureShare: 0.05,
    };
    expect(fromApi).toEqual({ ok: true, value: expected });
    const fromFile = file({
      ages: { '18-24': 40, '25-34': 33.3 },
      genders: { female: 60 },
      countries: [
        { country: 'US', percent: 60 },
        { country: 'CA', percent: 20 },
      ],
      cities: [{ city: 'Denver', country: 'US', percent: 12.5 }],
      noProfilePicturePercent: 5,
    });
    expect(fromFile).toEqual({ ok: true, value: expected });
  });

  it('still reads the deprecated fraction fields of the API, part by part', () => {
    expect(
      api({
        ages: [{ key: '18-24', share: 0.4 }],
        countries: [
          { key: 'US', share: 0.6 },
          { key: 'CA', percent: 20 },
        ],
        cities: [{ city: 'Denver', country: 'US', share: 0.1 }],
        noProfilePictureShare: 0.05,
      }),
    ).toMatchObject({
      ok: true,
      value: {
        ages: { '18-24': 0.4 },
        countries: [
          { country: 'US', share: 0.6 },
          { country: 'CA', share: 0.2 },
        ],
        cities: [{ share: 0.1 }],
        noProfilePictureShare: 0.05,
      },
    });
  });

  it('refuses a part given both ways, or neither, naming the field', () => {
    expect(
      problems(
        api({
          countries: [{ key: 'US', percent: 60, share: 0.6 }, { key: 'CA' }],
          cities: [{ city: 'Denver', country: 'US', percent: 5, share: 0.05 }],
          noProfilePicturePercent: 5,
          noProfilePictureShare: 0.05,
        }),
      ),
    ).toEqual([
      { field: 'countries.0.share', reason: 'give percent or the deprecated share, not both' },
      { field: 'countries.1.percent', reason: 'is required: the percent of the audience (0–100, 40 means 40 %)' },
      { field: 'cities.0.share', reason: 'give percent or the deprecated share, not both' },
      { field: 'noProfilePictureShare', reason: 'give noProfilePicturePercent or the deprecated noProfilePictureShare, not both' },
    ]);
  });

  it('refuses a percent out of 0–100 and a fraction out of 0–1 with the unit, and non-numbers', () => {
    const range = 'must be a percent between 0 and 100 (40 means 40 %)';
    expect(problems(api({ countries: [{ key: 'US', percent: 140 }], noProfilePicturePercent: -1 }))).toEqual([
      { field: 'countries.0.percent', reason: range },
      { field: 'noProfilePicturePercent', reason: range },
    ]);
    expect(problems(api({ ages: [{ ageBucket: '18-24', share: 40 }] }))).toEqual([
      { field: 'ages.0.share', reason: 'is a fraction between 0 and 1 (0.4 means 40 %); give percent instead' },
    ]);
    expect(problems(file({ ages: { '18-24': 140 }, countries: [{ country: 'US', percent: '60' }] }))).toEqual([
      { field: 'ages.18-24', reason: range },
      { field: 'countries.0.percent', reason: 'must be a number: a percent of the audience (0–100, 40 means 40 %)' },
    ]);
    expect(problems(api({ countries: [{ key: 'US', percent: Number.NaN }] }))[0].field).toBe('countries.0.percent');
  });

  it('refuses groups adding up to more than 100 %, and percent groups adding up to 1 or less as fractions', () => {
    expect(
      problems(
        file({
          countries: [
            { country: 'US', percent: 70 },
            { country: 'CA', percent: 40 },
          ],
        }),
      ),
    ).toEqual([{ field: 'countries', reason: 'country shares must add up to at most 100 %, got 110 %' }]);
    expect(problems(file({ ages: { '18-24': 0.4, '25-34': 0.35 }, genders: { female: 0.6, male: 0.4 } }))).toEqual([
      { field: 'ages', reason: 'age shares add up to 0.75: that looks like fractions 0–1; shares are percent (40 for 40 %)' },
      { field: 'genders', reason: 'gender shares add up to 1: that looks like fractions 0–1; shares are percent (40 for 40 %)' },
    ]);
    expect(problems(api({ countries: [{ key: 'US', percent: 0.6 }] }))).toEqual([
      { field: 'countries', reason: 'country shares add up to 0.6: that looks like fractions 0–1; shares are percent (40 for 40 %)' },
    ]);
    // Fractions in the deprecated field are meant as fractions; zeros and a small top city are not fractions.
    expect(api({ countries: [{ key: 'US', share: 0.6 }] }).ok).toBe(true);
    expect(file({ ages: { '18-24': 0 }, cities: [{ city: 'Lyon', country: 'FR', percent: 0.5 }] }).ok).toBe(true);
    // 100 % exactly, in percents with decimals, is not over.
    expect(file({ countries: [33.3, 33.3, 33.4].map((percent, i) => ({ country: ['US', 'CA', 'GB'][i], percent })) }).ok).toBe(true);
  });

  it('refuses the fraction fields of older import files by name, saying shares are percent now', () => {
    expect(problems(file({ countries: [{ country: 'US', share: 0.6 }], noProfilePictureShare: 0.05 }))).toEqual([
      { field: 'countries.0.share', reason: 'is no longer read: shares are percent now; give "percent" (40 for 40 %)' },
      { field: 'noProfilePictureShare', reason: 'is no longer read: shares are percent now; give "noProfilePicturePercent" (40 for 40 %)' },
    ]);
    expect(problems(file({ cities: [{ city: 'Denver', country: 'US', share: 0.1 }] }))[0].field).toBe('cities.0.share');
  });

  it('checks the typed keys of the API: each in its group, one of key and the typed field', () => {
    expect(
      problems(
        api({
          ages: [
            { gender: 'female', percent: 50 },
            { ageBucket: '18-24', key: '18-24', percent: 10 },
            { ageBucket: '99+', percent: 5 },
          ],
          genders: [
            { gender: 'female', percent: 30 },
            { key: 'female', percent: 30 },
          ],
          countries: [{ country: 'XX', percent: 5 }],
        }),
      ),
    ).toEqual([
      { field: 'ages.0.gender', reason: 'belongs in genders, not here' },
      { field: 'ages.1.key', reason: 'give ageBucket or the deprecated key, not both' },
      { field: 'ages.2.ageBucket', reason: 'must be one of 13-17, 18-24, 25-34, 35-44, 45-54, 55+' },
      { field: 'genders', reason: 'must not list a gender twice' },
      { field: 'countries.0.country', reason: '"XX" is not an ISO 3166-1 alpha-2 country code' },
    ]);
  });

  it('is the inverse of audienceInPercent, which writes import files', () => {
    const record = {
      ages: { '18-24': 0.412, '55+': 0.05 },
      genders: { female: 0.6, male: 0.388 },
      countries: [{ country: 'US', share: 0.291 }],
      cities: [{ city: 'Austin', country: 'US', share: 0.031 }],
      interests: ['hiking'],
      noProfilePictureShare: 0.07,
    };
    const written = audienceInPercent(record);
    expect(written).toEqual({
      ages: { '18-24': 41.2, '55+': 5 },
      genders: { female: 60, male: 38.8 },
      countries: [{ country: 'US', percent: 29.1 }],
      cities: [{ city: 'Austin', country: 'US', percent: 3.1 }],
      interests: ['hiking'],
      noProfilePicturePercent: 7,
    });
    expect(file(JSON.parse(JSON.stringify(written)))).toEqual({ ok: true, value: record });
  });

  it('reads accounts of the API and of import files with the same rules and the same paths', () => {
    const account = { platform: 'instagram', handle: 'units.unit', followers: 1000 };
    const apiAccount = parseRecord(accountInputSchema, { ...account, audience: { countries: [{ key: 'US', percent: 140 }] } });
    expect(problems(apiAccount)).toEqual([
      { field: 'audience.countries.0.percent', reason: 'must be a percent between 0 and 100 (40 means 40 %)' },
    ]);
    const creator = { handle: 'units.unit', displayName: 'U', niches: ['outdoors'] };
    const imported = parseRecord(creatorRecordSchema, {
      ...creator,
      accounts: [{ ...account, audience: { countries: [{ country: 'US', percent: 140 }] } }],
    });
    expect(problems(imported)).toEqual([
      { field: 'accounts.0.audience.countries.0.percent', reason: 'must be a percent between 0 and 100 (40 means 40 %)' },
    ]);
    expect(parseRecord(creatorRecordSchema, { ...creator, accounts: [{ ...account, audience: null }] })).toMatchObject({
      ok: true,
      value: { accounts: [{ audience: null }] },
    });
  });
});
