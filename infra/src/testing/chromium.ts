import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
  const { path = CHROMIUM_PATH, canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get'), log = console.log } = options;
  if (existsSync(path)) return;
  const help = `Chromium is needed at ${path} for the browser tests: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`;
  if (!canInstall) throw new Error(`${help} (this user cannot install packages)`);
  log('• installing Chromium for the browser tests (apt-get install chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8' });
    result = install();
  }
  if (result.status !== 0 || !existsSync(path)) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${help}: apt-get install chromium failed${tail ? `:\n${tail}` : ''}`);
  }
}
