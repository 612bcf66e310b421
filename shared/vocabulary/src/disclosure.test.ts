import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DISCLOSURE_HASHTAGS, DISCLOSURE_PHRASES } from './disclosure-markers';
import { detectSponsorship, disclosureMarkerNamed, normaliseDisclosureText, PLATFORM_LABEL_MARKER } from './disclosure';

const markersOf = (caption: string, hashtags: string[] = []) => detectSponsorship({ caption, hashtags }).markers.map((m) => m.marker);
const sponsored = (caption: string, hashtags: string[] = []) => detectSponsorship({ caption, hashtags }).sponsored;

describe('detectSponsorship: true cases', () => {
  it.each([
    ['Loving this serum #ad', '#ad'],
    ['#AD loving this serum', '#ad'],
    ['New drop!! #Ads', '#ads'],
    ['Thanks @brand #sponsored', '#sponsored'],
    ['#paid post', '#paid'],
    ['with my #partner @brand', '#partner'],
    ['#Advertisement: the new shoe', '#advertisement'],
    ['✨#ad✨ so good', '#ad'],
    ['so good 🎉🎉#ad🎉', '#ad'],
    ['so good (#ad)', '#ad'],
    ['so good #ad.', '#ad'],
    ['so good,#ad,#travel', '#ad'],
    ['full-width ＃ＡＤ works', '#ad'],
    ['zero-width #a\u200bd hides nothing', '#ad'],
    ['Neue Creme #Anzeige', '#anzeige'],
    ['#werbung weil Markennennung', '#werbung'],
    ['#unbezahltewerbung selbst gekauft', '#unbezahltewerbung'],
    ['Nouveau parfum #publicité', '#publicité'],
    ['Nouveau parfum #PUBLICITE', '#publicité'],
    ['Nouveau parfum #publicite\u0301', '#publicité'],
    ['Nouveau parfum #pub', '#pub'],
    ['#sponsorisé par la marque', '#sponsorisé'],
    ['Receta nueva #publicidad', '#publicidad'],
    ['#patrocinado', '#patrocinado'],
    ['Receita #publi', '#publi'],
    ['Receita #publipost', '#publipost'],
    ['Ricetta #adv', '#adv'],
    ['#sponsorizzato', '#sponsorizzato'],
    ['Nieuw #reclame', '#reclame'],
    ['#gesponsord', '#gesponsord'],
    ['Ny kjole #reklame', '#reklame'],
    ['#annonse for merket', '#annonse'],
    ['#sponsrad av märket', '#sponsrad'],
    ['Got this #gifted', '#gifted'],
  ])('%j shows %s', (caption, marker) => {
    expect(markersOf(caption)).toContain(marker);
  });

  it.each([
    ['Paid partnership with @brand', 'paid partnership'],
    ['PAID PARTNERSHIP WITH @BRAND', 'paid partnership'],
    ['Paid\npartnership with @brand', 'paid partnership'],
    ['This video is sponsored by NordVPN', 'sponsored by'],
    ['Made in partnership with @brand', 'in partnership with'],
    ['Gifted by @brand, opinions my own', 'gifted by'],
    ['Bezahlte Partnerschaft mit @marke', 'bezahlte partnerschaft'],
    ['Partenariat rémunéré avec @marque', 'partenariat rémunéré'],
    ['Partenariat remunere avec @marque', 'partenariat rémunéré'],
    ['Colaboración pagada con @marca', 'colaboración pagada'],
    ['Parceria paga com @marca', 'parceria paga'],
    ['Partnership retribuita con @marchio', 'partnership retribuita'],
    ['Betaald partnerschap met @merk', 'betaald partnerschap'],
    ['No filter. Paid partnership with @brand', 'paid partnership'],
    ['Not sponsored by them, but sponsored by @brand', 'sponsored by'],
  ])('%j shows the phrase %s', (caption, marker) => {
    const found = detectSponsorship({ caption }).markers;
    expect(found).toContainEqual(expect.objectContaining({ marker, kind: 'phrase' }));
  });

  it('finds markers in the hashtag list, with or without #, in any case', () => {
    expect(markersOf('', ['travel', 'AD'])).toEqual(['#ad']);
    expect(markersOf('', ['#Werbung'])).toEqual(['#werbung']);
    expect(markersOf('', ['publicité'])).toEqual(['#publicité']);
  });

  it("takes the platform's paid-partnership label as a marker of its own", () => {
    const finding = detectSponsorship({ caption: 'summer vibes', hashtags: [], paidPartnership: true });
    expect(finding).toEqual({ sponsored: true, markers: [PLATFORM_LABEL_MARKER] });
  });

  it('lists every marker once: the label first, then hashtags, then phrases in caption order', () => {
    const finding = detectSponsorship({
      caption: 'In partnership with @b. Paid partnership! #ad #AD #werbung',
      hashtags: ['ad', 'gifted'],
      paidPartnership: true,
    });
    expect(finding.markers.map((m) => [m.marker, m.kind, m.language])).toEqual([
      ['paid partnership label', 'platform_flag', null],
      ['#ad', 'hashtag', 'en'],
      ['#gifted', 'hashtag', 'en'],
      ['#werbung', 'hashtag', 'de'],
      ['in partnership with', 'phrase', 'en'],
      ['paid partnership', 'phrase', 'en'],
    ]);
  });

  it('says which disclosures are gifts', () => {
    expect(detectSponsorship({ caption: '#gifted' }).markers[0].disclosure).toBe('gifted');
    expect(detectSponsorship({ caption: 'gifted by @brand' }).markers[0].disclosure).toBe('gifted');
    expect(detectSponsorship({ caption: '#ad' }).markers[0].disclosure).toBe('paid');
  });
});

