import { dirname } from 'node:path';
import { ensurePoppler, POPPLER_TOOLS } from './poppler';

describe('ensurePoppler', () => {
  it('does nothing when the tools are there', () => {
    const lines: string[] = [];
    // The test command installed them before jest started.
    expect(() => ensurePoppler({ canInstall: false, log: (l) => lines.push(l) })).not.toThrow();
    expect(lines).toEqual([]);
    expect(POPPLER_TOOLS).toEqual(['pdfsig', 'pdftoppm', 'pdftotext']);
  });

  it('says what to do when they are missing and cannot be installed', () => {
    const dir = dirname(process.execPath) + '/no-poppler-here';
    expect(() => ensurePoppler({ dir, canInstall: false, log: () => undefined })).toThrow(
      `poppler's pdfsig, pdftoppm and pdftotext are needed in ${dir} for the sealed-PDF tests: install them (Debian: apt-get install poppler-utils) or set POPPLER_DIR (this user cannot install packages)`,
    );
  });
});
