import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createDataSource, ErrorCode } from '@influenceflow/kit';
import { createTestDatabase } from '@influenceflow/kit/testing';
import { base64url, createLocalJWKSet, exportJWK, generateKeyPair, JWK, jwtVerify, SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import {
  CERTIFICATE_TYPE,
  CertificateError,
  CertificateErrorCode,
  certificateInputError,
  CompletionClaims,
  issueCertificate,
  verifyCertificate,
} from '../src/certificates/certificate';
import { SigningKey } from '../src/certificates/signing-key.entity';
import { parseConfiguredKey, SigningKeyError, SigningKeys } from '../src/certificates/signing-keys';

const ISSUER = 'https://influenceflow.example';

const claims = (over: Partial<CompletionClaims> = {}): CompletionClaims => ({
  contractId: 'ce47c0de-0000-4000-8000-0000000000c1',
  version: 1,
  title: 'Influencer agreement — Glowbar × Zoë',
  documentSha256: '3f'.repeat(32),
  signers: [
    {
      role: 'brand',
      name: 'Glowbar Ltd',
      signedAt: '2026-12-01T10:00:00.000Z',
      consent: 'I agree to sign electronically',
    },
    {
      role: 'creator',
      name: 'Zoë',
      signedAt: '2026-12-01T11:00:00.000Z',
      consent: 'I agree to sign electronically',
    },
  ],
  executedAt: '2026-12-01T11:00:00.000Z',
  auditHeadHash: 'a1'.repeat(32),
  ...over,
});

async function openDatabase(): Promise<{ ds: DataSource; close(): Promise<void> }> {
  const db = await createTestDatabase('contracts');
  const ds = createDataSource({ url: db.url, entities: [SigningKey], migrations: [], poolSize: 5 });
  await ds.initialize();
  return {
    ds,
    close: async () => {
      await ds.destroy();
      await db.drop();
    },
  };
}

/** What verifyCertificate refused `jws` with (its code), or null when it verified. */
async function refusal(jws: string, jwks: { keys: JWK[] }, options?: { issuer?: string }): Promise<CertificateErrorCode | null> {
  try {
    await verifyCertificate(jws, jwks, options);
    return null;
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    return err.code;
  }
}

/** The kids of a key set: the active one first, then the others in any order. */
const kids = (jwks: { keys: JWK[] }) => [
  jwks.keys[0]?.kid,
  ...jwks.keys
    .slice(1)
    .map((k) => k.kid!)
    .sort(),
];
const activeFirst = (active: string, ...others: string[]) => [active, ...others.sort()];

const segment = (value: unknown) => base64url.encode(JSON.stringify(value));
const parts = (jws: string) => {
  const [h, p, s] = jws.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
    h,
    p,
    s,
  };
};

