import { identityFromClaims } from './identity';

const BRAND = '00000000-0000-4000-8000-0000000b0001';

describe('identityFromClaims', () => {
  it('keeps well-formed claims, ids lower-cased and brands once', () => {
    expect(
      identityFromClaims({ sub: 'alice', roles: ['brand_member', 'analyst'], brandIds: [BRAND, BRAND.toUpperCase()], creatorId: null }),
    ).toEqual({ sub: 'alice', roles: ['brand_member', 'analyst'], brandIds: [BRAND], creatorId: null });
  });

  it('drops what is malformed: unknown roles, brand ids and creator ids that are not UUIDs', () => {
    expect(
      identityFromClaims({
        sub: 'mallory',
        roles: ['creator', 'root', 7],
        brandIds: [BRAND, 'not-a-uuid', "1' OR '1'='1", 42, null],
        creatorId: '../../etc/passwd',
      }),
    ).toEqual({ sub: 'mallory', roles: ['creator'], brandIds: [BRAND], creatorId: null });
  });

  it('refuses claims without a subject', () => {
    expect(identityFromClaims({ roles: ['admin'] })).toBeNull();
    expect(identityFromClaims({ sub: '', roles: ['admin'] })).toBeNull();
    expect(identityFromClaims({ sub: 42 })).toBeNull();
  });
});
