import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderContractDocument } from '../contracts/contract-document';
import { termsFromPartnership } from '../contracts/contract.service';
import { contractTitle } from '../contracts/contract-terms';
import { renderContractPdf, withoutTitle } from './contract-pdf';
import { documentBlocks } from './document-blocks';

const POPPLER = process.env.POPPLER_DIR ?? '/usr/bin';

const terms = termsFromPartnership({
  partnershipId: '7e57c0de-0000-4000-8000-000000000031',
  campaignId: '7e57c0de-0000-4000-8000-000000000021',
  brandId: '7e57c0de-0000-4000-8000-000000000001',
  creatorId: '7e57c0de-0000-4000-8000-000000000011',
  status: 'accepted',
  previousStatus: 'invited',
  lengthMonths: null,
  deliverables: [{ platform: 'instagram', format: 'reel', count: 2, dueOn: '2027-03-10' }],
  fee: { amountMinor: 120_000, currency: 'EUR' },
  commissionPercent: null,
  briefVersion: 1,
  reason: null,
  parties: {
    brandName: 'Oaty',
    creatorName: 'Ella Runs',
    creatorHandle: 'ella.runs',
    campaignName: 'Spring run',
    campaignStartsOn: '2027-03-01',
    campaignEndsOn: '2027-04-30',
  },
});
const title = contractTitle(terms);
const occurrences = (text: string, what: string) => text.split(what).length - 1;

describe('the default agreement shows its title once', () => {
  const { document } = renderContractDocument(terms, { version: 1, amendsVersion: null, createdOn: '2026-12-02' }, null);

  it('in the rendered document: its first heading', () => {
    expect(occurrences(document, title)).toBe(1);
    expect(document.startsWith(`# ${title}\n`)).toBe(true);
  });

  it('in the PDF: the title, not the title and then the same heading', async () => {
    const pdf = await renderContractPdf({
      title,
      documentText: document,
      certificate: {
        contractId: '7e57c0de-0000-4000-8000-0000000000c1',
        version: 1,
        title,
        documentSha256: 'ab'.repeat(32),
        signers: [],
        executedAt: '2026-12-02T10:00:00.000Z',
        auditHeadHash: 'cd'.repeat(32),
        certificateJws: 'a.b.c',
        verifyUrl: 'https://influenceflow.example/verify',
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'contract-title-'));
    try {
      const file = join(dir, 'contract.pdf');
      writeFileSync(file, pdf);
      const result = spawnSync(join(POPPLER, 'pdftotext'), [file, '-'], { encoding: 'utf8' });
      const text = result.stdout ?? '';
      const pages = text.split('\f').filter((p) => p.trim());
      // The last page is the certificate of completion, which names the contract again.
      const documentPages = pages.slice(0, -1).join('\n');
      expect(pages.length).toBeGreaterThan(1);
      expect(occurrences(documentPages, title)).toBe(1);
      expect(documentPages).toContain('1. Parties');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a first heading that is not the title (a brand template of its own)', () => {
    const blocks = documentBlocks('# Brand agreement\n\nText.\n');
    expect(withoutTitle(blocks, title)).toEqual(blocks);
    expect(withoutTitle(documentBlocks(`# ${title}\n\nText.\n`), title)).toEqual([{ kind: 'paragraph', text: 'Text.' }]);
  });
});
