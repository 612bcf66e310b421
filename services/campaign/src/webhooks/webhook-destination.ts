import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { badInput, isPublicAddress, parseHttpUrl, parsePublicHttpUrl } from '@influenceflow/kit';

/**
 * Where a webhook may go (docs/webhooks.md, "Destinations"). At creation the URL's text is checked; at
 * every delivery the name is resolved again and each address checked, and the request connects to the
 * address checked (the `lookup` below), so a name that starts resolving to an internal address later (DNS
 * rebinding) is refused too. `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_DESTINATIONS) lifts both checks for
 * development and tests, with local receivers on http://.
 */

/** The endpoint URL, normalised, or BAD_USER_INPUT on `field`. */
export function parseWebhookUrl(value: string, field: string, allowPrivate: boolean): string {
  if (typeof value !== 'string' || value.length > 2000) throw badInput(field, 'must be at most 2,000 characters');
  if (allowPrivate) return parseHttpUrl(value, field);
  const url = parsePublicHttpUrl(value, field, { allowIpHosts: true });
  if (!url.startsWith('https://')) throw badInput(field, 'must be an https:// URL');
  return url;
}

/** Why a destination was refused at delivery time: recorded on the attempt, never a crash. */
export class DestinationRefused extends Error {
  override name = 'DestinationRefused';
  readonly code = 'WEBHOOK_DESTINATION_REFUSED';
}

/** The host of a URL as a connection would use it: an IPv6 literal without its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Refuses an IP literal host that is not public (Node connects to literals without a lookup). */
export function checkLiteralHost(host: string, allowPrivate: boolean): void {
  if (!allowPrivate && isIP(host) !== 0 && !isPublicAddress(host)) {
    throw new DestinationRefused(`the destination ${host} is not a public internet address`);
  }
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request: resolves the name, refuses it when any address is not public (unless
 * `allowPrivate`), and hands the connection exactly the addresses it checked.
 */
export function checkedLookup(allowPrivate: boolean, resolver: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolver(hostname).then(
      (addresses) => {
        const bad = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
        if (bad) return callback(new DestinationRefused(`${hostname} resolves to ${bad.address}, not a public internet address`), '');
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/** The most of a response body kept in the delivery log. */
export const EXCERPT_BYTES = 1024;

/**
 * The start of a response body for the log: at most EXCERPT_BYTES of UTF-8, never cut inside a character,
 * without NUL (PostgreSQL text refuses it); null when empty.
 */
export function responseExcerpt(body: Buffer): string | null {
  if (body.length === 0) return null;
  let end = Math.min(body.length, EXCERPT_BYTES);
  // Back off from continuation bytes (10xxxxxx) so a multi-byte character is kept whole or left out.
  if (end < body.length) while (end > 0 && (body[end] & 0xc0) === 0x80) end--;
  const text = body.subarray(0, end).toString('utf8').replaceAll('\u0000', '');
  return text.length > 0 ? text : null;
}
