import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface EnsureDebianPackageOptions {
  /** The Debian package, e.g. `chromium`, `poppler-utils`. */
  pkg: string;
  /** The files the package must leave behind (all of them); the first missing one triggers the install. */
  paths: string[];
  /** What to tell the user when it is missing and cannot be installed: what needs it, what to do. */
  help: string;
  canInstall?: boolean;
  log?: (line: string) => void;
}

/**
 * Installs a Debian package when a file it provides is missing (the test command calls this before jest),
 * quietly and only once: a machine that has it does nothing. Throws an error that says what to do when it
 * cannot (not root, no apt-get, the package not reachable), with the end of apt's output.
 */
export function ensureDebianPackage(options: EnsureDebianPackageOptions): void {
  const { pkg, paths, help, canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get'), log = console.log } = options;
  if (paths.every((p) => existsSync(p))) return;
  if (!canInstall) throw new Error(`${help} (this user cannot install packages)`);
  log(`• installing ${pkg} for the tests (apt-get install ${pkg})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', pkg], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8' });
    result = install();
  }
  if (result.status !== 0 || !paths.every((p) => existsSync(p))) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${help}: apt-get install ${pkg} failed${tail ? `:\n${tail}` : ''}`);
  }
}
