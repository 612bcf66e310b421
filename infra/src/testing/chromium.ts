import { ensureDebianPackage } from './debian-package';

/** Debian's Chromium, which the browser tests drive with playwright-core (no browser download). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, and nothing of its own on the network: no updates, sync, QUIC or first-run pages. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/**
 * Installs Debian's `chromium` package when it is missing (the test command calls this before jest), quietly
 * and only once: a machine that has it does nothing. Throws an error that says what to do when it cannot
 * (not root, no apt-get, the package not reachable), with the end of apt's output.
 */
export function ensureChromium(options: { path?: string; canInstall?: boolean; log?: (line: string) => void } = {}): void {
  const path = options.path ?? CHROMIUM_PATH;
  ensureDebianPackage({
    pkg: 'chromium',
    paths: [path],
    help: `Chromium is needed at ${path} for the browser tests: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`,
    canInstall: options.canInstall,
    log: options.log,
  });
}
