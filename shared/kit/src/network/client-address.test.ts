import type { IncomingMessage } from 'node:http';
import { ConfigError, loadServiceConfig } from '../config/load';
import { clientAddressResolver, trustedProxiesProblem } from './client-address';

const request = (socket: string | undefined, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: socket },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddressResolver', () => {
  it('trusts nobody by default: the socket address, whatever X-Forwarded-For says', () => {
    const clientOf = clientAddressResolver();
    expect(clientOf(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    expect(clientOf(request('127.0.0.1', '198.51.100.1'))).toBe('127.0.0.1');
    expect(clientOf(request('203.0.113.5'))).toBe('203.0.113.5');
    expect(clientOf(request(undefined))).toBeNull();
    expect(clientAddressResolver([' ', ''])(request('127.0.0.1', '198.51.100.1'))).toBe('127.0.0.1');
  });

  it('believes X-Forwarded-For only as far as trusted proxies wrote it', () => {
    const clientOf = clientAddressResolver(['loopback', '10.0.0.0/8']);
    // From a trusted proxy: the address it saw.
    expect(clientOf(request('127.0.0.1', '198.51.100.1'))).toBe('198.51.100.1');
    // A client-sent entry before the proxy's own is not believed: the proxy saw 203.0.113.9.
    expect(clientOf(request('127.0.0.1', '198.51.100.1, 203.0.113.9'))).toBe('203.0.113.9');
    // Through two trusted proxies (10.1.2.3 forwarded to the loopback one).
    expect(clientOf(request('127.0.0.1', '198.51.100.1, 10.1.2.3'))).toBe('198.51.100.1');
    // From anyone else, the header is ignored.
    expect(clientOf(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    // A trusted proxy that sends no header is the client.
    expect(clientOf(request('127.0.0.1'))).toBe('127.0.0.1');
    expect(clientAddressResolver(['192.0.2.10'])(request('::ffff:192.0.2.10', '198.51.100.1'))).toBe('198.51.100.1');
  });

  it('says which entry of a trust list is bad', () => {
    expect(trustedProxiesProblem(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.1'])).toBeNull();
    expect(trustedProxiesProblem(['10.0.0.0/8', 'my-proxy'])).toMatch(/invalid IP address: my-proxy.*loopback/);
    expect(trustedProxiesProblem(['10.0.0.0/99'])).toMatch(/invalid range/);
  });

  it('reads TRUSTED_PROXIES and LINK_ALLOW_IP_HOSTS from the environment, refusing bad values at start-up', () => {
    expect(loadServiceConfig('campaign', {})).toMatchObject({ trustedProxies: [], linkAllowIpHosts: false });
    expect(loadServiceConfig('campaign', { TRUSTED_PROXIES: 'loopback, 10.0.0.0/8', LINK_ALLOW_IP_HOSTS: 'true' })).toMatchObject({
      trustedProxies: ['loopback', '10.0.0.0/8'],
      linkAllowIpHosts: true,
    });
    expect(() => loadServiceConfig('campaign', { TRUSTED_PROXIES: 'proxy.internal' })).toThrow(ConfigError);
    expect(() => loadServiceConfig('campaign', { TRUSTED_PROXIES: 'proxy.internal' })).toThrow(/TRUSTED_PROXIES: invalid IP address/);
    expect(() => loadServiceConfig('campaign', { LINK_ALLOW_IP_HOSTS: 'maybe' })).toThrow(/LINK_ALLOW_IP_HOSTS/);
  });
});
