import { Readable } from 'node:stream';
import { creatorRecordSchema, parseRecord } from '../creators/creator-record';
import { csvEscape, csvRecords, csvRows, ImportFormatError, SourceItem } from './csv';

async function rows(text: string, chunk = 0) {
  const pieces = chunk > 0 ? (text.match(new RegExp(`[\\s\\S]{1,${chunk}}`, 'g')) ?? []) : [text];
  const out = [];
  for await (const row of csvRows(Readable.from(pieces.map((p) => Buffer.from(p))))) out.push(row);
  return out;
}

async function records(text: string): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of csvRecords(Readable.from([Buffer.from(text)]))) out.push(item);
  return out;
}

const HEADER =
  'handle,display_name,bio,niches,content_styles,languages,country,region,city,markets,platform,account_handle,followers,following,post_count,engagement_rate,audience_countries,audience_ages,audience_genders,audience_interests,no_profile_picture_percent';

describe('CSV parser', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, with the line each row starts on', async () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\n\nlast,,\n';
    const expected = [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, fields: ['last', '', ''] },
    ];
    expect(await rows(text)).toEqual(expected);
    // The same whatever the chunk boundaries.
    for (const size of [1, 2, 3, 7]) expect(await rows(text, size)).toEqual(expected);
  });

  it('skips a BOM, reads a last line without newline, and reports an unclosed quote', async () => {
    expect(await rows('\ufeffa,b\n1,"2"')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(await rows('a\n"open,\nstill open')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, error: 'a quoted field is not closed before the end of the file' },
    ]);
    expect(await rows('"",""\n')).toEqual([{ line: 1, fields: ['', ''] }]);
  });

  it('escapes values for writing', () => {
    expect(csvEscape('plain')).toBe('plain');
    expect(csvEscape('a, "b"')).toBe('"a, ""b"""');
  });
});

