import { PLATFORMS, POST_FORMATS } from '../rules/types';
import {
  ADJECTIVES,
  COUNTRIES,
  FAN_WORDS,
  FARM_COUNTRIES,
  GENERIC_COMMENTS,
  GENUINE_COMMENTS,
  GLOBAL_AUDIENCE,
  LANGUAGE_EXTRA,
  NAMES,
  NICHES,
  NOUNS,
  PLATFORM_AGE,
  PLATFORM_ENGAGEMENT,
  PLATFORM_FORMATS,
  PLATFORM_PICK,
  VIDEO_FORMATS,
} from './synthetic-data';

const code = /^[A-Z]{2}$/;

describe('the synthetic reference data (./data/*.json)', () => {
  it('has 30 weighted countries with languages, [city, region] pairs, markets and a name pool', () => {
    expect(Object.keys(COUNTRIES)).toHaveLength(30);
    for (const [c, info] of Object.entries(COUNTRIES)) {
      expect(c).toMatch(code);
      expect(info.weight).toBeGreaterThan(0);
      expect(info.languages.length).toBeGreaterThan(0);
      for (const l of info.languages) expect(l).toMatch(/^[a-z]{2}$/);
      for (const pair of info.cities) expect(pair).toEqual([expect.any(String), expect.any(String)]);
      for (const n of info.near) expect(n).toMatch(code);
      expect(NAMES[info.names].first.length).toBeGreaterThan(0);
      expect(NAMES[info.names].last.length).toBeGreaterThan(0);
    }
    for (const c of [...FARM_COUNTRIES, ...GLOBAL_AUDIENCE, ...Object.keys(LANGUAGE_EXTRA)]) expect(c).toMatch(code);
    for (const extras of Object.values(LANGUAGE_EXTRA))
      for (const [l, p] of extras) expect([l, p]).toEqual([expect.stringMatching(/^[a-z]{2}$/), expect.any(Number)]);
  });

  it('has 25 niches, each with what the generator picks from', () => {
    expect(Object.keys(NICHES)).toHaveLength(25);
    for (const [name, n] of Object.entries(NICHES)) {
      expect(name).toMatch(/^[a-z][a-z0-9-]{1,30}$/);
      for (const list of [n.hashtags, n.interests, n.captions, n.styles]) expect(list.length).toBeGreaterThan(0);
      expect(n.female).toBeGreaterThan(0);
      expect(n.female).toBeLessThan(1);
      for (const p of Object.keys(n.platforms ?? {})) expect(PLATFORMS).toContain(p);
      expect(PLATFORM_PICK[name]).toBeDefined();
    }
  });

  it('knows every platform, its formats and its factors', () => {
    for (const p of PLATFORMS) {
      expect(PLATFORM_ENGAGEMENT[p]).toBeGreaterThan(0);
      expect(typeof PLATFORM_AGE[p]).toBe('number');
      for (const f of PLATFORM_FORMATS[p].items) expect(POST_FORMATS).toContain(f);
    }
    for (const f of VIDEO_FORMATS) expect(POST_FORMATS).toContain(f);
    for (const words of [ADJECTIVES, NOUNS, FAN_WORDS, GENUINE_COMMENTS, GENERIC_COMMENTS]) expect(words.length).toBeGreaterThan(5);
  });
});
