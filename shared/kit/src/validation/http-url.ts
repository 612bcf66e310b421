import { badInput } from '../errors/app-error';
import { isPublicAddress } from '../network/public-address';

/** An absolute http(s) URL of at most 2,000 characters, normalised; anything else is BAD_USER_INPUT on `field`. */
export function parseHttpUrl(value: string, field: string): string {
  return checkedHttpUrl(value, field).toString();
}

function checkedHttpUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput(field, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(field, 'must be an absolute http(s) URL');
  if (url.toString().length > 2000) throw badInput(field, 'must be at most 2,000 characters');
  return url;
}

/**
 * Names that never lead to the public web, by their last labels: special-use names (RFC 6761 and later:
 * localhost, test, invalid, local for mDNS, home.arpa, onion, alt), ICANN's private-use `internal`, and
 * the rest of `arpa` (reverse-DNS names). `example` is left out on purpose: it is for documentation and
 * tests, and resolves to nothing harmful.
 */
export const SPECIAL_USE_DOMAINS: readonly string[] = [
  'localhost',
  'local',
  'internal',
  'test',
  'invalid',
  'home.arpa',
  'arpa',
  'onion',
  'alt',
  // Not reserved, but used for internal networks by convention and by common software: home and office
  // routers (lan, localdomain, home, corp, private) and Kubernetes services (svc).
  'lan',
  'localdomain',
  'home',
  'corp',
  'private',
  'svc',
];

/**
 * Public wildcard-DNS services that resolve a name to the address written inside it
 * (`127.0.0.1.nip.io` is 127.0.0.1): a name under them is an IP address in disguise.
 */
export const ADDRESS_IN_NAME_DOMAINS: readonly string[] = ['nip.io', 'sslip.io', 'xip.io', 'localtest.me', 'lvh.me', 'traefik.me'];

export interface PublicHttpUrlOptions {
  /** Accept a bare IP address as the host, when it is a public one (isPublicAddress). Default false. */
  allowIpHosts?: boolean;
}

/**
 * parseHttpUrl for a URL the platform sends people or requests to on a user's behalf (a landing page, a
 * brand's website, later webhook destinations): it must name a host on the public internet. Refused,
 * each as BAD_USER_INPUT on `field` with a message that never repeats the value:
 *
 * - anything but an absolute http(s) URL, or one longer than 2,000 characters;
 * - a user name or password (`https://brand.example@evil.example/` reads as brand.example but goes to
 *   evil.example);
 * - `localhost` and `*.localhost`, single-label names (`http://intranet/`, resolved through the local
 *   search domain) and names under SPECIAL_USE_DOMAINS;
 * - an IP address as the host, unless `allowIpHosts`, and then only a public one. WHATWG URL parsing has
 *   already turned the other spellings of an IPv4 address (`http://2130706433/`, `http://0x7f.1/`,
 *   `http://127.1/`) into dotted decimal, so they are judged as the address they are.
 *
 * This checks the text only. A public name may still resolve to a private address (or be made to, later):
 * code that connects to the URL itself (webhook delivery) must also check the resolved addresses with
 * isPublicAddress at connection time. Returns the normalised URL.
 */
export function parsePublicHttpUrl(value: string, field: string, options: PublicHttpUrlOptions = {}): string {
  const url = checkedHttpUrl(value, field);
  if (url.username || url.password) throw badInput(field, 'must not contain a user name or password');
  // One trailing dot (fully qualified form) names the same host: judge it without. Two make an empty label.
  const host = url.hostname.replace(/\.$/, '');
  const ipv6 = host.startsWith('[');
  if (ipv6 || /^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    if (!options.allowIpHosts) throw badInput(field, 'must use a domain name, not an IP address');
    if (!isPublicAddress(ipv6 ? host.slice(1, -1) : host)) throw badInput(field, 'must point to a public internet address');
    return url.toString();
  }
  if (host === '' || host.split('.').some((label) => label === '')) throw badInput(field, 'must have a valid host name');
  if (SPECIAL_USE_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
    throw badInput(field, 'must point to the public internet, not to a local or reserved name');
  }
  if (!host.includes('.')) throw badInput(field, 'must use a full domain name (like brand.com), not a single-label name');
  if (ADDRESS_IN_NAME_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
    throw badInput(field, 'must use a domain name of its own, not an address written as a name');
  }
  return url.toString();
}
