import { ensureDebianPackage } from './debian-package';

/** Poppler's command-line tools, the independent checker of the contracts' sealed PDFs (Debian: poppler-utils). */
export const POPPLER_DIR = process.env.POPPLER_DIR ?? '/usr/bin';
export const POPPLER_TOOLS = ['pdfsig', 'pdftoppm', 'pdftotext'] as const;

/** The path of one of poppler's tools. */
export function popplerTool(name: (typeof POPPLER_TOOLS)[number]): string {
  return `${POPPLER_DIR}/${name}`;
}

/**
 * Installs Debian's `poppler-utils` when pdfsig, pdftoppm or pdftotext is missing (the test command calls
 * this before jest); like ensureChromium: nothing to do on a machine that has them, a clear error when it
 * cannot install.
 */
export function ensurePoppler(options: { dir?: string; canInstall?: boolean; log?: (line: string) => void } = {}): void {
  const dir = options.dir ?? POPPLER_DIR;
  ensureDebianPackage({
    pkg: 'poppler-utils',
    paths: POPPLER_TOOLS.map((tool) => `${dir}/${tool}`),
    help: `poppler's pdfsig, pdftoppm and pdftotext are needed in ${dir} for the sealed-PDF tests: install them (Debian: apt-get install poppler-utils) or set POPPLER_DIR`,
    canInstall: options.canInstall,
    log: options.log,
  });
}
