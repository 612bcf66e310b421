import { randomBytes } from 'node:crypto';
import { SecretCipher } from './secret-cipher';

describe('SecretCipher', () => {
  const cipher = new SecretCipher(randomBytes(32));

  it('gives back the token it sealed, and never the same ciphertext twice', () => {
    const a = cipher.encrypt('ya29.secret-token', 'creator-1:youtube');
    const b = cipher.encrypt('ya29.secret-token', 'creator-1:youtube');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-token');
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(cipher.decrypt(a, 'creator-1:youtube')).toBe('ya29.secret-token');
  });

  it('refuses a token moved to another row, altered, or sealed with another key', () => {
    const sealed = cipher.encrypt('token', 'creator-1:youtube');
    expect(() => cipher.decrypt(sealed, 'creator-2:youtube')).toThrow();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([...parts.slice(0, 3), flipped.toString('base64url')].join('.'), 'creator-1:youtube')).toThrow();
    expect(() => new SecretCipher(randomBytes(32)).decrypt(sealed, 'creator-1:youtube')).toThrow();
    expect(() => cipher.decrypt('plain-token', 'creator-1:youtube')).toThrow('not a sealed secret');
  });

  it('takes only 256-bit keys', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow(RangeError);
  });
});
