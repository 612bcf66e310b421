import { createEphemeralDevIssuer, DevIssuer, Identity } from '@influenceflow/kit';
import { cachedVerifier } from './token-cache';
import { createTokenVerifier } from './token-verifier';

describe('the verified-token cache', () => {
  let issuer: DevIssuer;
  let clock: number;
  let calls: string[];
  const options = (overrides: Partial<Parameters<typeof cachedVerifier>[1]> = {}) => ({
    maxEntries: 100,
    maxAgeMs: 3_600_000,
    now: () => clock,
    ...overrides,
  });
  /** The real verifier, counting the tokens it is asked to verify. */
  const counting = () => {
    const verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks, maxLifetimeSeconds: 86_400 });
    return (token: string): Promise<Identity> => {
      calls.push(token);
      return verify(token);
    };
  };

  beforeAll(async () => {
    issuer = await createEphemeralDevIssuer();
  });
  beforeEach(() => {
    clock = Date.now();
    calls = [];
  });

  it('verifies a token once and answers its identity again from memory', async () => {
    const verify = cachedVerifier(counting(), options());
    const token = await issuer.sign({ sub: 'alice', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0001'] });
    const first = await verify(token);
    const again = await verify(token);
    expect(again).toEqual({ sub: 'alice', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0001'], creatorId: null });
    expect(again).toBe(first);
    expect(calls).toHaveLength(1);
    // shared between requests, so nobody may change it
    expect(Object.isFrozen(again)).toBe(true);
    expect(Object.isFrozen(again.brandIds)).toBe(true);
  });

  it("never answers one token with another's identity, nor a tampered token with the original's", async () => {
    const verify = cachedVerifier(counting(), options());
    const alice = await issuer.sign({ sub: 'alice', roles: ['brand_member'] });
    const bob = await issuer.sign({ sub: 'bob', roles: ['creator'], creatorId: '00000000-0000-4000-8000-00000000c001' });
    expect((await verify(alice)).sub).toBe('alice');
    expect((await verify(bob)).sub).toBe('bob');
    expect((await verify(alice)).sub).toBe('alice');
    // the same claims with another signature: a different token, verified (and refused) on its own
    const tampered = `${alice.slice(0, alice.lastIndexOf('.') + 1)}${'A'.repeat(86)}`;
    await expect(verify(tampered)).rejects.toThrow('the token is not valid: its signature does not verify');
    expect(calls).toEqual([alice, bob, tampered]);
  });

  it('keeps no refusal: a refused token is verified (and refused) every time', async () => {
    const verify = cachedVerifier(counting(), options());
    const expired = await issuer.sign({ sub: 'a', roles: [] }, '-1m');
    await expect(verify(expired)).rejects.toThrow('the token has expired');
    await expect(verify(expired)).rejects.toThrow('the token has expired');
    await expect(verify('not.a.token')).rejects.toThrow('the token is not valid');
    expect(calls).toHaveLength(3);
    expect(verify.size()).toBe(0);
  });

  it('serves a cached token only until its exp, and at most maxAgeMs after it was verified', async () => {
    const verify = cachedVerifier(counting(), options({ maxAgeMs: 60_000 }));
    const shortLived = await issuer.sign({ sub: 'short', roles: [] }, '30s');
    const longLived = await issuer.sign({ sub: 'long', roles: [] }, '1h');
    await verify(shortLived);
    await verify(longLived);
    clock += 29_000;
    await verify(shortLived);
    await verify(longLived);
    expect(calls).toEqual([shortLived, longLived]);
    // past its exp (seconds, rounded down by the issuer): not served from memory (the real clock has not
    // moved, so the verifier itself still accepts it; what matters is that it was asked)
    clock += 2_000;
    await verify(shortLived);
    expect(calls).toEqual([shortLived, longLived, shortLived]);
    // the long-lived token, 61 s after its verification: verified again
    clock += 30_000;
    await verify(longLived);
    expect(calls).toEqual([shortLived, longLived, shortLived, longLived]);
  });

  it('holds at most maxEntries tokens, forgetting the least recently used', async () => {
    const verify = cachedVerifier(counting(), options({ maxEntries: 2 }));
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => issuer.sign({ sub, roles: [] })));
    await verify(a);
    await verify(b);
    await verify(a); // a is now the most recently used
    await verify(c); // b goes
    expect(verify.size()).toBe(2);
    expect(calls).toEqual([a, b, c]);
    await verify(a);
    await verify(c);
    expect(calls).toEqual([a, b, c]);
    await verify(b);
    expect(calls).toEqual([a, b, c, b]);
    expect(verify.size()).toBe(2);
  });

  it('verifies a new token once when requests with it arrive together', async () => {
    const verify = cachedVerifier(counting(), options());
    const token = await issuer.sign({ sub: 'burst', roles: [] });
    const identities = await Promise.all(Array.from({ length: 10 }, () => verify(token)));
    expect(new Set(identities.map((i) => i.sub))).toEqual(new Set(['burst']));
    expect(calls).toHaveLength(1);
  });
});
