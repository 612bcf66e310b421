import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { renderContractPdf, type CertificatePage, type ContractPdfInput } from './contract-pdf';
import { dictionaryText, sealPdf } from './seal-pdf';
import {
  createDevelopmentP12,
  DEVELOPMENT_SEAL_SUBJECT,
  loadSealingIdentity,
  SealingIdentityError,
  type SealingIdentity,
} from './sealing-identity';

/**
 * The sealed PDF checked by an independent verifier, poppler (Debian's poppler-utils, which the test
 * command installs): pdfsig for the signature, pdftoppm for a rendered page, pdftotext and pdffonts for
 * what the pages hold.
 */
const POPPLER = process.env.POPPLER_DIR ?? '/usr/bin';
const tool = (name: string, args: string[]) => {
  const result = spawnSync(join(POPPLER, name), args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
};

const CONTRACT_ID = '5ea1ed00-0000-4000-8000-00000000c0de';
const DOCUMENT_SHA256 = '3f0a9d6c1b2e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c';
const AUDIT_HEAD = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d';
const JWS = `eyJhbGciOiJFUzI1NiIsImtpZCI6InNlYWwtdGVzdCIsInR5cCI6ImluZmx1ZW5jZWZsb3ctY2VydGlmaWNhdGUrand0In0.${'eyJjb250cmFjdElkIjoi'.repeat(40)}.${'x9_-'.repeat(22)}`;

const certificate: CertificatePage = {
  contractId: CONTRACT_ID,
  version: 2,
  title: 'Influencer agreement — Zoë Müller × Łódź Coffee',
  documentSha256: DOCUMENT_SHA256,
  signers: [
    {
      role: 'brand',
      name: 'Agnieszka Wróbel (Łódź Coffee)',
      signedAt: '2026-11-30T09:15:00.000Z',
      ip: '203.0.113.17',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    },
    { role: 'creator', name: 'Zoë Müller', signedAt: '2026-11-30T10:42:05.000Z', ip: null, userAgent: null },
  ],
  executedAt: '2026-11-30T10:42:05.000Z',
  auditHeadHash: AUDIT_HEAD,
  certificateJws: JWS,
  verifyUrl: 'https://go.example.com/contracts/verify?sha256=' + DOCUMENT_SHA256,
};

const documentText = [
  '# Influencer agreement',
  '',
  'This agreement is made between Łódź Coffee (“the Brand”) and Zoë Müller (“the Creator”) — both named below.',
  '',
  '## Deliverables',
  '',
  '- One Instagram reel of 30–60 seconds, posted by 15 December 2026',
  '- Three stories with the tracking link, each kept up for 24 hours',
  '',
  '## Payment terms',
  '',
  ...Array.from(
    { length: 45 },
    (_, i) =>
      `Clause ${i + 1}. The Brand pays the Creator the agreed fee in the milestones listed in the contract's terms; ` +
      `the usage rights last twelve months from the first post, and the exclusivity window covers direct competitors only.\n`,
  ),
].join('\n');

const input: ContractPdfInput = { title: certificate.title, documentText, certificate };

let dir: string;
let identity: SealingIdentity;
let plain: Buffer;
let sealed: Buffer;
let pageCount: number;

const write = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'contracts-seal-'));
  identity = await loadSealingIdentity({ developmentDir: join(dir, 'dev') });
  plain = await renderContractPdf(input);
  sealed = await sealPdf(plain, identity, {
    reason: 'Executed contract',
    location: 'InfluenceFlow',
    name: 'InfluenceFlow',
    signingTime: new Date('2026-11-30T10:42:06Z'),
  });
  const info = tool('pdfinfo', [write('plain.pdf', plain)]).out;
  pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderContractPdf', () => {
  it('lays the document out over several pages, the certificate of completion last, "n / N" on each', () => {
    expect(pageCount).toBeGreaterThanOrEqual(3);
    const pdf = join(dir, 'plain.pdf');
    const firstPage = tool('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-']).out;
    expect(firstPage).toContain('Influencer agreement');
    expect(firstPage).toMatch(new RegExp(`\\b1 ?/ ?${pageCount}\\b`));
    expect(firstPage).not.toContain('Certificate of completion');
    const secondToLast = tool('pdftotext', ['-f', String(pageCount - 1), '-l', String(pageCount - 1), pdf, '-']).out;
    expect(secondToLast).toContain('Clause 45.');
    expect(secondToLast).not.toContain('Certificate of completion');
  });

  it('shows Unicode text as written, with its fonts embedded', () => {
    const pdf = join(dir, 'plain.pdf');
    const text = tool('pdftotext', ['-f', '1', '-l', '1', pdf, '-']).out.replace(/\s+/g, ' ');
    expect(text).toContain('Łódź Coffee (“the Brand”) and Zoë Müller (“the Creator”) — both named below.');
    expect(text).toContain('30–60 seconds');
    const fonts = tool('pdffonts', [pdf]).out.trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    // Every font embedded (column "emb" yes): a reader without Noto shows the same glyphs.
    for (const line of fonts) expect(line).toMatch(/\+NotoSans[\w-]*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('is deterministic: equal input, equal bytes; other input, other bytes', async () => {
    expect((await renderContractPdf(input)).equals(plain)).toBe(true);
    const other = await renderContractPdf({ ...input, certificate: { ...certificate, auditHeadHash: AUDIT_HEAD.replace('9', '8') } });
    expect(other.equals(plain)).toBe(false);
  });

  it('keeps a long certificate (a 4,000-character JWS, long user agents) on one last page, the JWS whole', async () => {
    const userAgent = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36 ${'X'.repeat(200)}`;
    const longJws = `${'e'.repeat(1000)}.${'f'.repeat(2500)}.${'g'.repeat(498)}`;
    const long = await renderContractPdf({
      title: 'Short',
      documentText: 'One paragraph.',
      certificate: {
        ...certificate,
        title: 'Influencer agreement '.repeat(8),
        signers: certificate.signers.map((s) => ({ ...s, name: s.name.repeat(3), userAgent, ip: '2001:db8:85a3::8a2e:370:7334' })),
        certificateJws: longJws,
      },
    });
    const pdf = write('long-certificate.pdf', long);
    expect(tool('pdfinfo', [pdf]).out).toMatch(/^Pages:\s+2$/m);
    const last = tool('pdftotext', ['-f', '2', '-l', '2', pdf, '-']).out;
    expect(last).toContain('Certificate of completion');
    expect(last.replace(/\s+/g, '')).toContain(longJws);
  });

  it('renders on Letter pages when asked', async () => {
    const letter = await renderContractPdf({ ...input, documentText: '# Short\n\nOne paragraph.', pageSize: 'LETTER' });
    const info = tool('pdfinfo', [write('letter.pdf', letter)]).out;
    expect(info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
    expect(info).toMatch(/^Pages:\s+2$/m);
  });

  it('refuses an execution time that is not a date', async () => {
    await expect(renderContractPdf({ ...input, certificate: { ...certificate, executedAt: 'yesterday' } })).rejects.toThrow(
      'certificate.executedAt is not a date: "yesterday"',
    );
  });
});

describe('the certificate page', () => {
  it('holds the contract id and version, the document hash, each signer, the execution, the audit head, the URL and the JWS', () => {
    const pdf = write('sealed.pdf', sealed);
    const text = tool('pdftotext', ['-f', String(pageCount), '-l', String(pageCount), pdf, '-']).out;
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Certificate of completion');
    expect(flat).toContain(`${CONTRACT_ID} · version 2`);
    expect(flat).toContain(`Document SHA-256 ${DOCUMENT_SHA256}`);
    expect(flat).toContain('Brand: Agnieszka Wróbel (Łódź Coffee)');
    expect(flat).not.toContain('Subject');
    expect(flat).toContain('2026-11-30 09:15:00 UTC');
    expect(flat).toContain('203.0.113.17');
    expect(flat).toContain('Chrome/131.0 Safari/537.36');
    expect(flat).toContain('Creator: Zoë Müller');
    expect(flat).toContain('Executed at 2026-11-30 10:42:05 UTC');
    expect(flat).toContain(AUDIT_HEAD);
    expect(text.replace(/\s+/g, '')).toContain(certificate.verifyUrl);
    expect(flat).toMatch(new RegExp(`\\b${pageCount} ?/ ?${pageCount}\\b`));
    // The JWS, wrapped in lines: joined again it is whole.
    expect(text.replace(/\s+/g, '')).toContain(JWS);
  });

  it('renders to an image (pdftoppm) that is an A4 page with text on it', () => {
    const pdf = join(dir, 'sealed.pdf');
    const prefix = join(dir, 'certificate');
    execFileSync(join(POPPLER, 'pdftoppm'), [
      '-png',
      '-r',
      '50',
      '-f',
      String(pageCount),
      '-l',
      String(pageCount),
      '-singlefile',
      pdf,
      prefix,
    ]);
    const png = PNG.sync.read(readFileSync(`${prefix}.png`));
    // A4 at 50 dpi: 595.28 × 841.89 pt → 413 × 585 px (±1 for rounding).
    expect(Math.abs(png.width - 413)).toBeLessThanOrEqual(1);
    expect(Math.abs(png.height - 585)).toBeLessThanOrEqual(1);
    let dark = 0;
    let darkTop = 0;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        const i = (y * png.width + x) * 4;
        if (png.data[i] + png.data[i + 1] + png.data[i + 2] < 3 * 128) {
          dark++;
          if (y < png.height / 10) darkTop++;
        }
      }
    }
    const share = dark / (png.width * png.height);
    // Not blank, not black: text on white, and the heading at the top.
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.3);
    expect(darkTop).toBeGreaterThan(100);
  });
});

describe('sealPdf', () => {
  it('pdfsig: the signature is valid, of type ETSI.CAdES.detached, over the whole document', () => {
    const pdf = join(dir, 'sealed.pdf');
    const { status, out } = tool('pdfsig', ['-nocert', pdf]);
    expect(status).toBe(0);
    expect(out).toContain(`Signer Certificate Common Name: ${DEVELOPMENT_SEAL_SUBJECT}`);
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Signing Time: Nov 30 2026 10:42:06');
    // With certificate checks, a self-signed development seal is of an unknown issuer; the signature stays valid.
    const checked = tool('pdfsig', [pdf]).out;
    expect(checked).toContain('Signature Validation: Signature is Valid.');
    expect(checked).toMatch(/Certificate Validation: (Certificate issuer is unknown|Certificate is Untrusted)\./);
  });

  it('adds to the rendered document without changing it (an incremental update) and names reason, location, name', () => {
    expect(sealed.subarray(0, plain.length - 10).equals(plain.subarray(0, plain.length - 10))).toBe(true);
    const update = sealed.subarray(plain.length - 10).toString('latin1');
    expect(update).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(update).toContain('/Reason (Executed contract)');
    expect(update).toContain('/Location (InfluenceFlow)');
    expect(update).toContain('/Name (InfluenceFlow)');
    expect(update).toContain('/M (D:20261130104206Z)');
  });

  it('pdfsig: one byte changed anywhere in the signed range makes the signature invalid', () => {
    const byteRange = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(sealed.toString('latin1'));
    expect(byteRange).not.toBeNull();
    const [, , firstLength, secondStart, secondLength] = byteRange!.map(Number);
    // In the document's pages (the rendered text), and in the part after the signature (the trailer).
    for (const at of [Math.floor(plain.length / 2), secondStart + Math.floor(secondLength / 2)]) {
      expect(at < firstLength || (at >= secondStart && at < secondStart + secondLength)).toBe(true);
      const edited = Buffer.from(sealed);
      edited[at] = edited[at] === 0x30 ? 0x31 : 0x30;
      const { out } = tool('pdfsig', ['-nocert', write(`edited-${at}.pdf`, edited)]);
      expect(out).not.toContain('Signature is Valid.');
      expect(out).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)\./);
    }
  });

  it('writes reason, name and location as printable ASCII, escaped: hostile text cannot reach the PDF structure', async () => {
    expect(dictionaryText('Executed contract: Zoë Müller — “Łódź”\u0000\n')).toBe('Executed contract: Zoe Muller -- "Lodz"');
    expect(dictionaryText('x'.repeat(1000))).toHaveLength(300);
    const hostile = await sealPdf(plain, identity, { reason: 'Zoë (test) \\ back) /Evil (x', name: 'Łódź\u0000>>', location: 'a\nb' });
    const update = hostile.subarray(plain.length - 10).toString('latin1');
    expect(update).toContain('/Reason (Zoe \\(test\\) \\\\ back\\) /Evil \\(x)');
    expect(update).toContain('/Name (Lodz>>)');
    expect(update).toContain('/Location (a b)');
    const out = tool('pdfsig', ['-nocert', write('hostile.pdf', hostile)]).out;
    expect(out).toContain('Signature Validation: Signature is Valid.');
  });

  it('pdfsig: an unsealed rendering holds no signature', () => {
    const { status, out } = tool('pdfsig', [join(dir, 'plain.pdf')]);
    expect(status).not.toBe(0);
    expect(out).toContain('does not contain any signatures');
  });
});

describe('loadSealingIdentity', () => {
  it('makes the development certificate once and finds the same one again (a restart)', async () => {
    const again = await loadSealingIdentity({ developmentDir: join(dir, 'dev') });
    expect(again.certificate.equals(identity.certificate)).toBe(true);
    expect(again.source).toBe('development');
    const cert = new X509Certificate(identity.certificate);
    expect(cert.subject).toContain(`CN=${DEVELOPMENT_SEAL_SUBJECT}`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // Only its owner may read the key; nothing else is left in the directory.
    expect(execFileSync('stat', ['-c', '%a', join(dir, 'dev', 'development-seal.p12')], { encoding: 'utf8' }).trim()).toBe('600');
    expect(readdirSync(join(dir, 'dev'))).toEqual(['development-seal.p12']);
  });

  it('reads a configured PKCS#12 with its passphrase, and seals with it', async () => {
    const path = write('configured.p12', createDevelopmentP12(new Date(), 'correct horse'));
    const configured = await loadSealingIdentity({ p12Path: path, p12Passphrase: 'correct horse', developmentDir: join(dir, 'unused') });
    expect(configured.source).toBe('configured');
    expect(configured.certificate.equals(identity.certificate)).toBe(false);
    const out = tool('pdfsig', ['-nocert', write('configured.pdf', await sealPdf(plain, configured, { reason: 'Executed contract' }))]).out;
    expect(out).toContain('Signature Validation: Signature is Valid.');
  });

  it("reads an EC (P-256) PKCS#12 made by openssl, as a CA's would be, and seals with it", async () => {
    const key = join(dir, 'ec.key');
    const crt = join(dir, 'ec.crt');
    const p12 = join(dir, 'ec.p12');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        crt,
        '-days',
        '30',
        '-subj',
        '/CN=Seal Test EC/O=Example',
      ],
      { stdio: 'ignore' },
    );
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', p12, '-passout', 'pass:ec-secret'], {
      stdio: 'ignore',
    });
    const ec = await loadSealingIdentity({ p12Path: p12, p12Passphrase: 'ec-secret', developmentDir: join(dir, 'unused') });
    expect(ec.privateKey.asymmetricKeyType).toBe('ec');
    const out = tool('pdfsig', ['-nocert', write('ec.pdf', await sealPdf(plain, ec, { reason: 'Executed contract' }))]).out;
    expect(out).toContain('Signer Certificate Common Name: Seal Test EC');
    expect(out).toContain('Signature Validation: Signature is Valid.');
  });

  it('refuses a wrong passphrase, a missing file, a file that is not PKCS#12 and an expired certificate, naming the file and never the passphrase', async () => {
    const path = write('refused.p12', createDevelopmentP12(new Date('2026-01-01T00:00:00Z'), 'right'));
    const attempt = (config: { p12Path: string; p12Passphrase?: string }, now?: Date) =>
      loadSealingIdentity({ ...config, developmentDir: join(dir, 'unused') }, now);
    await expect(attempt({ p12Path: path, p12Passphrase: 'wrong-passphrase' })).rejects.toThrow(SealingIdentityError);
    await expect(attempt({ p12Path: path, p12Passphrase: 'wrong-passphrase' })).rejects.toThrow(
      `CONTRACTS_SEAL_P12 (${path}): not a PKCS#12 file, or the passphrase (CONTRACTS_SEAL_P12_PASSPHRASE) is wrong`,
    );
    await expect(attempt({ p12Path: join(dir, 'missing.p12') })).rejects.toThrow(
      `CONTRACTS_SEAL_P12: cannot read ${join(dir, 'missing.p12')} (ENOENT)`,
    );
    await expect(attempt({ p12Path: write('not.p12', Buffer.from('%PDF-1.7 not a key store\u0000')) })).rejects.toThrow(
      /not a PKCS#12 file/,
    );
    await expect(attempt({ p12Path: path, p12Passphrase: 'right' }, new Date('2037-01-01T00:00:00Z'))).rejects.toThrow(
      /is valid from .* to .*, not now/,
    );
    const message = await attempt({ p12Path: path, p12Passphrase: 'wrong-passphrase' }).catch((err: Error) => err.message);
    expect(message).not.toContain('wrong-passphrase');
  });
});