describe('CSV creator records', () => {
  it('groups consecutive lines of one handle into a creator with several accounts', async () => {
    const text = [
      HEADER,
      '"Tess.Trails",Tess,"Hikes, climbs","outdoors; travel",vlog,en,us,,Denver,CA;GB,Instagram,tess.trails,15000,300,120,4.5,US:60;CA:20,18-24:40;25-34:35,female:60;male:38,hiking;travel,5',
      'tess.trails,,,,,,,,,,tiktok,@tess,22000,,,6.1,,,,,',
      'solo,Solo,,food,,,,,,,,,,,,,,,,,',
    ].join('\n');
    const items = await records(text);
    expect(items).toHaveLength(2);
    const first = (items[0] as { record: { line: number; raw: unknown; accountLines: number[] } }).record;
    expect(first.line).toBe(2);
    expect(first.accountLines).toEqual([2, 3]);
    const parsed = parseRecord(creatorRecordSchema, first.raw);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({
      handle: 'tess.trails',
      bio: 'Hikes, climbs',
      niches: ['outdoors', 'travel'],
      country: 'US',
      city: 'Denver',
      markets: ['CA', 'GB'],
    });
    expect(parsed.value.accounts.map((a) => [a.platform, a.handle, a.followers, a.engagementRate])).toEqual([
      ['instagram', 'tess.trails', 15_000, 4.5],
      ['tiktok', 'tess', 22_000, 6.1],
    ]);
    expect(parsed.value.accounts[0].audience).toMatchObject({
      countries: [
        { country: 'US', share: 0.6 },
        { country: 'CA', share: 0.2 },
      ],
      ages: { '18-24': 0.4, '25-34': 0.35 },
      genders: { female: 0.6, male: 0.38 },
      interests: ['hiking', 'travel'],
      noProfilePictureShare: 0.05,
    });
    expect(parsed.value.accounts[1].audience).toBeNull();
    const solo = (items[1] as { record: { raw: unknown } }).record;
    expect(parseRecord(creatorRecordSchema, solo.raw)).toMatchObject({ ok: true, value: { handle: 'solo', accounts: [] } });
  });

  it('lets the schema refuse bad values, and refuses lines that disagree with the first or are malformed', async () => {
    const text = [
      'handle,display_name,niches,platform,account_handle,followers',
      'ann,Ann,food,instagram,ann,lots',
      'ann,Annie,,tiktok,ann,10',
      'bob,Bob,food,instagram,bob',
      'cy,Cy,food,instagram,cy,5',
    ].join('\n');
    const items = await records(text);
    expect(items[0]).toEqual({
      errors: [{ line: 3, field: 'displayName', reason: 'differs from the creator\'s first line 2 ("Ann")' }],
    });
    expect(items[1]).toEqual({ errors: [{ line: 4, field: '(record)', reason: 'has 5 fields, the header has 6' }] });
    expect(items).toHaveLength(3);
    const cy = items[2] as { record: { raw: unknown } };
    expect(parseRecord(creatorRecordSchema, cy.record.raw)).toMatchObject({ ok: true, value: { handle: 'cy' } });
    const bad = await records('handle,display_name,niches,platform,account_handle,followers\nx1,X,food,instagram,x1,lots\n');
    const parsed = parseRecord(creatorRecordSchema, (bad[0] as { record: { raw: unknown } }).record.raw);
    expect(parsed).toEqual({ ok: false, problems: [{ field: 'accounts.0.followers', reason: 'must be a number' }] });
  });

  it('requires a header with known columns', async () => {
    await expect(records('')).rejects.toThrow(ImportFormatError);
    await expect(records('handle,display_name,colour\n')).rejects.toThrow(/unknown column\(s\) "colour"/);
    await expect(records('display_name,niches\n')).rejects.toThrow(/no "handle" column/);
  });

  it('reads audience pairs in percent, and refuses the fraction column and fraction pairs of older files', async () => {
    await expect(records('handle,display_name,no_profile_picture_share\n')).rejects.toThrow(
      /"no_profile_picture_share" \(a fraction 0–1\) is no longer read: shares are percent now; name it "no_profile_picture_percent"/,
    );
    const text = [
      'handle,display_name,niches,platform,account_handle,followers,audience_countries,audience_ages,audience_genders,no_profile_picture_percent',
      'pct.pia,Pia,food,instagram,pct.pia,900,US:55.5;FR:20,18-24:40,female:51;male:47,3.5',
      'pct.old,Old,food,instagram,pct.old,900,US:0.6;CA:0.2,18-24:0.4;25-34:0.35,female:0.6,',
      'pct.big,Big,food,instagram,pct.big,900,US:140,,,101',
    ].join('\n');
    const [pia, old, big] = (await records(text)).map((item) =>
      parseRecord(creatorRecordSchema, (item as { record: { raw: unknown } }).record.raw),
    );
    expect(pia).toMatchObject({
      ok: true,
      value: {
        accounts: [
          {
            audience: {
              countries: [
                { country: 'US', share: 0.555 },
                { country: 'FR', share: 0.2 },
              ],
              ages: { '18-24': 0.4 },
              genders: { female: 0.51, male: 0.47 },
              noProfilePictureShare: 0.035,
            },
          },
        ],
      },
    });
    const fractions = 'that looks like fractions 0–1; shares are percent (40 for 40 %)';
    expect(old).toEqual({
      ok: false,
      problems: [
        { field: 'accounts.0.audience.ages', reason: `age shares add up to 0.75: ${fractions}` },
        { field: 'accounts.0.audience.genders', reason: `gender shares add up to 0.6: ${fractions}` },
        { field: 'accounts.0.audience.countries', reason: `country shares add up to 0.8: ${fractions}` },
      ],
    });
    expect(big).toEqual({
      ok: false,
      problems: [
        { field: 'accounts.0.audience.countries.0.percent', reason: 'must be a percent between 0 and 100 (40 means 40 %)' },
        { field: 'accounts.0.audience.noProfilePicturePercent', reason: 'must be a percent between 0 and 100 (40 means 40 %)' },
      ],
    });
  });
});
