import PDFDocument from 'pdfkit';
import { documentBlocks, printableLine, type DocumentBlock } from './document-blocks';
import { pdfFonts } from '@influenceflow/kit/pdf';

/**
 * What the certificate of completion page shows: the certificate's claims plus the signers' client details.
 * Like the certificate, it never shows a signer's token subject: the PDF is shared and verified by anyone.
 */
export interface CertificatePage {
  contractId: string;
  version: number;
  title: string;
  documentSha256: string;
  signers: { role: 'brand' | 'creator'; name: string; signedAt: string; ip: string | null; userAgent: string | null }[];
  executedAt: string;
  auditHeadHash: string;
  certificateJws: string;
  verifyUrl: string;
}

export type PdfPageSize = 'A4' | 'LETTER';

export interface ContractPdfInput {
  title: string;
  documentText: string;
  certificate: CertificatePage;
  /** Default A4. */
  pageSize?: PdfPageSize;
}

const MARGIN = { top: 56, bottom: 72, left: 56, right: 56 };
const INK = '#111111';
const MUTED = '#555555';
const SIZES = { title: 18, h1: 15, h2: 13, h3: 11.5, body: 10.5, label: 8.5, value: 9.5, footer: 7.5, jws: 6.5 };

/**
 * The contract as a PDF: the rendered document's text (headings, paragraphs, lists, wrapped and broken
 * across pages) with a footer on every page (contract id, version, the document's SHA-256, "n / N"),
 * then the certificate of completion as the last page. Deterministic: equal input gives equal bytes
 * (the PDF's dates are the execution time, its file id derives from them, fonts are the packaged ones).
 */
export async function renderContractPdf(input: ContractPdfInput): Promise<Buffer> {
  const { certificate } = input;
  const executedAt = parseDate(certificate.executedAt, 'certificate.executedAt');
  const doc = new PDFDocument({
    size: input.pageSize ?? 'A4',
    margins: MARGIN,
    bufferPages: true,
    compress: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: printableLine(input.title),
      Subject: `Contract ${certificate.contractId}, version ${certificate.version}`,
      Author: 'InfluenceFlow',
      Creator: 'InfluenceFlow',
      Producer: 'InfluenceFlow',
      CreationDate: executedAt,
      ModDate: executedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // pdfkit takes fontkit's fonts where its types say files (see the kit's pdf/fonts.ts).
  const fonts = pdfFonts() as unknown as Record<keyof ReturnType<typeof pdfFonts>, Buffer>;
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.registerFont('mono', fonts.mono);
  doc.fillColor(INK);

  doc.font('bold').fontSize(SIZES.title).text(printableLine(input.title), { paragraphGap: 10 });
  writeBlocks(doc, withoutTitle(documentBlocks(input.documentText), input.title));

  doc.addPage();
  writeCertificate(doc, certificate);

  writeFooters(doc, certificate);
  doc.end();
  return done;
}

/**
 * The document's blocks after the PDF's own title: a document that opens with its title as a heading
 * (the default agreement does, so the text signers read has it) does not show it twice.
 */
export function withoutTitle(blocks: DocumentBlock[], title: string): DocumentBlock[] {
  const first = blocks[0];
  const same = (text: string) => printableLine(text).replace(/\s+/g, ' ').trim();
  return first?.kind === 'heading' && same(first.text) === same(title) ? blocks.slice(1) : blocks;
}

function parseDate(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`${field} is not a date: ${JSON.stringify(value)}`);
  return date;
}

/** "2026-12-02 14:03:07 UTC" (ISO without the milliseconds); what is not a date is shown as given. */
function displayTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return printableLine(value);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function writeBlocks(doc: PDFKit.PDFDocument, blocks: DocumentBlock[]): void {
  const left = doc.page.margins.left;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    if (block.kind === 'heading') {
      const size = block.level === 1 ? SIZES.h1 : block.level === 2 ? SIZES.h2 : SIZES.h3;
      doc.moveDown(0.4);
      doc
        .font('bold')
        .fontSize(size)
        .text(block.text, left, doc.y, { width: contentWidth(doc), paragraphGap: 4 });
    } else if (block.kind === 'paragraph') {
      doc
        .font('body')
        .fontSize(SIZES.body)
        .text(block.text, left, doc.y, { width: contentWidth(doc), lineGap: 1.5, paragraphGap: 6 });
    } else {
      const items: string[] = [];
      while (i < blocks.length && blocks[i].kind === 'bullet') items.push(blocks[i++].text);
      i--;
      doc.font('body').fontSize(SIZES.body);
      doc.list(items, left + 6, doc.y, { width: contentWidth(doc) - 6, bulletRadius: 1.6, textIndent: 12, lineGap: 1.5, paragraphGap: 3 });
      doc.moveDown(0.4);
    }
  }
}

