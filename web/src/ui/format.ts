const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en');

export const followers = (n: number) => compact.format(n);
export const count = (n: number) => whole.format(n);
export const percent = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '—' : `${n.toFixed(digits)} %`);
export const titleCase = (s: string) =>
  s
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
export const ageLabel = (bucket: string) => bucket.replace('AGE_', '').replace('_PLUS', '+').replace('_', '–');
export const date = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString('en', { dateStyle: 'medium' }) : '—');

const PLATFORM_NAMES: Record<string, string> = { YOUTUBE: 'YouTube', TIKTOK: 'TikTok', LINKEDIN: 'LinkedIn', X: 'X' };
/** A platform's own spelling (YouTube, TikTok), else title case. */
export const platformName = (p: string) => PLATFORM_NAMES[p] ?? titleCase(p);
