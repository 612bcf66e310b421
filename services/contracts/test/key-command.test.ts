import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { createDataSource, createLogger } from '@influenceflow/kit';
import { createTestDatabase } from '@influenceflow/kit/testing';
import { DataSource } from 'typeorm';
import { CertificateError, CompletionClaims, issueCertificate, verifyCertificate } from '../src/certificates/certificate';
import { runKeysCommand } from '../src/certificates/key-command';
import { SigningKey } from '../src/certificates/signing-key.entity';
import { parseConfiguredKey, SigningKeys } from '../src/certificates/signing-keys';
import { contractsSubgraph } from '../src/schema';

const ISSUER = 'https://influenceflow.example';
const claims: CompletionClaims = {
  contractId: 'cea1c0de-0000-4000-8000-0000000000c1',
  version: 1,
  title: 'Influencer agreement — keys',
  documentSha256: '4e'.repeat(32),
  signers: [
    { role: 'brand', name: 'Oaty', signedAt: '2026-12-01T10:00:00.000Z', consent: 'I agree' },
    { role: 'creator', name: 'Ella', signedAt: '2026-12-01T11:00:00.000Z', consent: 'I agree' },
  ],
  executedAt: '2026-12-01T11:00:00.000Z',
  auditHeadHash: 'b2'.repeat(32),
};

async function refusal(jws: string, jwks: Awaited<ReturnType<SigningKeys['jwks']>>): Promise<string | null> {
  try {
    await verifyCertificate(jws, jwks);
    return null;
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    return err.code;
  }
}

