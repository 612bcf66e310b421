import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** The address of the client behind a request (null when the socket is already gone). */
export type ClientAddressOf = (req: IncomingMessage) => string | null;

/** Names proxy-addr accepts in a trust list besides addresses and CIDR ranges. */
export const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/**
 * Who sent a request, for public routes (the tracking redirect, a shop's webhook): compile the trust
 * list once, at start-up, and call the result per request.
 *
 * `trusted` lists the proxies in front of the service (TRUSTED_PROXIES): IP addresses, CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`) or proxy-addr's names `loopback`, `linklocal` and `uniquelocal`. The
 * `X-Forwarded-For` header is believed only as far as it was written by those proxies: walking from the
 * socket's address back along the header, the first address that is not a trusted proxy is the client.
 * An empty list (the default) trusts nobody: the socket's address is the client, whatever the header
 * says, so nobody can claim any address by sending the header.
 *
 * Addresses are returned as the socket or the header gives them (an IPv4 client of a dual-stack socket
 * is `::ffff:a.b.c.d`). A bad entry throws a TypeError naming it.
 */
export function clientAddressResolver(trusted: readonly string[] = []): ClientAddressOf {
  const list = trusted.map((entry) => entry.trim()).filter(Boolean);
  if (list.length === 0) return (req) => req.socket.remoteAddress ?? null;
  const trust = proxyaddr.compile(list);
  return (req) => {
    if (req.headers['x-forwarded-for'] === undefined) return req.socket.remoteAddress ?? null;
    return proxyaddr(req, trust) || null;
  };
}

/** Why a trust list cannot be used (a bad entry), or null when it can. */
export function trustedProxiesProblem(trusted: readonly string[]): string | null {
  try {
    clientAddressResolver(trusted);
    return null;
  } catch (err) {
    return `${(err as Error).message}: list IP addresses, CIDR ranges or ${PROXY_RANGE_NAMES.join('/')}, separated by commas`;
  }
}
