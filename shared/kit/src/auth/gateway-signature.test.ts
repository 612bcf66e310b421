import { signIdentity, verifyIdentityHeader } from './gateway-signature';
import type { Identity } from './identity';

const secret = 's'.repeat(40);
const alice: Identity = { sub: 'alice', roles: ['brand_member'], brandIds: ['b1'], creatorId: null };

describe('gateway identity signature', () => {
  it('round-trips an identity and an anonymous caller', () => {
    expect(verifyIdentityHeader(signIdentity(alice, secret), secret)).toEqual({ ok: true, identity: alice });
    expect(verifyIdentityHeader(signIdentity(null, secret), secret)).toEqual({ ok: true, identity: null });
  });

  it('refuses a missing, malformed, forged or tampered header', () => {
    expect(verifyIdentityHeader(undefined, secret)).toMatchObject({ ok: false, reason: 'missing gateway signature' });
    expect(verifyIdentityHeader('v1.abc', secret)).toMatchObject({ ok: false, reason: 'malformed gateway signature' });
    expect(verifyIdentityHeader(signIdentity(alice, 'o'.repeat(40)), secret)).toMatchObject({
      ok: false,
      reason: 'invalid gateway signature',
    });
    const [v, ts, , sig] = signIdentity(alice, secret).split('.');
    const promoted = Buffer.from(JSON.stringify({ identity: { ...alice, roles: ['admin'] } })).toString('base64url');
    expect(verifyIdentityHeader([v, ts, promoted, sig].join('.'), secret)).toMatchObject({
      ok: false,
      reason: 'invalid gateway signature',
    });
  });

  it('refuses a signature older than five minutes (replay)', () => {
    const old = signIdentity(alice, secret, Date.now() - 301_000);
    expect(verifyIdentityHeader(old, secret)).toMatchObject({ ok: false, reason: 'expired gateway signature' });
  });

  it('drops unknown roles from forwarded claims', () => {
    const header = signIdentity({ ...alice, roles: ['brand_member', 'superuser' as never] }, secret);
    const check = verifyIdentityHeader(header, secret);
    expect(check.ok && check.identity?.roles).toEqual(['brand_member']);
  });
});
