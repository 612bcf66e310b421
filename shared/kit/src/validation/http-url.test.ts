import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/codes';
import { parseHttpUrl, parsePublicHttpUrl, PublicHttpUrlOptions } from './http-url';

/** The error parsePublicHttpUrl throws for `value`, checked to be BAD_USER_INPUT on the field, never echoing the value. */
function refusal(value: string, options?: PublicHttpUrlOptions): string {
  let error: unknown;
  try {
    parsePublicHttpUrl(value, 'input.landingUrl', options);
  } catch (err) {
    error = err;
  }
  expect([value, error]).toEqual([value, expect.any(AppError)]);
  const appError = error as AppError;
  expect(appError.code).toBe(ErrorCode.BAD_USER_INPUT);
  expect(appError.field).toBe('input.landingUrl');
  const host = value.replace(/^[a-z]+:\/\//i, '').split(/[/:?#@]/)[0];
  expect(appError.message).not.toContain(value.trim());
  if (host) expect(appError.message).not.toContain(host);
  return appError.message;
}

describe('parsePublicHttpUrl', () => {
  it('accepts public http(s) URLs and normalises them like parseHttpUrl', () => {
    expect(parsePublicHttpUrl('  https://Shop.Example/Spring?ref=ig#top ', 'f')).toBe('https://shop.example/Spring?ref=ig#top');
    expect(parsePublicHttpUrl('http://brand.co.uk:8080/x', 'f')).toBe('http://brand.co.uk:8080/x');
    expect(parsePublicHttpUrl('https://café.example/', 'f')).toBe('https://xn--caf-dma.example/');
    expect(parsePublicHttpUrl('https://shop.example./', 'f')).toBe('https://shop.example./');
    expect(parseHttpUrl('http://localhost:3000/', 'f')).toBe('http://localhost:3000/');
  });

  it('refuses what is not an absolute http(s) URL, or too long', () => {
    for (const value of ['shop.example/x', '/relative', 'ftp://shop.example/', 'javascript:alert(1)', 'http://']) {
      expect(refusal(value)).toBe('must be an absolute http(s) URL');
    }
    expect(refusal(`https://shop.example/${'a'.repeat(2000)}`)).toBe('must be at most 2,000 characters');
  });

  it('refuses a user name or password, which hides the real host', () => {
    expect(refusal('https://acme.example@evil.example/')).toBe('must not contain a user name or password');
    expect(refusal('https://ella:secret@shop.example/')).toBe('must not contain a user name or password');
    expect(refusal('https://:secret@shop.example/')).toBe('must not contain a user name or password');
  });

  it('refuses localhost, single-label names and special-use names, but not .example', () => {
    for (const value of [
      'http://localhost/',
      'http://LOCALHOST.:4003/graphql',
      'http://api.localhost/',
      'http://printer.local/',
      'http://db.internal/',
      'http://router.home.arpa/',
      'http://x.test/',
      'http://x.invalid/',
      'http://1.0.0.127.in-addr.arpa/',
      'http://hidden.onion/',
    ]) {
      expect(refusal(value)).toBe('must point to the public internet, not to a local or reserved name');
    }
    for (const value of ['http://intranet/', 'http://metadata/computeMetadata/v1/', 'http://intranet./']) {
      expect(refusal(value)).toBe('must use a full domain name (like brand.com), not a single-label name');
    }
    expect(refusal('http://a..b.example/')).toBe('must have a valid host name');
    expect(parsePublicHttpUrl('https://localhost.example/', 'f')).toBe('https://localhost.example/');
    expect(parsePublicHttpUrl('https://shop.testing.example/', 'f')).toBe('https://shop.testing.example/');
  });

  it('refuses names used for internal networks by convention, addresses written as names, and empty labels', () => {
    for (const value of [
      'http://corp.lan/',
      'http://printer.localdomain/',
      'http://kubernetes.default.svc/',
      'http://wiki.corp/',
      'http://nas.home/',
    ]) {
      expect(refusal(value)).toBe('must point to the public internet, not to a local or reserved name');
    }
    for (const value of ['http://127.0.0.1.nip.io/admin', 'http://10-0-0-1.sslip.io/', 'http://app.lvh.me/']) {
      expect(refusal(value)).toBe('must use a domain name of its own, not an address written as a name');
    }
    expect(refusal('http://evil.example../')).toBe('must have a valid host name');
    expect(parsePublicHttpUrl('https://shop.example./x', 'f')).toBe('https://shop.example./x');
  });

  it('refuses IP hosts by default, however the address is spelt', () => {
    for (const value of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:4003/graphql',
      'http://2130706433/', // 127.0.0.1 as one decimal number
      'http://0x7f.1/', // 127.0.0.1 in hex shorthand
      'http://0177.0.0.1/', // octal
      'http://127.1/',
      'http://127.0.0.1./',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://8.8.8.8/', // public, but a bare IP
      'http://[2606:4700:4700::1111]/',
    ]) {
      expect(refusal(value)).toBe('must use a domain name, not an IP address');
    }
  });

  it('with allowIpHosts, accepts public IP hosts only', () => {
    const allow = { allowIpHosts: true };
    expect(parsePublicHttpUrl('http://8.8.8.8/x', 'f', allow)).toBe('http://8.8.8.8/x');
    expect(parsePublicHttpUrl('https://[2606:4700:4700::1111]/', 'f', allow)).toBe('https://[2606:4700:4700::1111]/');
    expect(parsePublicHttpUrl('http://[::ffff:8.8.8.8]/', 'f', allow)).toBe('http://[::ffff:808:808]/');
    for (const value of [
      'http://169.254.169.254/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://10.0.0.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[::1]/',
      'http://[::ffff:7f00:1]/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
    ]) {
      expect(refusal(value, allow)).toBe('must point to a public internet address');
    }
    expect(refusal('http://localhost/', allow)).toBe('must point to the public internet, not to a local or reserved name');
  });
});