describe('the operators’ key command (pnpm contracts keys …) on the contracts database', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  /** The running service's keys, on the same database. */
  let service: SigningKeys;
  const logger = createLogger('keys-test', 'silent');

  const keys = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    let out = '';
    let err = '';
    const code = await runKeysCommand(
      argv,
      { env: { CONTRACTS_DATABASE_URL: db.url, ...env }, out: (t) => (out += t), err: (t) => (err += t), logger },
      { entities: contractsSubgraph.entities, migrations: contractsSubgraph.migrations },
    );
    return { code, out, err };
  };
  const published = async () => (await service.jwks()).keys.map((k) => k.kid);

  beforeAll(async () => {
    db = await createTestDatabase('contracts');
    ds = createDataSource({ url: db.url, entities: [SigningKey], migrations: [], poolSize: 3 });
    await ds.initialize();
    service = new SigningKeys(ds, { issuer: ISSUER });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  let first: string;
  let firstCertificate: string;

  it('lists the keys: none yet, then the one the service made, active', async () => {
    const empty = await keys(['list']);
    expect(empty).toMatchObject({ code: 0, err: '' });
    expect(empty.out).toContain('No certificate keys yet');

    firstCertificate = await issueCertificate(service, claims);
    first = (await service.active()).kid;
    const listed = await keys(['list', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out).keys).toEqual([
      expect.objectContaining({ kid: first, alg: 'ES256', source: 'generated', status: 'active', published: true, revokedAt: null }),
    ]);
    expect((await keys(['list'])).out).toMatch(new RegExp(`${first.replace(/[-_]/g, '.')}\\s+ES256\\s+generated\\s+active \\*`));
  });

  it('refuses to revoke the active key (rotate first): nothing changes', async () => {
    const r = await keys(['revoke', first, '--reason', 'leaked']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is the active key: rotate first');
    expect(r.err).toContain('KEY_ACTIVE');
    expect(await published()).toEqual([first]);
  });

  let second: string;
  it('rotates: a new active key, the old one retired and still published, so its certificates verify', async () => {
    const r = await keys(['rotate', '--reason', 'yearly rotation', '--by', 'ops:dana']);
    expect(r.code).toBe(0);
    second = (await service.active()).kid;
    expect(second).not.toBe(first);
    expect(r.out).toContain(`${second} is the active key now; ${first} is retired and stays published`);
    expect(await published()).toEqual([second, first]);
    expect(await verifyCertificate(firstCertificate, await service.jwks())).toEqual(claims);
    // The service signs with the new key at once (it reads the active key from the database).
    const next = await issueCertificate(service, claims);
    expect(JSON.parse(Buffer.from(next.split('.')[0], 'base64url').toString()).kid).toBe(second);
  });

  it('revokes a retired key with a reason: it leaves the JWKS and its certificates no longer verify', async () => {
    const noReason = await keys(['revoke', first]);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('--reason is required');
    expect(await published()).toEqual([second, first]);

    const r = await keys(['revoke', first, '--reason', 'key file leaked', '--by', 'ops:dana']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain(`Revoked: ${first}`);
    expect(await published()).toEqual([second]);
    expect(await refusal(firstCertificate, await service.jwks())).toBe('CERTIFICATE_UNKNOWN_KEY');
    expect(JSON.parse((await keys(['list', '--json'])).out).keys).toEqual([
      expect.objectContaining({ kid: second, status: 'active' }),
      expect.objectContaining({ kid: first, status: 'revoked', published: false, revokedAt: expect.any(String) }),
    ]);
  });

  it('refuses an unknown kid, a key revoked already, and usage mistakes, with a message and a non-zero exit', async () => {
    const again = await keys(['revoke', first, '--reason', 'again']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('revoked already');
    const unknown = await keys(['revoke', 'no-such-kid', '--reason', 'typo']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no key has the kid no-such-kid (KEY_UNKNOWN)');
    expect((await keys(['revoke', "kid'; DROP TABLE signing_keys; --", '--reason', 'x'])).code).toBe(1);
    // A kid may begin with "-" (base64url): still the kid, not an option.
    const dashed = await keys(['revoke', '-dashed_kid', '--reason', 'typo']);
    expect(dashed.code).toBe(1);
    expect(dashed.err).toContain('no key has the kid -dashed_kid (KEY_UNKNOWN)');
    expect((await keys(['destroy'])).code).toBe(2);
    expect((await keys(['rotate', '--reason', 'bad\u0000reason'])).code).toBe(2);
    expect((await keys(['revoke'])).code).toBe(2);
    expect(await published()).toEqual([second]);
  });

  it('keeps every key operation in the key log: who, what, why', async () => {
    const r = await keys(['log', '--json']);
    expect(r.code).toBe(0);
    const events = (JSON.parse(r.out) as { events: { kid: string; action: string; actor: string; reason: string }[] }).events;
    expect(events.map(({ kid, action, actor, reason }) => ({ kid, action, actor, reason }))).toEqual([
      { kid: first, action: 'generated', actor: 'service', reason: 'the service needed an active key' },
      { kid: first, action: 'retired', actor: 'ops:dana', reason: 'yearly rotation' },
      { kid: second, action: 'generated', actor: 'ops:dana', reason: 'yearly rotation' },
      { kid: first, action: 'revoked', actor: 'ops:dana', reason: 'key file leaked' },
    ]);
  });

  it('does not rotate or revoke a configured key (CONTRACTS_CERTIFICATE_KEY) from the database', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const configuredKid = parseConfiguredKey(pem).kid;
    const rotate = await keys(['rotate'], { CONTRACTS_CERTIFICATE_KEY: pem });
    expect(rotate.code).toBe(1);
    expect(rotate.err).toContain('is configured (CONTRACTS_CERTIFICATE_KEY');
    const revoke = await keys(['revoke', configuredKid, '--reason', 'x'], { CONTRACTS_CERTIFICATE_KEY: pem });
    expect(revoke.code).toBe(1);
    expect(revoke.err).toContain('configure another key, restart the service, then revoke this one');
    const bad = await keys(['list'], { CONTRACTS_CERTIFICATE_KEY: 'not a key' });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('CONTRACTS_CERTIFICATE_KEY');
    expect(await published()).toEqual([second]);
  });

  it('runs as a command (dist/cli.js): its exit code and message', () => {
    const cli = join(__dirname, '..', 'dist', 'cli.js');
    const env = { ...process.env, CONTRACTS_DATABASE_URL: db.url, LOG_LEVEL: 'silent' };
    const refused = spawnSync(process.execPath, [cli, 'keys', 'revoke', 'no-such-kid', '--reason', 'typo'], { env, encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('KEY_UNKNOWN');
    const listed = spawnSync(process.execPath, [cli, 'keys', 'list', '--json'], { env, encoding: 'utf8' });
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout).keys[0]).toMatchObject({ kid: second, status: 'active' });
  });
});
