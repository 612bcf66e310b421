import { checkedLookup, checkLiteralHost, DestinationRefused, parseWebhookUrl, Resolver, responseExcerpt } from './webhook-destination';

const resolving =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

function lookupWith(resolver: Resolver, allowPrivate = false, all = false) {
  return new Promise<{ err: Error | null; address: unknown }>((resolve) =>
    checkedLookup(allowPrivate, resolver)('hooks.partner.example', { all }, (err, address) => resolve({ err, address })),
  );
}

describe('webhook destinations', () => {
  it('takes https URLs on public names or addresses, and refuses the rest at creation', () => {
    expect(parseWebhookUrl('https://hooks.partner.example/in', 'url', false)).toBe('https://hooks.partner.example/in');
    expect(parseWebhookUrl('https://93.184.216.34/in', 'url', false)).toBe('https://93.184.216.34/in');
    for (const bad of [
      'http://hooks.partner.example/in',
      'https://127.0.0.1/',
      'https://10.0.0.1/',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/',
      'https://localhost/',
      'https://2130706433/',
      'https://a:b@hooks.partner.example/',
      'ftp://hooks.partner.example/',
      'not a url',
      `https://hooks.partner.example/${'a'.repeat(10_000)}`,
    ]) {
      expect(() => parseWebhookUrl(bad, 'url', false)).toThrow(expect.objectContaining({ field: 'url' }));
    }
  });

  it('takes local http receivers when private destinations are allowed', () => {
    expect(parseWebhookUrl('http://127.0.0.1:3000/webhooks', 'url', true)).toBe('http://127.0.0.1:3000/webhooks');
    expect(() => parseWebhookUrl('ftp://127.0.0.1/', 'url', true)).toThrow();
  });

  it('refuses IP literal hosts that are not public at delivery time', () => {
    for (const host of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:10.0.0.1', '0.0.0.0']) {
      expect(() => checkLiteralHost(host, false)).toThrow(DestinationRefused);
      expect(() => checkLiteralHost(host, true)).not.toThrow();
    }
    expect(() => checkLiteralHost('93.184.216.34', false)).not.toThrow();
    expect(() => checkLiteralHost('hooks.partner.example', false)).not.toThrow(); // names go through the lookup
  });

  it('refuses a name when any address it resolves to is not public, and connects to the addresses it checked', async () => {
    for (const addresses of [['127.0.0.1'], ['93.184.216.34', '10.0.0.1'], ['169.254.169.254'], ['::1']]) {
      const { err } = await lookupWith(resolving(...addresses));
      expect(err).toBeInstanceOf(DestinationRefused);
    }
    expect(await lookupWith(resolving('93.184.216.34'))).toEqual({ err: null, address: '93.184.216.34' });
    expect(await lookupWith(resolving('93.184.216.34', '2606:2800::1'), false, true)).toEqual({
      err: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800::1', family: 6 },
      ],
    });
    expect((await lookupWith(resolving('127.0.0.1'), true)).err).toBeNull();
    expect((await lookupWith(resolving())).err).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('resolves localhost for real and refuses it', async () => {
    const err = await new Promise<Error | null>((resolve) => checkedLookup(false)('localhost', {}, (e) => resolve(e)));
    expect(err).toBeInstanceOf(DestinationRefused);
  });

  it('keeps at most 1 KiB of a response, never half a character, without NUL', () => {
    expect(responseExcerpt(Buffer.alloc(0))).toBeNull();
    expect(responseExcerpt(Buffer.from('ok'))).toBe('ok');
    expect(responseExcerpt(Buffer.from('a'.repeat(5000)))).toBe('a'.repeat(1024));
    const euros = responseExcerpt(Buffer.from('a' + '€'.repeat(600)))!; // 1 + 3 × 600 bytes
    expect(Buffer.byteLength(euros)).toBeLessThanOrEqual(1024);
    expect(euros).toBe('a' + '€'.repeat(341));
    expect(responseExcerpt(Buffer.from('a\u0000b'))).toBe('ab');
  });
});
