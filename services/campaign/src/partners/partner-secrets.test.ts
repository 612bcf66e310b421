import { hashClientSecret, newClientId, newClientSecret, secretMatches } from './partner-secrets';

describe('partner client secrets', () => {
  it('makes prefixed ids and secrets with the entropy they claim, never twice the same', () => {
    const ids = new Set(Array.from({ length: 200 }, newClientId));
    const secrets = new Set(Array.from({ length: 200 }, newClientSecret));
    expect(ids.size).toBe(200);
    expect(secrets.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^pc_[A-Za-z0-9_-]{16}$/);
    for (const s of secrets) expect(s).toMatch(/^pcs_[A-Za-z0-9_-]{43}$/);
  });

  it('matches a secret only against its own hash', () => {
    const secret = newClientSecret();
    const stored = hashClientSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(`${secret}x`, stored)).toBe(false);
    expect(secretMatches(newClientSecret(), stored)).toBe(false);
    expect(secretMatches(secret, null)).toBe(false);
    expect(secretMatches(secret, 'abc')).toBe(false);
    expect(secretMatches('', stored)).toBe(false);
  });
});
