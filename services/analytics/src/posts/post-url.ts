/**
 * A post's URL as analytics compares it: the same post written two ways (as a creator pastes it, as a
 * platform's API gives it) has one form. Pure; no network (short links that only a redirect resolves,
 * like vm.tiktok.com, stay as they are).
 *
 * - `https`, the host in lower case without `www.` or `m.`, no port, query, fragment or trailing slash;
 * - YouTube: `youtu.be/ID`, `youtube.com/shorts/ID`, `/live/ID`, `/embed/ID` and `watch?v=ID` are all
 *   `https://youtube.com/watch?v=ID` (the one query parameter kept: it is the video);
 * - Instagram: `/reel/ID`, `/reels/ID`, `/tv/ID` and `/<user>/p/ID` are `https://instagram.com/p/ID`;
 * - TikTok: the `@handle` in lower case (handles are not case-sensitive; video ids are digits).
 *
 * Paths otherwise keep their case (Instagram short codes and YouTube ids are case-sensitive). Returns null
 * for what is not an http(s) URL.
 */
export function normalisePostUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase().replace(/^(www|m)\./, '');
  if (!host) return null;
  const segments = url.pathname.split('/').filter((s) => s !== '');

  if (host === 'youtube.com' || host === 'youtu.be' || host === 'music.youtube.com') {
    const id = youtubeId(host, segments, url.searchParams);
    if (id) return `https://youtube.com/watch?v=${encodeURIComponent(id)}`;
  }
  if (host === 'instagram.com') {
    // /p/ID, /reel/ID, /reels/ID, /tv/ID, and the newer /<user>/p/ID (or /<user>/reel/ID)
    const at = segments.findIndex((s, i) => i <= 1 && ['p', 'reel', 'reels', 'tv'].includes(s.toLowerCase()));
    if (at >= 0 && segments[at + 1]) return `https://instagram.com/p/${segments[at + 1]}`;
  }
  if (host === 'tiktok.com' && segments[0]?.startsWith('@')) segments[0] = segments[0].toLowerCase();
  return `https://${host}${segments.length ? `/${segments.join('/')}` : ''}`;
}

const YOUTUBE_ID = /^[A-Za-z0-9_-]{6,20}$/;

function youtubeId(host: string, segments: string[], query: URLSearchParams): string | null {
  const id =
    host === 'youtu.be'
      ? segments[0]
      : segments[0] === 'watch'
        ? query.get('v')
        : ['shorts', 'live', 'embed', 'v'].includes(segments[0] ?? '')
          ? segments[1]
          : null;
  return id && YOUTUBE_ID.test(id) ? id : null;
}
