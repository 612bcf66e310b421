import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@influenceflow/kit';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { certificateSettings } from './certificate-settings';
import { parseConfiguredKey, SigningKeyError } from './signing-keys';

describe('configured certificate keys', () => {
  it('reads a P-256 private JWK: ES256, the thumbprint as kid (or its own), only public parameters published', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const key = parseConfiguredKey(JSON.stringify(jwk));
    expect(key.alg).toBe('ES256');
    expect(key.kid).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
    expect(key.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: key.kid, alg: 'ES256', use: 'sig' });
    expect(key.privateJwk.d).toBe(jwk.d);
    expect(parseConfiguredKey(JSON.stringify({ ...jwk, kid: 'platform-2026' })).kid).toBe('platform-2026');
  });

  it('reads PEM keys: PKCS#8 Ed25519 (EdDSA) and P-256, and SEC 1 P-256', async () => {
    const ed = generateKeyPairSync('ed25519');
    const edKey = parseConfiguredKey(ed.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    expect(edKey.alg).toBe('EdDSA');
    expect(edKey.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(edKey.kid).toBe(await calculateJwkThumbprint(ed.publicKey.export({ format: 'jwk' }) as never, 'sha256'));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(parseConfiguredKey(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string).alg).toBe('ES256');
    expect(parseConfiguredKey(ec.privateKey.export({ format: 'pem', type: 'sec1' }) as string).alg).toBe('ES256');
  });

  it('refuses public keys, other curves and types, secrets and junk, without echoing them', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicJwk = ec.publicKey.export({ format: 'jwk' });
    for (const value of [
      JSON.stringify(publicJwk),
      ec.publicKey.export({ format: 'pem', type: 'spki' }) as string,
      p384.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }),
      '{not json',
      'secret-password',
      '',
      JSON.stringify({ ...(ec.privateKey.export({ format: 'jwk' }) as object), kid: 'bad kid\u0000' }),
    ]) {
      let error: unknown;
      try {
        parseConfiguredKey(value);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SigningKeyError);
      expect((error as SigningKeyError).code).toBe('KEY_INVALID');
      if (value.length > 8) expect((error as Error).message).not.toContain(value.slice(0, 20));
    }
  });

  it('reads CONTRACTS_CERTIFICATE_KEY or _FILE, and stops start-up on a bad one naming the variable, not the key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(certificateSettings({})).toEqual({ configuredKey: null });
    expect(certificateSettings({ CONTRACTS_CERTIFICATE_KEY: '' }).configuredKey).toBeNull();
    expect(certificateSettings({ CONTRACTS_CERTIFICATE_KEY: pem }).configuredKey?.alg).toBe('ES256');
    const dir = mkdtempSync(join(tmpdir(), 'cert-key-'));
    writeFileSync(join(dir, 'key.pem'), pem);
    expect(certificateSettings({ CONTRACTS_CERTIFICATE_KEY_FILE: join(dir, 'key.pem') }).configuredKey?.kid).toBe(
      parseConfiguredKey(pem).kid,
    );

    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        certificateSettings(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems;
      }
      throw new Error('accepted');
    };
    const secret = 'my-very-secret-not-a-key-value';
    expect(problems({ CONTRACTS_CERTIFICATE_KEY: secret })).toEqual([
      { variable: 'CONTRACTS_CERTIFICATE_KEY', problem: expect.any(String) },
    ]);
    expect(JSON.stringify(problems({ CONTRACTS_CERTIFICATE_KEY: secret }))).not.toContain(secret);
    expect(problems({ CONTRACTS_CERTIFICATE_KEY: pem, CONTRACTS_CERTIFICATE_KEY_FILE: join(dir, 'key.pem') })[0].variable).toBe(
      'CONTRACTS_CERTIFICATE_KEY_FILE',
    );
    expect(problems({ CONTRACTS_CERTIFICATE_KEY_FILE: join(dir, 'missing.pem') })[0]).toMatchObject({
      variable: 'CONTRACTS_CERTIFICATE_KEY_FILE',
      problem: 'cannot be read (ENOENT)',
    });
  });
});
