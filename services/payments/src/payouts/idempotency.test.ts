import { AppError, ErrorCode } from '@influenceflow/kit';
import { assertIdempotencyKey, fingerprint } from './idempotency';

describe('idempotency keys', () => {
  it('takes 1 to 255 printable ASCII characters', () => {
    expect(assertIdempotencyKey('0b0e6f2c-6a55-4b8e-9a53-0c5e9f1f3b1d', 'k')).toBe('0b0e6f2c-6a55-4b8e-9a53-0c5e9f1f3b1d');
    expect(assertIdempotencyKey('a'.repeat(255), 'k')).toHaveLength(255);
    expect(assertIdempotencyKey('order 42 / try #1', 'k')).toBe('order 42 / try #1');
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'a'.repeat(256)],
    ['a NUL byte', 'abc\u0000def'],
    ['a newline', 'abc\ndef'],
    ['non-ASCII', 'clé'],
  ])('refuses %s with BAD_USER_INPUT on the field', (_what, key) => {
    try {
      assertIdempotencyKey(key, 'input.idempotencyKey');
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe(ErrorCode.BAD_USER_INPUT);
      expect((err as AppError).field).toBe('input.idempotencyKey');
    }
  });

  it('fingerprints the parameters, in order', () => {
    expect(fingerprint(['a', 100, 'USD'])).toBe(fingerprint(['a', 100, 'USD']));
    expect(fingerprint(['a', 100, 'USD'])).not.toBe(fingerprint(['a', 101, 'USD']));
    expect(fingerprint(['a', 100, null])).not.toBe(fingerprint(['a', 100, 'null']));
    expect(fingerprint(['ab', 'c'])).not.toBe(fingerprint(['a', 'bc']));
  });
});
