import PDFDocument from 'pdfkit';
import { formatMoney } from '@influenceflow/kit';
import { pdfFonts } from '@influenceflow/kit/pdf';
import { CreatorStatement, StatementLineKind } from './history.types';

/** Text for a PDF line: control characters (NUL included) out, one line, bounded. */
function printable(value: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const KIND_LABEL: Record<StatementLineKind, string> = {
  [StatementLineKind.PAYOUT]: 'Payout',
  [StatementLineKind.REVERSAL]: 'Reversal (subtracted)',
  [StatementLineKind.PRODUCT_VALUE]: 'Product value',
};

/**
 * The statement as a PDF (A4, the kit's Noto fonts): the period, the totals per currency, the totals by
 * brand, then every movement. Amounts with the currency's ISO 4217 exponent (formatMoney). Its dates are the
 * statement's own, so the same statement renders the same text.
 */
export function statementPdf(s: CreatorStatement, generatedAt: Date = new Date()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: true,
    lang: 'en',
    info: {
      Title: `Payment statement ${s.year}`,
      Author: 'InfluenceFlow',
      Creator: 'InfluenceFlow',
      Producer: 'InfluenceFlow',
      CreationDate: generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes fontkit's fonts where its types say files (the kit's pdf/fonts.ts).
  const fonts = pdfFonts() as unknown as Record<'regular' | 'bold' | 'mono', Buffer>;
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.registerFont('mono', fonts.mono);

  doc.font('bold').fontSize(18).text(`Payment statement ${s.year}`);
  doc.font('body').fontSize(10);
  doc.text(`Creator ${printable(s.creatorName ?? s.creatorId)}`);
  doc.text(`Period ${s.periodStart.toISOString().slice(0, 10)} to ${new Date(s.periodEnd.getTime() - 1).toISOString().slice(0, 10)} (UTC)`);
  doc.text(`Generated ${generatedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`);
  doc.moveDown();

  doc.font('bold').fontSize(13).text('Totals per currency');
  doc.font('body').fontSize(10);
  if (s.totals.length === 0) doc.text('No payments and no product value in this year.');
  for (const t of s.totals) {
    doc.text(
      `${t.currency}: cash paid ${formatMoney(t.cashPaid.amountMinor, t.currency)}, product value ${formatMoney(t.productValue.amountMinor, t.currency)}`,
    );
  }
  doc.moveDown();

  if (s.byBrand.length > 0) {
    doc.font('bold').fontSize(13).text('By brand');
    doc.font('body').fontSize(10);
    for (const b of s.byBrand) {
      doc.text(
        `${printable(b.brandName)} (${b.currency}): cash paid ${formatMoney(b.cashPaid.amountMinor, b.currency)}, product value ${formatMoney(b.productValue.amountMinor, b.currency)}`,
      );
    }
    doc.moveDown();

    doc.font('bold').fontSize(13).text('Payments');
    doc.font('body').fontSize(9);
    for (const l of s.lines) {
      const what = l.description ? ` — ${printable(l.description)}` : '';
      doc.text(
        `${l.bookedAt.toISOString().slice(0, 10)}  ${KIND_LABEL[l.kind]}  ${formatMoney(l.amount.amountMinor, l.amount.currency)}  ${printable(l.brandName)}, ${printable(l.campaignName)}${what}`,
      );
    }
  }
  doc.end();
  return done;
}
