import { randomBytes } from 'node:crypto';

/** Discount codes: 3–20 of A–Z and 0–9, stored upper case (so compared case-insensitively). */
export const CODE_PATTERN = /^[A-Z0-9]{3,20}$/;

/**
 * Candidate codes for a creator, best first: the handle's letters and digits upper-cased (at most 16),
 * then the same with 2, 3, … appended. "ella.runs" → ELLARUNS, ELLARUNS2, … A handle with fewer than 3
 * usable characters is padded with "CODE".
 */
export function* codeCandidates(handle: string): Generator<string> {
  let base = handle
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 16);
  if (base.length < 3) base = `${base}CODE`.slice(0, 16);
  yield base;
  for (let n = 2; n < 10_000; n++) yield `${base}${n}`;
}

const SLUG_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no l/1/o/0: a slug read aloud stays unambiguous

/** A tracking link's slug: the handle's start and 8 random characters (40 bits), e.g. "ellaruns-k3m9x2qa". */
export function linkSlug(handle: string): string {
  const start =
    handle
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 20) || 'link';
  const bytes = randomBytes(8);
  let suffix = '';
  for (const b of bytes) suffix += SLUG_ALPHABET[b % SLUG_ALPHABET.length];
  return `${start}-${suffix}`;
}

/** A URL-friendly name: "Spring Run 2027!" → "spring-run-2027". */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'campaign'
  );
}

/**
 * Where a tracking link sends people: the landing page with utm_source=influenceflow,
 * utm_medium=influencer, utm_campaign=<campaign name, slugified> and utm_content=<creator handle>
 * (existing query parameters are kept; UTM ones are replaced). The redirect adds the click id.
 */
export function linkTarget(landingUrl: string, campaignName: string, handle: string): string {
  const url = new URL(landingUrl);
  url.searchParams.set('utm_source', 'influenceflow');
  url.searchParams.set('utm_medium', 'influencer');
  url.searchParams.set('utm_campaign', slugify(campaignName));
  url.searchParams.set('utm_content', handle.toLowerCase());
  return url.toString();
}

/**
 * A target cut where the click id goes: `head + clickId + tail` is the redirect's Location. The id joins
 * the query, before any `#fragment` (which stays last, so the page still gets it and the id reaches the
 * server). Computed once per link, so each redirect is one string concatenation.
 */
export function clickIdSlot(target: string): { head: string; tail: string } {
  const hash = target.indexOf('#');
  const base = hash === -1 ? target : target.slice(0, hash);
  const query = base.indexOf('?');
  const separator = query === -1 ? '?' : query === base.length - 1 || base.endsWith('&') ? '' : '&';
  return { head: `${base}${separator}ifclid=`, tail: hash === -1 ? '' : target.slice(hash) };
}

/** The redirect's Location: the target with the click id (`ifclid`) for attribution. */
export function withClickId(target: string, clickId: string): string {
  const { head, tail } = clickIdSlot(target);
  return head + clickId + tail;
}
