import { isPublicAddress } from './public-address';

describe('isPublicAddress', () => {
  it('accepts public unicast addresses, IPv4 and IPv6', () => {
    for (const ip of ['8.8.8.8', '93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:81b::200e']) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
    }
  });

  it('refuses every address that does not lead to the public internet', () => {
    const refused = {
      loopback: ['127.0.0.1', '127.255.0.9', '::1'],
      'link-local (cloud metadata)': ['169.254.169.254', 'fe80::1'],
      private: ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1'],
      'unique-local': ['fc00::1', 'fd12:3456::1'],
      'carrier-grade NAT': ['100.64.0.1', '100.127.255.254'],
      multicast: ['224.0.0.1', '239.1.2.3', 'ff02::1'],
      broadcast: ['255.255.255.255'],
      reserved: ['240.0.0.1', '192.0.2.10', '198.51.100.7', '203.0.113.9', '198.18.0.1', '192.0.0.8', '2001:db8::1'],
      unspecified: ['0.0.0.0', '0.1.2.3', '::'],
      'IPv4-mapped private or loopback': ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:10.0.0.1'],
      'IPv4 inside IPv6 (NAT64, 6to4, Teredo, IPv4-compatible)': ['64:ff9b::a00:1', '2002:7f00:1::1', '2001::1', '::127.0.0.1'],
      'outside global unicast': ['4000::1', 'fec0::1'],
    };
    for (const [kind, ips] of Object.entries(refused)) {
      for (const ip of ips) expect([kind, ip, isPublicAddress(ip)]).toEqual([kind, ip, false]);
    }
  });

  it('judges an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    expect(isPublicAddress('::ffff:808:808')).toBe(true);
    expect(isPublicAddress('::ffff:192.168.0.1')).toBe(false);
  });

  it('is not fooled by other spellings: anything but a plain address is not public', () => {
    for (const text of [
      '2130706433',
      '0x7f.1',
      '127.1',
      '010.0.0.1',
      '08.08.08.08',
      '8.8.8.8 ',
      '[2606:4700::1]',
      'fe80::1%eth0',
      '8.8.8.0/24',
      'dns.google',
      '',
      'localhost',
    ]) {
      expect([text, isPublicAddress(text)]).toEqual([text, false]);
    }
  });
});
