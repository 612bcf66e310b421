/** PDF helpers shared by the services that render PDFs (`@influenceflow/kit/pdf`; not in the kit's main entry, which stays font-free). */
export { pdfFonts } from './fonts';
export type { PdfFonts } from './fonts';