/** One row of the certificate page: the label in a narrow column, the value (wrapped) beside it. */
function field(doc: PDFKit.PDFDocument, label: string, value: string, font: 'body' | 'mono' = 'body'): void {
  const left = doc.page.margins.left;
  const labelWidth = 118;
  const y = doc.y;
  doc
    .font('bold')
    .fontSize(SIZES.label)
    .fillColor(MUTED)
    .text(label, left, y + 0.8, { width: labelWidth - 6 });
  const afterLabel = doc.y;
  doc
    .font(font)
    .fontSize(font === 'mono' ? SIZES.value - 1 : SIZES.value)
    .fillColor(INK)
    .text(value, left + labelWidth, y, { width: contentWidth(doc) - labelWidth });
  doc.y = Math.max(afterLabel, doc.y) + 3;
}

/**
 * The JWS in fixed-width lines (it has no spaces to wrap at), in the largest size from 6.5 pt down to 4 pt
 * that fits the rest of the page, so that the certificate stays one page; a JWS too long even for that
 * goes on over the next page.
 */
function writeJws(doc: PDFKit.PDFDocument, jws: string): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const room = doc.page.height - doc.page.margins.bottom - doc.y;
  const clean = printableLine(jws);
  const layout = (size: number) => {
    doc.font('mono').fontSize(size);
    // One point to spare, so that rounding never wraps a full line.
    const perLine = Math.max(16, Math.floor((width - 1) / doc.widthOfString('0')));
    const lines: string[] = [];
    for (let at = 0; at < clean.length; at += perLine) lines.push(clean.slice(at, at + perLine));
    return { size, lines, height: lines.length * doc.currentLineHeight(true) };
  };
  let chosen = layout(SIZES.jws);
  for (let size = SIZES.jws - 0.5; chosen.height > room && size >= 4; size -= 0.5) chosen = layout(size);
  doc.font('mono').fontSize(chosen.size).fillColor(INK);
  for (const line of chosen.lines) doc.text(line, left, doc.y, { width });
}

function writeCertificate(doc: PDFKit.PDFDocument, c: CertificatePage): void {
  const left = doc.page.margins.left;
  doc
    .font('bold')
    .fontSize(SIZES.title)
    .fillColor(INK)
    .text('Certificate of completion', left, doc.y, { width: contentWidth(doc) });
  doc
    .font('body')
    .fontSize(SIZES.value)
    .fillColor(MUTED)
    .text(
      'Both parties signed the document identified below electronically. This page and the certificate at its end are issued by InfluenceFlow; the PDF is sealed with the platform’s certificate.',
      {
        width: contentWidth(doc),
        paragraphGap: 10,
      },
    );
  field(doc, 'Contract', printableLine(c.title));
  field(doc, 'Contract id · version', `${printableLine(c.contractId)} · version ${c.version}`, 'mono');
  field(doc, 'Document SHA-256', printableLine(c.documentSha256), 'mono');
  for (const signer of c.signers) {
    doc.moveDown(0.3);
    doc
      .font('bold')
      .fontSize(SIZES.h3)
      .fillColor(INK)
      .text(`${signer.role === 'brand' ? 'Brand' : 'Creator'}: ${printableLine(signer.name)}`, left, doc.y, {
        width: contentWidth(doc),
        paragraphGap: 3,
      });
    field(doc, 'Signed at', displayTime(signer.signedAt));
    field(doc, 'IP address', signer.ip ? printableLine(signer.ip) : '—');
    field(doc, 'User agent', signer.userAgent ? printableLine(signer.userAgent) : '—');
  }
  doc.moveDown(0.3);
  field(doc, 'Executed at', displayTime(c.executedAt));
  field(doc, 'Audit trail head hash', printableLine(c.auditHeadHash), 'mono');
  field(doc, 'Verify at', printableLine(c.verifyUrl));
  doc
    .font('bold')
    .fontSize(SIZES.label)
    .fillColor(MUTED)
    .text('Certificate of completion (JWS, verifiable with the platform’s published keys)', left, doc.y, {
      width: contentWidth(doc),
    });
  writeJws(doc, c.certificateJws);
}

/** Every page's footer, written once the page count is known. */
function writeFooters(doc: PDFKit.PDFDocument, c: CertificatePage): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = 0; i < total; i++) {
    doc.switchToPage(range.start + i);
    const { margins } = doc.page;
    const width = contentWidth(doc);
    // Below the bottom margin: without this, pdfkit would start a new page.
    const bottom = margins.bottom;
    margins.bottom = 0;
    const y = doc.page.height - bottom + 24;
    doc.font('body').fontSize(SIZES.footer).fillColor(MUTED);
    doc.text(`Contract ${printableLine(c.contractId)} · version ${c.version}`, margins.left, y, { width, lineBreak: false });
    doc.text(`${i + 1} / ${total}`, margins.left, y, { width, align: 'right', lineBreak: false });
    doc.text(`Document SHA-256 ${printableLine(c.documentSha256)}`, margins.left, y + 10, { width, lineBreak: false });
    margins.bottom = bottom;
  }
}
