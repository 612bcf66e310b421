import { normalisePostUrl } from './post-url';

describe('normalisePostUrl', () => {
  it('writes an Instagram post the same however it was copied (permalink, reel, username path, query, trailing slash)', () => {
    const same = 'https://instagram.com/p/C3xYz_AbQ12';
    for (const url of [
      'https://www.instagram.com/p/C3xYz_AbQ12/',
      'https://www.instagram.com/reel/C3xYz_AbQ12/?igsh=MWQ1ZGUxMzBkMA==',
      'http://instagram.com/reels/C3xYz_AbQ12',
      'https://WWW.Instagram.COM/tv/C3xYz_AbQ12/#comments',
      'https://www.instagram.com/trail.tess/p/C3xYz_AbQ12/',
      'https://m.instagram.com/p/C3xYz_AbQ12?utm_source=ig_web_copy_link',
    ]) {
      expect(normalisePostUrl(url)).toBe(same);
    }
    // Short codes are case-sensitive: another case is another post.
    expect(normalisePostUrl('https://www.instagram.com/p/c3xyz_abq12/')).not.toBe(same);
  });

  it('writes a YouTube video the same from watch?v=, youtu.be, shorts, live and embed links, keeping only the video id', () => {
    const same = 'https://youtube.com/watch?v=dQw4w9WgXcQ';
    for (const url of [
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      'https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s',
      'https://youtu.be/dQw4w9WgXcQ?si=abcDEF123',
      'https://www.youtube.com/shorts/dQw4w9WgXcQ',
      'https://youtube.com/shorts/dQw4w9WgXcQ/?feature=share',
      'https://www.youtube.com/live/dQw4w9WgXcQ',
      'https://www.youtube.com/embed/dQw4w9WgXcQ#t=3',
    ]) {
      expect(normalisePostUrl(url)).toBe(same);
    }
    expect(normalisePostUrl('https://www.youtube.com/watch?v=dQw4w9WgXcR')).not.toBe(same);
    // A channel page is no video: only the general rules apply (its query is dropped).
    expect(normalisePostUrl('https://www.youtube.com/@TrailTess/videos?view=0')).toBe('https://youtube.com/@TrailTess/videos');
    expect(normalisePostUrl('https://www.youtube.com/watch?list=PL123')).toBe('https://youtube.com/watch');
  });

  it('drops TikTok’s share parameters and reads the handle without case', () => {
    const same = 'https://tiktok.com/@trail.tess/video/7301234567890123456';
    expect(normalisePostUrl('https://www.tiktok.com/@Trail.Tess/video/7301234567890123456?is_from_webapp=1&sender_device=pc')).toBe(same);
    expect(normalisePostUrl('https://m.tiktok.com/@trail.tess/video/7301234567890123456/')).toBe(same);
    expect(normalisePostUrl('https://www.tiktok.com/@trail.tess/video/7301234567890123457')).not.toBe(same);
    // A short link is resolved only by following it: it stays itself.
    expect(normalisePostUrl('https://vm.tiktok.com/ZMabc123/')).toBe('https://vm.tiktok.com/ZMabc123');
  });

  it('drops LinkedIn’s tracking query and trailing slash, keeping the activity path', () => {
    expect(
      normalisePostUrl(
        'https://www.linkedin.com/posts/tess-trail_hiking-gear-activity-7130000000000000000-AbCd/?utm_source=share&utm_medium=member_desktop',
      ),
    ).toBe('https://linkedin.com/posts/tess-trail_hiking-gear-activity-7130000000000000000-AbCd');
    expect(normalisePostUrl('https://linkedin.com/feed/update/urn:li:activity:7130000000000000000/')).toBe(
      'https://linkedin.com/feed/update/urn:li:activity:7130000000000000000',
    );
  });

  it('refuses what is not an http(s) URL', () => {
    for (const bad of ['', 'not a url', 'instagram.com/p/abc', 'ftp://instagram.com/p/abc', 'javascript:alert(1)', 'mailto:a@b.c']) {
      expect(normalisePostUrl(bad)).toBeNull();
    }
  });

  it('is idempotent: a normalised URL normalises to itself', () => {
    for (const url of [
      'https://www.instagram.com/reel/C3xYz_AbQ12/?igsh=x',
      'https://youtu.be/dQw4w9WgXcQ',
      'https://www.tiktok.com/@Trail.Tess/video/1?x=1',
      'https://example.com/a/b/?c=d#e',
    ]) {
      const once = normalisePostUrl(url)!;
      expect(normalisePostUrl(once)).toBe(once);
    }
  });
});
