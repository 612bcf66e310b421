import { readFileSync } from 'node:fs';

/**
 * fontkit (the font engine pdfkit itself uses) ships no types. pdfkit takes the fonts it makes in place of
 * font files: parsed once per process instead of once per PDF, which is most of a rendering's time.
 */
const fontkit = require('fontkit') as { create(data: Buffer): object };

/**
 * The fonts the platform's PDFs embed (subsets of: contracts' sealed PDFs, payments' statements): Noto Sans and Noto Sans Mono (SIL Open Font License),
 * TrueType files shipped in npm packages, so every machine renders the same bytes without system fonts.
 * They cover Latin-1 and Latin Extended (Zoë Müller, Łódź), Greek, Cyrillic and the typographic
 * punctuation (— “ ” ‘ ’ …); the PDF standard fonts would cover Windows-1252 only.
 */
export interface PdfFonts {
  regular: object;
  bold: object;
  mono: object;
}

let cached: PdfFonts | null = null;

export function pdfFonts(): PdfFonts {
  const font = (file: string) => fontkit.create(readFileSync(require.resolve(file)));
  cached ??= {
    regular: font('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
    bold: font('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
    mono: font('@expo-google-fonts/noto-sans-mono/400Regular/NotoSansMono_400Regular.ttf'),
  };
  return cached;
}