describe('detectSponsorship: false cases', () => {
  it.each([
    'New #adidas drop',
    'Weekend #adventure in the alps',
    '#adventures #adulting #advice #adorable',
    '#ad_campaign ideas',
    'This ad was funny',
    'I had to add salt',
    'A bad day at the ad agency',
    'Ad astra per aspera',
    'Made a #nonad video',
    '#notsponsored just love it',
    '#notanad',
    'Not sponsored by anyone, I bought it',
    "This isn't sponsored by anyone",
    'This is not a paid partnership',
    'Nicht bezahlte Partnerschaft',
    'Link: https://shop.example/page#ad',
    'Link: www.shop.example/#sponsored',
    'https://brand.example/sponsored-by-us',
    'shop.example/#ad',
    'C#ad is not a language',
    'HTML &#ad; entity',
    '@ad_account said hi',
    'sponsoredby is one word',
    'keycap #️⃣ads emoji',
    'the partner of my dreams',
    'paid for it myself',
    '',
  ])('%j is organic', (caption) => {
    expect(sponsored(caption)).toBe(false);
  });

  it('is organic without a caption, hashtags or label', () => {
    expect(detectSponsorship({})).toEqual({ sponsored: false, markers: [] });
    expect(detectSponsorship({ caption: null, hashtags: null, paidPartnership: null }).sponsored).toBe(false);
  });

  it('reads a false label as "the tool was not used", not as organic whatever the caption says', () => {
    expect(detectSponsorship({ caption: 'summer', paidPartnership: false }).sponsored).toBe(false);
    expect(detectSponsorship({ caption: '#ad summer', paidPartnership: false }).markers.map((m) => m.marker)).toEqual(['#ad']);
  });

  it('does not match hashtags in the list partly', () => {
    expect(sponsored('', ['adidas', 'adventure', 'badass', 'adds', 'sponsoredbynobody'])).toBe(false);
  });

  it('survives hostile input: NUL bytes, huge strings, values of the wrong type', () => {
    expect(sponsored('\0#ad\0')).toBe(true);
    expect(sponsored('\0ad\0')).toBe(false);
    const huge = 'x'.repeat(2_000_000);
    expect(sponsored(`${huge} #ad`)).toBe(true);
    expect(sponsored(`${'#'.repeat(100_000)}ad`)).toBe(true);
    expect(sponsored(`${'not '.repeat(100_000)}`)).toBe(false);
    const wrong = { caption: 42, hashtags: ['ad', 7, null], paidPartnership: 'true' } as never;
    expect(detectSponsorship(wrong).markers.map((m) => m.marker)).toEqual(['#ad']);
    expect(detectSponsorship({ hashtags: 'ad' as never, paidPartnership: 1 as never }).sponsored).toBe(false);
  });
});

