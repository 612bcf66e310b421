import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, Identity } from '@influenceflow/kit';
import { PartnershipEventData, TOPICS } from '@influenceflow/vocabulary';
import {
  eventually,
  GraphQLResponse,
  identities,
  publishRawEvent,
  startTestSubgraph,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { decodeJwt, SignJWT } from 'jose';
import { PNG } from 'pngjs';
import { CERTIFICATE_TYPE } from '../src/certificates/certificate';
import type { CompletionClaims } from '../src/contracts/seams';
import { contractsSubgraph } from '../src/schema';
import { loadSealingIdentity, type SealingIdentity } from '../src/sealing';
import type { ContractsServices } from '../src/services';

/**
 * The sealed PDF of a real execution (both parties sign through the API, real database), checked by an
 * independent verifier, poppler: pdfsig for the seal, pdftotext and pdftoppm for the certificate page;
 * and the same bytes through the public verification.
 */
const POPPLER = process.env.POPPLER_DIR ?? '/usr/bin';
const tool = (name: string, args: string[]) => {
  const result = spawnSync(join(POPPLER, name), args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
};

// Ids of this file only (test files share databases and topics).
const id = (n: number) => `00000000-0000-4000-8a13-${String(n).padStart(12, '0')}`;
const BRAND = id(1);
const CREATOR = id(11);
const CAMPAIGN = id(21);
const PARTNERSHIP = id(31);

const member = identities.brandMember(BRAND, 'sam@sealco');
const creator = identities.creator(CREATOR);
const CLIENT = { ip: '203.0.113.44', userAgent: 'Sealed-Execution-Test/1.0' };
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

const accepted: PartnershipEventData = {
  partnershipId: PARTNERSHIP,
  campaignId: CAMPAIGN,
  brandId: BRAND,
  creatorId: CREATOR,
  status: 'accepted',
  previousStatus: 'invited',
  lengthMonths: null,
  deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-06-10' }],
  fee: { amountMinor: 60_000, currency: 'EUR' },
  commissionPercent: null,
  briefVersion: 1,
  reason: null,
  parties: {
    brandName: 'Sealco',
    creatorName: 'Zoë Åström',
    creatorHandle: 'zoe.seals',
    campaignName: 'Sealed summer',
    campaignStartsOn: '2027-06-01',
    campaignEndsOn: '2027-06-30',
  },
};

describe('the sealed PDF of a contract executed through the service', () => {
  let sub: TestSubgraph<ContractsServices>;
  let dir: string;
  let platformSeal: SealingIdentity;
  let contractId: string;
  let documentSha256: string;
  let pdf: Buffer;
  let pageCount: number;
  const previousSealDir = process.env.CONTRACTS_SEAL_DEV_DIR;

  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who, CLIENT);
  const ok = <T>(r: GraphQLResponse<T>): T => {
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const write = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  beforeAll(async () => {
    // The service's own development seal, in a directory of this test: the one it seals with is known.
    dir = mkdtempSync(join(tmpdir(), 'contracts-sealed-execution-'));
    process.env.CONTRACTS_SEAL_DEV_DIR = join(dir, 'seal');
    sub = await startTestSubgraph(contractsSubgraph);
    await publishRawEvent(
      TEST_KAFKA_BROKERS,
      `${testTopicPrefix()}${TOPICS.campaign}`,
      createEvent('campaign', { type: 'partnership.accepted', subject: PARTNERSHIP, brandid: BRAND, data: accepted }),
    );
    contractId = await eventually(
      async () =>
        ((await sub.runtime.dataSource.query(`SELECT id FROM contracts WHERE partnership_id = $1`, [PARTNERSHIP])) as { id: string }[])[0]
          ?.id,
      30_000,
      'the draft contract',
    );
    ok(await q(`mutation($id: ID!) { sendContract(id: $id) { id } }`, { id: contractId }, member));
    const SIGN = `mutation($id: ID!, $sha: String!, $consent: String!) {
      signContract(contractId: $id, documentSha256: $sha, consent: $consent) { status } }`;
    const statuses: string[] = [];
    for (const who of [member, creator]) {
      const c = ok(
        await q<{ contract: { document: string; consentStatement: string } }>(
          `query($id: ID!) { contract(id: $id) { document consentStatement } }`,
          { id: contractId },
          who,
        ),
      ).contract;
      documentSha256 = sha256(Buffer.from(c.document, 'utf8'));
      statuses.push(
        ok(await q<{ signContract: { status: string } }>(SIGN, { id: contractId, sha: documentSha256, consent: c.consentStatement }, who))
          .signContract.status,
      );
    }
    expect(statuses).toEqual(['SIGNED', 'EXECUTED']);
    // The PDF as the database holds it (and as a party downloads it).
    const [row] = (await sub.runtime.dataSource.query(`SELECT pdf, pdf_sha256 FROM contracts WHERE id = $1`, [contractId])) as {
      pdf: Buffer;
      pdf_sha256: string;
    }[];
    pdf = row.pdf;
    expect(sha256(pdf)).toBe(row.pdf_sha256);
    const downloaded = ok(
      await q<{ contract: { pdf: { base64: string; sha256: string } } }>(
        `query($id: ID!) { contract(id: $id) { pdf { base64 sha256 } } }`,
        { id: contractId },
        creator,
      ),
    ).contract.pdf;
    expect(Buffer.from(downloaded.base64, 'base64').equals(pdf)).toBe(true);
    platformSeal = await loadSealingIdentity({ developmentDir: join(dir, 'seal') });
    pageCount = Number(/^Pages:\s+(\d+)/m.exec(tool('pdfinfo', [write('contract.pdf', pdf)]).out)?.[1]);
  }, 120_000);

  afterAll(async () => {
    await sub?.close();
    if (previousSealDir === undefined) delete process.env.CONTRACTS_SEAL_DEV_DIR;
    else process.env.CONTRACTS_SEAL_DEV_DIR = previousSealDir;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pdfsig: the seal is valid, over the whole file, and its signer is the platform certificate', () => {
    const { status, out } = tool('pdfsig', ['-nocert', join(dir, 'contract.pdf')]);
    expect(status).toBe(0);
    const cert = new X509Certificate(platformSeal.certificate);
    const commonName = /CN=([^,\n]+)/.exec(cert.subject.replace(/\n/g, ','))![1];
    expect(out).toContain(`Signer Certificate Common Name: ${commonName}`);
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Validation: Signature is Valid.');
    // The certificate inside the signature is the platform's, byte for byte (the CMS in /Contents embeds it).
    const contents = /\/Contents\s*<([0-9A-Fa-f]+)>/.exec(pdf.toString('latin1'));
    expect(contents).not.toBeNull();
    expect(Buffer.from(contents![1], 'hex').includes(platformSeal.certificate)).toBe(true);
  });

  it('pdfsig: one byte changed in the signed document makes it invalid', () => {
    const byteRange = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(pdf.toString('latin1'));
    expect(byteRange).not.toBeNull();
    const firstLength = Number(byteRange![2]);
    const at = Math.floor(firstLength / 2);
    const edited = Buffer.from(pdf);
    edited[at] = edited[at] === 0x30 ? 0x31 : 0x30;
    const { out } = tool('pdfsig', ['-nocert', write('edited.pdf', edited)]);
    expect(out).not.toContain('Signature is Valid.');
    expect(out).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)\./);
  });

  it('its last page is the certificate of completion (pdftotext), and renders as a page of text (pdftoppm)', () => {
    expect(pageCount).toBeGreaterThanOrEqual(2);
    const file = join(dir, 'contract.pdf');
    const last = tool('pdftotext', ['-f', String(pageCount), '-l', String(pageCount), file, '-']).out.replace(/\s+/g, ' ');
    expect(last).toContain('Certificate of completion');
    expect(last).toContain(contractId);
    expect(last).toContain('Zoë Åström');
    expect(last).toContain(CLIENT.ip);
    const first = tool('pdftotext', ['-f', '1', '-l', '1', file, '-']).out;
    expect(first).not.toContain('Certificate of completion');

    const prefix = join(dir, 'last-page');
    const rendered = tool('pdftoppm', ['-png', '-r', '50', '-f', String(pageCount), '-l', String(pageCount), '-singlefile', file, prefix]);
    expect(rendered.status).toBe(0);
    const png = PNG.sync.read(readFileSync(`${prefix}.png`));
    // A4 at 50 dpi: 413 × 585 px (±1 for rounding).
    expect(Math.abs(png.width - 413)).toBeLessThanOrEqual(1);
    expect(Math.abs(png.height - 585)).toBeLessThanOrEqual(1);
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] + png.data[i + 1] + png.data[i + 2] < 3 * 128) dark++;
    const share = dark / (png.width * png.height);
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.3);
  });

  it('verifies in public by its bytes (POST /verify) and by its SHA-256; an edited copy does not', async () => {
    const base = sub.url.replace(/\/graphql$/, '');
    const byBytes = (await (await fetch(`${base}/verify`, { method: 'POST', body: pdf })).json()) as Record<string, unknown>;
    // No token subject in the public answer, not even in a default signer name.
    expect(JSON.stringify(byBytes)).not.toContain('sam@sealco');
    expect(JSON.stringify(byBytes)).not.toContain(`creator-${CREATOR}`);
    expect(byBytes).toMatchObject({
      executed: true,
      matched: 'PDF',
      contractId,
      documentSha256,
      standing: { state: 'IN_FORCE', supersededByVersion: null },
      signers: [
        { party: 'BRAND', name: 'On behalf of Sealco' },
        { party: 'CREATOR', name: 'Zoë Åström' },
      ],
    });
    const verified = ok(
      await q<{ verifyContract: { matched: string; contractId: string } }>(
        `query($sha: String) { verifyContract(documentSha256: $sha) { matched contractId } }`,
        { sha: sha256(pdf) },
        null,
      ),
    ).verifyContract;
    expect(verified).toEqual({ matched: 'PDF', contractId });
    const edited = Buffer.from(pdf);
    edited[Math.floor(edited.length / 3)] ^= 0x01;
    expect(await (await fetch(`${base}/verify`, { method: 'POST', body: edited })).json()).toMatchObject({
      executed: false,
      matched: null,
      standing: null,
    });
  });

  it("a stored certificate of an earlier release, holding the signers' subjects, verifies everywhere without them", async () => {
    const [row] = (await sub.runtime.dataSource.query(`SELECT certificate_jws FROM contracts WHERE id = $1`, [contractId])) as {
      certificate_jws: string;
    }[];
    const claims = decodeJwt(row.certificate_jws) as unknown as CompletionClaims & { iss: string };
    const subjects = ['sam@sealco', `creator-${CREATOR}`];
    const key = await sub.services.certificates.keys().active();
    const older = await new SignJWT({
      contractId: claims.contractId,
      version: claims.version,
      title: claims.title,
      documentSha256: claims.documentSha256,
      signers: claims.signers.map((signer, i) => ({ ...signer, subject: subjects[i] })),
      executedAt: claims.executedAt,
      auditHeadHash: claims.auditHeadHash,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: CERTIFICATE_TYPE })
      .setIssuer(claims.iss)
      .setSubject(contractId)
      .setIssuedAt()
      .sign(key.privateKey);
    await sub.runtime.dataSource.query(`UPDATE contracts SET certificate_jws = $2 WHERE id = $1`, [contractId, older]);
    const base = sub.url.replace(/\/graphql$/, '');
    const VERIFY = `query($sha: String, $cert: String) { verifyContract(documentSha256: $sha, certificate: $cert) {
      executed matched signers { party name signedAt consent } } }`;
    const answers = [
      ok(await q(VERIFY, { sha: documentSha256 }, null)),
      ok(await q(VERIFY, { cert: older }, null)),
      await (await fetch(`${base}/verify?sha256=${documentSha256}`)).json(),
      await (await fetch(`${base}/verify`, { method: 'POST', body: pdf })).json(),
      await (
        await fetch(`${base}/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ certificate: older }),
        })
      ).json(),
    ];
    // By a hash, the older certificate itself is not handed out (it holds the subjects); given, it is checked.
    expect((answers[2] as { certificate: unknown }).certificate).toBeNull();
    expect((answers[3] as { certificate: unknown }).certificate).toBeNull();
    expect((answers[4] as { certificate: unknown }).certificate).toBe(older);
    for (const answer of answers.slice(0, 4)) {
      const text = JSON.stringify(answer);
      expect(text).toContain('"executed":true');
      expect(text).toContain('Zoë Åström');
      expect(text).not.toMatch(/subject|sam@sealco|creator-0000/);
    }
  });

  it('says so in public once the partnership completed: COMPLETED since then, nothing more', async () => {
    await publishRawEvent(
      TEST_KAFKA_BROKERS,
      `${testTopicPrefix()}${TOPICS.campaign}`,
      createEvent('campaign', {
        type: 'partnership.completed',
        subject: PARTNERSHIP,
        brandid: BRAND,
        data: { ...accepted, status: 'completed', previousStatus: 'active' },
      }),
    );
    const endedAt = await eventually(
      async () =>
        (
          (await sub.runtime.dataSource.query(`SELECT ended_at FROM contracts WHERE id = $1 AND status = 'completed'`, [contractId])) as {
            ended_at: Date;
          }[]
        )[0]?.ended_at,
      30_000,
      'the contract to complete',
    );
    const answer = ok(
      await q<{ verifyContract: { executed: boolean; standing: unknown } }>(
        `query($sha: String) { verifyContract(documentSha256: $sha) { executed standing { state since supersededByVersion } } }`,
        { sha: documentSha256 },
        null,
      ),
    ).verifyContract;
    expect(answer).toEqual({
      executed: true,
      standing: { state: 'COMPLETED', since: endedAt.toISOString(), supersededByVersion: null },
    });
  });
});
