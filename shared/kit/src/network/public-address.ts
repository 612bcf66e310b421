import ipaddr from 'ipaddr.js';

/** Global unicast IPv6 (2000::/3): every public IPv6 address is inside it today. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * True when `ip` is a public (globally routable) address: IPv4 in dotted-decimal form (`93.184.216.34`)
 * or IPv6 (`2606:2800::1`, an IPv4-mapped `::ffff:10.0.0.1` is judged as the IPv4 address it carries).
 *
 * Only what ipaddr.js calls the `unicast` range counts as public; everything else is refused: private
 * (10/8, 172.16/12, 192.168/16), loopback, link-local (169.254/16, the cloud metadata address, fe80::/10),
 * unique-local (fc00::/7), carrier-grade NAT (100.64/10), multicast, broadcast, reserved and
 * documentation ranges, unspecified (0.0.0.0/8, ::), NAT64, 6to4 and Teredo (which embed an IPv4 address),
 * and IPv6 outside 2000::/3 (such as the deprecated IPv4-compatible ::a.b.c.d).
 *
 * It is strict about the text: anything that is not a plain address (a host name, shorthand IPv4 like
 * `127.1` or `0x7f000001`, leading zeros, a zone `%eth0`, brackets, a CIDR) is not public. Parse URLs
 * with WHATWG `URL` first, which normalises such hosts to dotted decimal (see parsePublicHttpUrl).
 * Use it for every address a request to a destination chosen by a user would reach: a URL's IP host, and
 * the addresses its name resolves to at connection time (webhook deliveries).
 */
export function isPublicAddress(ip: string): boolean {
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) return ipaddr.IPv4.parse(ip).range() === 'unicast';
  if (ip.includes('%') || !ipaddr.IPv6.isValid(ip)) return false;
  const v6 = ipaddr.IPv6.parse(ip);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast';
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST_V6);
}