describe('the marker list', () => {
  it('has no marker twice once normalised', () => {
    const hashtags = DISCLOSURE_HASHTAGS.map((d) => normaliseDisclosureText(d.text));
    const phrases = DISCLOSURE_PHRASES.map((d) => normaliseDisclosureText(d.text));
    expect(new Set(hashtags).size).toBe(hashtags.length);
    expect(new Set(phrases).size).toBe(phrases.length);
  });

  it('detects every marker it lists, written as listed', () => {
    for (const d of DISCLOSURE_HASHTAGS) expect(markersOf(`nice #${d.text}!`)).toContain(`#${d.text}`);
    for (const d of DISCLOSURE_PHRASES) expect(markersOf(`Nice. ${d.text.toUpperCase()} @brand`)).toContain(d.text);
  });

  it('covers the languages brands ask for', () => {
    const languages = new Set([...DISCLOSURE_HASHTAGS, ...DISCLOSURE_PHRASES].map((d) => d.language));
    expect([...languages].sort()).toEqual(['da', 'de', 'en', 'es', 'fr', 'it', 'nl', 'no', 'pt', 'sv']);
  });

  it('names a marker as a brief writes it', () => {
    expect(disclosureMarkerNamed('#AD')).toEqual({ marker: '#ad', kind: 'hashtag', language: 'en', disclosure: 'paid' });
    expect(disclosureMarkerNamed('  Paid   Partnership ')?.marker).toBe('paid partnership');
    expect(disclosureMarkerNamed('#Publicite')?.marker).toBe('#publicité');
    expect(disclosureMarkerNamed('#adidas')).toBeNull();
    expect(disclosureMarkerNamed('ad')).toBeNull();
  });
});

describe('docs/sponsored.md', () => {
  it('lists exactly the markers of the data, per language', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'sponsored.md'), 'utf8');
    const rows = doc.split('\n').filter((line) => /^\| [A-Z][a-z]+ \([a-z]{2}\)/.test(line));
    const documented = rows.flatMap((row) => {
      const [language, hashtags, phrases] = row.split('|').slice(1, 4);
      const code = /\(([a-z]{2})\)/.exec(language)![1];
      const items = (cell: string) => [...cell.matchAll(/`([^`]+)`( \(gifted\))?/g)].map((m) => `${code} ${m[1]}${m[2] ? ' gifted' : ''}`);
      return [...items(hashtags), ...items(phrases)];
    });
    const data = [
      ...DISCLOSURE_HASHTAGS.map((d) => `${d.language} #${d.text}${d.disclosure === 'gifted' ? ' gifted' : ''}`),
      ...DISCLOSURE_PHRASES.map((d) => `${d.language} ${d.text}${d.disclosure === 'gifted' ? ' gifted' : ''}`),
    ];
    expect(documented.sort()).toEqual(data.sort());
  });
});

describe('detectSponsorship: the phrase prefilter', () => {
  it('finds a phrase whose words an apostrophe or punctuation splits in the text', () => {
    expect(markersOf("Spon'sored by @brand")).toEqual(['sponsored by']);
    expect(markersOf('Paid-partnership with @brand')).toEqual(['paid partnership']);
    expect(markersOf('PAID...PARTNERSHIP')).toEqual(['paid partnership']);
  });
});
