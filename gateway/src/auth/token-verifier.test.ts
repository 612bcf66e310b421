import { createEphemeralDevIssuer } from '@influenceflow/kit';
import { SignJWT, generateKeyPair } from 'jose';
import { createTokenVerifier, InvalidTokenError } from './token-verifier';

describe('token verification', () => {
  it('accepts a token of the issuer and returns the identity from its claims', async () => {
    const issuer = await createEphemeralDevIssuer();
    const verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks, maxLifetimeSeconds: 86_400 });
    const token = await issuer.sign({ sub: 'alice', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0001'] });
    await expect(verify(token)).resolves.toEqual({
      sub: 'alice',
      roles: ['brand_member'],
      brandIds: ['00000000-0000-4000-8000-0000000b0001'],
      creatorId: null,
    });
  });

  it('refuses expired tokens, other keys, other audiences and garbage', async () => {
    const issuer = await createEphemeralDevIssuer();
    const verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks, maxLifetimeSeconds: 86_400 });
    await expect(verify(await issuer.sign({ sub: 'a', roles: [] }, '-1m'))).rejects.toThrow('the token has expired');

    const other = await createEphemeralDevIssuer();
    await expect(verify(await other.sign({ sub: 'a', roles: ['admin'] }))).rejects.toThrow(InvalidTokenError);
    await expect(verify(await other.sign({ sub: 'a', roles: ['admin'] }))).rejects.toThrow('it was not signed by a key we know');

    const elsewhere = await createEphemeralDevIssuer(issuer.issuer, 'another-app');
    const verifyElsewhere = createTokenVerifier({
      issuer: issuer.issuer,
      audience: issuer.audience,
      jwks: elsewhere.jwks,
      maxLifetimeSeconds: 86_400,
    });
    await expect(verifyElsewhere(await elsewhere.sign({ sub: 'a', roles: [] }))).rejects.toThrow(InvalidTokenError);

    // In words, without the library's error codes (an answer names nothing internal).
    for (const token of ['not.a.token', `${(await issuer.sign({ sub: 'a', roles: [] })).slice(0, -4)}AAAA`]) {
      const refused = await verify(token).then(
        () => null,
        (err: Error) => err.message,
      );
      expect(refused).toMatch(/^the token is not valid: /);
      expect(refused).not.toMatch(/ERR_|JOSE|JWS|JWT/);
    }
    await expect(verify('not.a.token')).rejects.toThrow(InvalidTokenError);
  });

  it('refuses a token signed with an algorithm it does not accept (ES384), even with the right claims', async () => {
    const issuer = await createEphemeralDevIssuer();
    const verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks, maxLifetimeSeconds: 86_400 });
    const { privateKey } = await generateKeyPair('ES384');
    const forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES384' })
      .setSubject('x')
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verify(forged)).rejects.toThrow(InvalidTokenError);
  });
});
