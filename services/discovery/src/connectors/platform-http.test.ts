import { hashtagsOf } from './connector';
import { countAt, dateAt, optionalCountAt, retryAfterMs } from './platform-http';
import { durationSeconds } from './youtube';

describe('reading platform answers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 10:01:30 GMT', now)).toBe(90_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
  });

  it('reads counts given as numbers or, like YouTube, as strings of digits, and refuses anything else', () => {
    expect(countAt('YouTube', '48210', 'subscriberCount')).toBe(48_210);
    expect(countAt('Instagram', 31_200, 'followers_count')).toBe(31_200);
    for (const bad of ['-1', '1e3', '12.5', 12.5, -3, '9'.repeat(20), null, {}, 'many']) {
      expect(() => countAt('YouTube', bad, 'subscriberCount')).toThrow(
        'YouTube answered without subscriberCount, unlike its documented response',
      );
    }
    expect(optionalCountAt('YouTube', undefined, 'likeCount')).toBeNull();
  });

  it("reads ISO dates, the Graph API's +0000 offsets included", () => {
    expect(dateAt('Instagram', '2026-11-30T07:15:00+0000', 'timestamp').toISOString()).toBe('2026-11-30T07:15:00.000Z');
    expect(dateAt('YouTube', '2026-11-30T07:15:00Z', 'publishedAt').toISOString()).toBe('2026-11-30T07:15:00.000Z');
    expect(() => dateAt('YouTube', 'yesterday', 'publishedAt')).toThrow(/publishedAt/);
    expect(() => dateAt('YouTube', 1_700_000_000, 'publishedAt')).toThrow(/publishedAt/);
  });

  it('reads ISO 8601 durations (a short is at most 60 s)', () => {
    expect(durationSeconds('PT45S')).toBe(45);
    expect(durationSeconds('PT1M')).toBe(60);
    expect(durationSeconds('PT1H2M3S')).toBe(3723);
    expect(durationSeconds('P1DT1S')).toBe(86_401);
    expect(durationSeconds('forever')).toBeNull();
    expect(durationSeconds(undefined)).toBeNull();
  });

  it('takes hashtags from captions: lower case, unique, at most 30', () => {
    expect(hashtagsOf('Sunrise #Trail #trail #café_au_lait, not a#tag? #123')).toEqual(['trail', 'café_au_lait', '123']);
    expect(hashtagsOf(Array.from({ length: 40 }, (_, i) => `#t${i}`).join(' '))).toHaveLength(30);
  });
});