describe('certificates of completion (generated keys, in the database)', () => {
  let db: { ds: DataSource; close(): Promise<void> };
  let keys: SigningKeys;
  beforeAll(async () => {
    db = await openDatabase();
    keys = new SigningKeys(db.ds, { issuer: ISSUER });
  });
  afterAll(() => db?.close());

  it('creates exactly one active key on first use, even when replicas ask at once, and keeps it across restarts', async () => {
    const replicas = Array.from({ length: 4 }, () => new SigningKeys(db.ds, { issuer: ISSUER }));
    const actives = await Promise.all([...replicas, keys].map((k) => k.active()));
    expect(new Set(actives.map((a) => a.kid)).size).toBe(1);
    expect(actives[0].alg).toBe('ES256');
    const rows = (await db.ds.query(`SELECT kid, status, source, private_jwk ? 'd' AS has_private FROM signing_keys`)) as unknown[];
    expect(rows).toEqual([{ kid: actives[0].kid, status: 'active', source: 'generated', has_private: true }]);
    expect((await new SigningKeys(db.ds).active()).kid).toBe(actives[0].kid);
  });

  it('issues a certificate anyone verifies offline with the JWKS alone (jose createLocalJWKSet), which holds no private part', async () => {
    const jws = await issueCertificate(keys, claims());
    // What a verifier downloads: JSON, public parameters only.
    const published = JSON.parse(JSON.stringify(await keys.jwks())) as { keys: JWK[] };
    expect(published.keys).toHaveLength(1);
    expect(published.keys[0]).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: expect.any(String),
      alg: 'ES256',
      use: 'sig',
    });
    expect(JSON.stringify(published)).not.toContain('"d"');

    const { payload, protectedHeader } = await jwtVerify(jws, createLocalJWKSet(published), { issuer: ISSUER, typ: CERTIFICATE_TYPE });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: published.keys[0].kid, typ: CERTIFICATE_TYPE });
    expect(payload).toMatchObject({ ...claims(), iss: ISSUER, sub: claims().contractId });
    expect(payload.exp).toBeUndefined();

    expect(await verifyCertificate(jws, published)).toEqual(claims());
    expect(await verifyCertificate(jws, published, { issuer: ISSUER })).toEqual(claims());
    expect(await refusal(jws, published, { issuer: 'https://elsewhere.example' })).toBe('CERTIFICATE_WRONG_ISSUER');
  });

  it("never certifies a signer's token subject; an older certificate holding one still verifies, without it", async () => {
    const withSubjects = {
      ...claims(),
      signers: claims().signers.map((s, i) => ({ ...s, subject: i === 0 ? 'member-of-glowbar' : 'creator-zoe' })),
    };
    // Handed subjects (as the contract's signatures hold them), the certificate leaves them out.
    const issued = await issueCertificate(keys, withSubjects as CompletionClaims);
    expect(JSON.stringify(parts(issued).payload)).not.toMatch(/subject|member-of-glowbar|creator-zoe/);
    const jwks = await keys.jwks();
    expect(await verifyCertificate(issued, jwks)).toEqual(claims());
    // One issued before that change, as it was signed then: valid, and its subjects are not shown.
    const active = await keys.active();
    const older = await new SignJWT({ ...withSubjects })
      .setProtectedHeader({ alg: active.alg, kid: active.kid, typ: CERTIFICATE_TYPE })
      .setIssuer(ISSUER)
      .setSubject(claims().contractId)
      .setIssuedAt()
      .sign(active.privateKey);
    expect(parts(older).payload.signers[0].subject).toBe('member-of-glowbar');
    const verified = await verifyCertificate(older, jwks, { issuer: ISSUER });
    expect(verified).toEqual(claims());
    expect(JSON.stringify(verified)).not.toMatch(/subject|member-of-glowbar|creator-zoe/);
    // Still strict about everything else a signer may hold.
    const odd = await new SignJWT({ ...claims(), signers: [{ ...claims().signers[0], ip: '203.0.113.1' }] })
      .setProtectedHeader({ alg: active.alg, kid: active.kid, typ: CERTIFICATE_TYPE })
      .sign(active.privateKey);
    expect(await refusal(odd, jwks)).toBe('CERTIFICATE_INVALID_CLAIMS');
  });

  it('refuses to certify claims that are not a certificate of completion', async () => {
    const bad: CompletionClaims[] = [
      claims({ documentSha256: 'not-a-hash' }),
      claims({ documentSha256: 'AB'.repeat(32) }),
      claims({ contractId: 'x' }),
      claims({ version: 0 }),
      claims({ title: '' }),
      claims({ title: 'a\u0000b' }),
      claims({ title: 't'.repeat(501) }),
      claims({ signers: [] }),
      claims({ executedAt: 'yesterday' }),
      claims({ auditHeadHash: '' }),
      { ...claims(), secret: 'an extra claim' } as CompletionClaims,
      claims({ signers: [{ ...claims().signers[0], role: 'admin' as never }] }),
      claims({ signers: [{ ...claims().signers[0], ip: '1.2.3.4' } as never] }),
    ];
    for (const c of bad) await expect(issueCertificate(keys, c)).rejects.toMatchObject({ code: 'CERTIFICATE_INVALID_CLAIMS' });
  });

  it('rotates: the new key signs, the old one stays published and its certificates still verify; a revoked key does not', async () => {
    const oldKid = (await keys.active()).kid;
    const before = await issueCertificate(keys, claims({ title: 'Before rotation' }));
    const newKid = await keys.rotate();
    expect(newKid).not.toBe(oldKid);
    expect((await keys.active()).kid).toBe(newKid);
    // Another replica sees the rotation too.
    expect((await new SigningKeys(db.ds).active()).kid).toBe(newKid);
    const after = await issueCertificate(keys, claims({ title: 'After rotation' }));
    expect(parts(after).header.kid).toBe(newKid);

    const jwks = await keys.jwks();
    expect(kids(jwks)).toEqual(activeFirst(newKid, oldKid));
    expect((await verifyCertificate(before, jwks)).title).toBe('Before rotation');
    expect((await verifyCertificate(after, jwks)).title).toBe('After rotation');
    await expect(jwtVerify(before, createLocalJWKSet(jwks))).resolves.toBeDefined();

    const third = await keys.rotate();
    expect(kids(await keys.jwks())).toEqual(activeFirst(third, newKid, oldKid));
    expect((await db.ds.query(`SELECT count(*)::int AS n FROM signing_keys WHERE status = 'active'`))[0].n).toBe(1);

    expect(await keys.revoke(oldKid)).toBe(true);
    expect(await keys.revoke(oldKid)).toBe(false);
    expect(await keys.revoke('no such kid')).toBe(false);
    const afterRevoke = await keys.jwks();
    expect(kids(afterRevoke)).toEqual(activeFirst(third, newKid));
    expect(await refusal(before, afterRevoke)).toBe('CERTIFICATE_UNKNOWN_KEY');
    expect((await verifyCertificate(after, afterRevoke)).title).toBe('After rotation');

    // Revoking the active key: the next certificate is signed with a new one.
    expect(await keys.revoke(third)).toBe(true);
    const next = await keys.active();
    expect([oldKid, newKid, third]).not.toContain(next.kid);
  });

  describe('forgeries, each refused with its code', () => {
    let jwks: { keys: JWK[] };
    let genuine: string;
    beforeAll(async () => {
      genuine = await issueCertificate(keys, claims());
      jwks = JSON.parse(JSON.stringify(await keys.jwks())) as { keys: JWK[] };
    });

    it('the genuine one verifies', async () => {
      expect(await refusal(genuine, jwks)).toBeNull();
    });

    it('a key the platform does not publish (an unknown kid, or none)', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await new SignJWT({ ...claims() })
        .setProtectedHeader({ alg: 'ES256', kid: 'attacker-key', typ: CERTIFICATE_TYPE })
        .sign(privateKey);
      expect(await refusal(forged, jwks)).toBe('CERTIFICATE_UNKNOWN_KEY');
      const noKid = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: 'ES256', typ: CERTIFICATE_TYPE }).sign(privateKey);
      expect(await refusal(noKid, jwks)).toBe('CERTIFICATE_UNKNOWN_KEY');
      await expect(jwtVerify(forged, createLocalJWKSet(jwks))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    });

    it("an attacker's key under the platform's kid, with or without its public key embedded in the header", async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const kid = parts(genuine).header.kid as string;
      const forged = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: 'ES256', kid, typ: CERTIFICATE_TYPE }).sign(privateKey);
      expect(await refusal(forged, jwks)).toBe('CERTIFICATE_BAD_SIGNATURE');
      const embedded = await new SignJWT({ ...claims() })
        .setProtectedHeader({ alg: 'ES256', kid, typ: CERTIFICATE_TYPE, jwk: await exportJWK(publicKey) })
        .sign(privateKey);
      expect(await refusal(embedded, jwks)).toBe('CERTIFICATE_BAD_SIGNATURE');
    });

    it('an edited payload (any claim), the signature kept', async () => {
      const { h, payload, s } = parts(genuine);
      for (const edit of [
        { title: 'Another title' },
        { documentSha256: '00'.repeat(32) },
        { signers: [payload.signers[0]] },
        { executedAt: '2020-01-01T00:00:00.000Z' },
        { extra: 1 },
      ]) {
        expect(await refusal(`${h}.${segment({ ...payload, ...edit })}.${s}`, jwks)).toBe('CERTIFICATE_BAD_SIGNATURE');
      }
      // One byte of the payload segment.
      const p = parts(genuine).p;
      const flipped = p.slice(0, 10) + (p[10] === 'A' ? 'B' : 'A') + p.slice(11);
      expect(['CERTIFICATE_BAD_SIGNATURE', 'CERTIFICATE_MALFORMED']).toContain(await refusal(`${h}.${flipped}.${s}`, jwks));
    });

    it('a changed signature, or none', async () => {
      const { h, p, s } = parts(genuine);
      const sig = Buffer.from(s, 'base64url');
      sig[7] ^= 0x01;
      expect(await refusal(`${h}.${p}.${sig.toString('base64url')}`, jwks)).toBe('CERTIFICATE_BAD_SIGNATURE');
      expect(await refusal(`${h}.${p}.${s.slice(0, -4)}`, jwks)).toBe('CERTIFICATE_BAD_SIGNATURE');
      expect(await refusal(`${h}.${p}.`, jwks)).toBe('CERTIFICATE_BAD_SIGNATURE');
    });

    it('alg "none" (an unsecured JWT)', async () => {
      const { header, p } = parts(genuine);
      for (const alg of ['none', 'None', 'NONE']) {
        const unsecured = `${segment({ ...header, alg })}.${p}.`;
        expect(await refusal(unsecured, jwks)).toBe('CERTIFICATE_ALGORITHM_REFUSED');
        await expect(jwtVerify(unsecured, createLocalJWKSet(jwks))).rejects.toBeDefined();
      }
      expect(await refusal(`${segment({ typ: CERTIFICATE_TYPE, kid: header.kid })}.${p}.`, jwks)).toBe('CERTIFICATE_ALGORITHM_REFUSED');
    });

    it('an HS256 forgery keyed with the public key (its JWK, its PEM, its coordinates)', async () => {
      const { header, p } = parts(genuine);
      const publicJwk = jwks.keys.find((k) => k.kid === header.kid)!;
      const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({ format: 'pem', type: 'spki' }) as string;
      for (const secret of [JSON.stringify(publicJwk), pem, publicJwk.x!]) {
        for (const alg of ['HS256', 'HS512']) {
          const h = segment({ alg, kid: header.kid, typ: CERTIFICATE_TYPE });
          const forged = `${h}.${p}.${createHmac(alg === 'HS256' ? 'sha256' : 'sha512', secret)
            .update(`${h}.${p}`)
            .digest('base64url')}`;
          expect(await refusal(forged, jwks)).toBe('CERTIFICATE_ALGORITHM_REFUSED');
          // jose alone refuses it too: an EC key set holds no HMAC key.
          await expect(jwtVerify(forged, createLocalJWKSet(jwks))).rejects.toBeDefined();
        }
      }
    });

    it('a token of another type signed with a published key, and a certificate signed with RS256', async () => {
      const active = await keys.active();
      const idToken = await new SignJWT({ ...claims() })
        .setProtectedHeader({ alg: active.alg, kid: active.kid, typ: 'JWT' })
        .sign(active.privateKey);
      expect(await refusal(idToken, jwks)).toBe('CERTIFICATE_WRONG_TYPE');
      const untyped = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: active.alg, kid: active.kid }).sign(active.privateKey);
      expect(await refusal(untyped, jwks)).toBe('CERTIFICATE_WRONG_TYPE');
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rs = await new SignJWT({ ...claims() })
        .setProtectedHeader({ alg: 'RS256', kid: active.kid, typ: CERTIFICATE_TYPE })
        .sign(rsa.privateKey);
      expect(await refusal(rs, jwks)).toBe('CERTIFICATE_ALGORITHM_REFUSED');
    });

    it('signed with a published key but not holding the claims of a certificate, or naming another contract as subject', async () => {
      const active = await keys.active();
      const sign = (payload: Record<string, unknown>) =>
        new SignJWT(payload).setProtectedHeader({ alg: active.alg, kid: active.kid, typ: CERTIFICATE_TYPE }).sign(active.privateKey);
      const { title: _title, ...withoutTitle } = claims();
      expect(await refusal(await sign(withoutTitle), jwks)).toBe('CERTIFICATE_INVALID_CLAIMS');
      expect(await refusal(await sign({ ...claims(), version: '1' }), jwks)).toBe('CERTIFICATE_INVALID_CLAIMS');
      expect(await refusal(await sign({ ...claims(), sub: 'ce47c0de-0000-4000-8000-0000000000c2' }), jwks)).toBe(
        'CERTIFICATE_INVALID_CLAIMS',
      );
      const expired = await new SignJWT({ ...claims() })
        .setProtectedHeader({ alg: active.alg, kid: active.kid, typ: CERTIFICATE_TYPE })
        .setExpirationTime(1)
        .sign(active.privateKey);
      expect(await refusal(expired, jwks)).toBe('CERTIFICATE_INVALID_CLAIMS');
    });

    it('anything that is not a compact JWS: empty, junk, NUL bytes, huge, not a string', async () => {
      const { h, p, s } = parts(genuine);
      for (const junk of [
        '',
        'abc',
        'a.b',
        'a.b.c.d',
        `${genuine}\u0000`,
        `${h}.${p}.${s}.`,
        '!!.??.##',
        `${'A'.repeat(70_000)}.${p}.${s}`,
        'bm90IGpzb24.e30.',
      ]) {
        expect(await refusal(junk, jwks)).toBe('CERTIFICATE_MALFORMED');
      }
      for (const notString of [null, 42, { jws: genuine }, [genuine]]) {
        expect(await refusal(notString as never, jwks)).toBe('CERTIFICATE_MALFORMED');
      }
    });

    it('turns each refusal into BAD_USER_INPUT on the field, the code as reason, the certificate not echoed', () => {
      const err = certificateInputError(new CertificateError('CERTIFICATE_BAD_SIGNATURE'), 'input.certificate');
      expect(err).toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        field: 'input.certificate',
        details: { reason: 'CERTIFICATE_BAD_SIGNATURE' },
      });
      expect(certificateInputError(new CertificateError('CERTIFICATE_UNKNOWN_KEY')).field).toBe('certificate');
      expect(err.message).not.toContain(genuine.slice(0, 10));
    });
  });
});

