import type { PostSample } from '../src/rules/types';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2025, 0, 1);
export const at = (day: number): Date => new Date(T0 + day * DAY);

/** A post sample `day` days after 2025-01-01 with nothing on it but what `p` gives. */
export function post(day: number, p: Partial<PostSample> = {}): PostSample {
  return {
    postedAt: at(day),
    format: 'reel',
    likes: 0,
    comments: 0,
    shares: 0,
    saves: 0,
    views: null,
    reach: null,
    caption: '',
    hashtags: [],
    commentSamples: [],
    ...p,
  };
}
