import { readFileSync } from 'node:fs';

/**
 * The fonts every sealed PDF embeds (subsets of): Noto Sans and Noto Sans Mono (SIL Open Font License),
 * TrueType files shipped in npm packages, so every machine renders the same bytes without system fonts.
 * They cover Latin-1 and Latin Extended (Zoë Müller, Łódź), Greek, Cyrillic and the typographic
 * punctuation (— “ ” ‘ ’ …); the PDF standard fonts would cover Windows-1252 only.
 */
export interface PdfFonts {
  regular: Buffer;
  bold: Buffer;
  mono: Buffer;
}

let cached: PdfFonts | null = null;

export function pdfFonts(): PdfFonts {
  cached ??= {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf')),
    mono: readFileSync(require.resolve('@expo-google-fonts/noto-sans-mono/400Regular/NotoSansMono_400Regular.ttf')),
  };
  return cached;
}
