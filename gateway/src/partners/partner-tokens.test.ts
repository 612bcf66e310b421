import { generateKeyPair, exportPKCS8, SignJWT } from 'jose';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Identity } from '@influenceflow/kit';
import { InvalidTokenError } from '../auth/token-verifier';
import { partnerRateKey, PartnerTokens, withPartnerTokens } from './partner-tokens';

const SETTINGS = { issuer: 'influenceflow-partners', audience: 'influenceflow', lifetimeSeconds: 600 };
const CLIENT = {
  partnerClientId: '0190a0a0-0000-7000-8000-0000000000a1',
  clientId: 'pc_shop',
  brandIds: ['0190A0A0-0000-7000-8000-0000000000B1'],
};

async function tokens(): Promise<PartnerTokens> {
  return (await PartnerTokens.load(SETTINGS, false))!;
}

describe('partner tokens', () => {
  it('mints an RFC 9068 access token that verifies to the partner role only, the client as subject', async () => {
    const t = await tokens();
    const token = await t.mint(CLIENT);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'ES256', kid: t.jwks.keys[0].kid });
    await expect(t.verify(token)).resolves.toEqual({
      sub: CLIENT.partnerClientId,
      roles: ['partner'],
      brandIds: [CLIENT.brandIds[0].toLowerCase()],
      creatorId: null,
    });
    expect(t.jwks.keys[0]).not.toHaveProperty('d');
  });

  it('refuses an expired token, another key, another audience, and a token living longer than the lifetime', async () => {
    const t = await tokens();
    await expect(t.verify(await t.mint(CLIENT, new Date(Date.now() - 3_600_000)))).rejects.toThrow(/expired/);
    const other = await tokens();
    await expect(t.verify(await other.mint(CLIENT))).rejects.toBeInstanceOf(InvalidTokenError);
    const wrongAudience = (await PartnerTokens.load({ ...SETTINGS, audience: 'elsewhere' }, false))!;
    await expect(t.verify(await wrongAudience.mint(CLIENT))).rejects.toBeInstanceOf(InvalidTokenError);
    // the same key file loaded twice, one with a longer lifetime
    const dir = mkdtempSync(join(tmpdir(), 'partner-key-'));
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(join(dir, 'key.pem'), await exportPKCS8(privateKey));
    const short = (await PartnerTokens.load({ ...SETTINGS, keyFile: join(dir, 'key.pem') }, true))!;
    const long = (await PartnerTokens.load({ ...SETTINGS, lifetimeSeconds: 86_400, keyFile: join(dir, 'key.pem') }, true))!;
    await expect(short.verify(await long.mint(CLIENT))).rejects.toThrow(/longer than 600 seconds/);
    await expect(short.verify(await short.mint(CLIENT))).resolves.toMatchObject({ roles: ['partner'] });
  });

  it('refuses a token of its key without the at+jwt type or without a UUID subject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partner-key-'));
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(join(dir, 'key.pem'), await exportPKCS8(privateKey));
    const t = (await PartnerTokens.load({ ...SETTINGS, keyFile: join(dir, 'key.pem') }, true))!;
    const sign = (header: Record<string, unknown>, sub: string) =>
      new SignJWT({ client_id: 'pc_x', roles: ['partner'] })
        .setProtectedHeader({ alg: 'ES256', ...header })
        .setIssuer(SETTINGS.issuer)
        .setAudience(SETTINGS.audience)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    await expect(t.verify(await sign({ typ: 'JWT' }, CLIENT.partnerClientId))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(t.verify(await sign({ typ: 'at+jwt' }, 'not-a-uuid'))).rejects.toThrow(/no partner subject/);
    await expect(t.verify(await sign({ typ: 'at+jwt' }, CLIENT.partnerClientId))).resolves.toMatchObject({ brandIds: [] });
  });

  it('has no partner tokens in production without a key file, and says what is wrong with a bad key file', async () => {
    await expect(PartnerTokens.load(SETTINGS, true)).resolves.toBeNull();
    await expect(PartnerTokens.load({ ...SETTINGS, keyFile: '/nonexistent/key.pem' }, true)).rejects.toThrow(/cannot be read/);
    const dir = mkdtempSync(join(tmpdir(), 'partner-key-'));
    writeFileSync(join(dir, 'bad.pem'), 'not a key');
    await expect(PartnerTokens.load({ ...SETTINGS, keyFile: join(dir, 'bad.pem') }, true)).rejects.toThrow(/P-256 private key in PKCS#8/);
  });

  it("routes by issuer, and drops the partner role from the identity provider's tokens", async () => {
    const t = await tokens();
    const seen: string[] = [];
    const idp = async (token: string): Promise<Identity> => {
      seen.push(token);
      return { sub: 'someone', roles: ['partner', 'brand_member'], brandIds: [], creatorId: null };
    };
    const verify = withPartnerTokens(idp, t);
    await expect(verify(await t.mint(CLIENT))).resolves.toMatchObject({ roles: ['partner'] });
    expect(seen).toEqual([]);
    await expect(verify('idp-token')).resolves.toMatchObject({ roles: ['brand_member'] });
    await expect(withPartnerTokens(idp, null)('other')).resolves.toMatchObject({ roles: ['brand_member'] });
    expect(seen).toEqual(['idp-token', 'other']);
  });

  it("puts every token of a partner client in the client's one rate-limit bucket, and nothing else in it", async () => {
    const t = await tokens();
    const verify = withPartnerTokens(async () => ({ sub: 'person', roles: ['brand_member'], brandIds: [], creatorId: null }), t);
    const keyOf = partnerRateKey(t, verify);
    const one = await t.mint(CLIENT);
    const two = await t.mint(CLIENT, new Date(Date.now() - 1000));
    expect(one).not.toBe(two);
    expect(await keyOf(one)).toBe(`p:${CLIENT.partnerClientId}`);
    expect(await keyOf(two)).toBe(`p:${CLIENT.partnerClientId}`);
    // a token of the partner issuer signed by another key spends nobody's bucket but its own
    expect(await keyOf(await (await tokens()).mint(CLIENT))).toBeNull();
    expect(await keyOf('not-a-jwt')).toBeNull();
    expect(await partnerRateKey(null, verify)(one)).toBeNull();
  });
});