describe('certificates of completion (a configured key)', () => {
  let db: { ds: DataSource; close(): Promise<void> };
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db?.close());

  it('signs with the configured key (EdDSA here), stores only its public half, keeps older keys published and refuses rotation', async () => {
    const generated = new SigningKeys(db.ds, { issuer: ISSUER });
    const older = await issueCertificate(generated, claims({ title: 'Signed before the key was configured' }));

    const ed = generateKeyPairSync('ed25519');
    const configuredKey = parseConfiguredKey(ed.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    const keys = new SigningKeys(db.ds, { issuer: ISSUER, configuredKey });
    const jws = await issueCertificate(keys, claims());
    expect(parts(jws).header).toEqual({ alg: 'EdDSA', kid: configuredKey.kid, typ: CERTIFICATE_TYPE });

    const jwks = await keys.jwks();
    expect(kids(jwks)).toEqual(activeFirst(configuredKey.kid, parts(older).header.kid));
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    expect(await verifyCertificate(jws, jwks)).toEqual(claims());
    expect((await verifyCertificate(older, jwks)).title).toBe('Signed before the key was configured');
    await expect(jwtVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] })).resolves.toBeDefined();

    const rows = (await db.ds.query(`SELECT kid, source, status, private_jwk FROM signing_keys ORDER BY source DESC`)) as Record<
      string,
      unknown
    >[];
    expect(rows).toEqual([
      {
        kid: parts(older).header.kid,
        source: 'generated',
        status: 'retired',
        private_jwk: expect.objectContaining({ d: expect.any(String) }),
      },
      { kid: configuredKey.kid, source: 'configured', status: 'active', private_jwk: null },
    ]);
    await expect(keys.rotate()).rejects.toMatchObject({ code: 'KEY_CONFIGURED' });
    await expect(keys.rotate()).rejects.toBeInstanceOf(SigningKeyError);

    // The key configured away again: a generated key takes over; the configured one stays published.
    const after = new SigningKeys(db.ds, { issuer: ISSUER });
    const next = await after.active();
    expect([configuredKey.kid, parts(older).header.kid]).not.toContain(next.kid);
    expect(kids(await after.jwks())).toEqual(activeFirst(next.kid, configuredKey.kid, parts(older).header.kid));
    expect(await verifyCertificate(jws, await after.jwks())).toEqual(claims());

    // Configured again (a restart with the variable back): it is the active key once more.
    const again = new SigningKeys(db.ds, { issuer: ISSUER, configuredKey });
    expect((await again.active()).kid).toBe(configuredKey.kid);
    expect((await db.ds.query(`SELECT kid FROM signing_keys WHERE status = 'active'`))[0].kid).toBe(configuredKey.kid);

    // Revoked, the configured key no longer signs (and leaves the key set).
    expect(await again.revoke(configuredKey.kid)).toBe(true);
    await expect(again.active()).rejects.toMatchObject({ code: 'KEY_REVOKED' });
    expect(await refusal(jws, await again.jwks())).toBe('CERTIFICATE_UNKNOWN_KEY');
  });

  it('refuses a configured key whose kid is already published for another key', async () => {
    const first = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const second = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const asJwk = (k: typeof first) => JSON.stringify({ ...(k.privateKey.export({ format: 'jwk' }) as object), kid: 'platform-key' });
    await new SigningKeys(db.ds, { configuredKey: parseConfiguredKey(asJwk(first)) }).active();
    const clash = new SigningKeys(db.ds, { configuredKey: parseConfiguredKey(asJwk(second)) });
    await expect(clash.active()).rejects.toMatchObject({ code: 'KEY_CONFLICT' });
    await expect(clash.jwks()).rejects.toMatchObject({ code: 'KEY_CONFLICT' });
  });
});
