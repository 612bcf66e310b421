import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The package's source root (src/, or dist/ in the build): this file's parent folder. */
const SOURCE_ROOT = join(__dirname, '..');

/**
 * The compiled JavaScript of a script that runs in a process or thread of its own (a worker, a loader):
 * beside the caller in the build (dist/); when the caller runs from the sources (the tests, through
 * ts-jest), the package's build of it, so every run takes the same code path. Missing, it is an error that
 * says what to do, never a quiet fallback to another path.
 */
export function compiledScript(callerDir: string, file: string): string {
  const beside = join(callerDir, file);
  if (existsSync(beside)) return beside;
  const built = join(SOURCE_ROOT, '..', 'dist', relative(SOURCE_ROOT, callerDir), file);
  if (existsSync(built)) return built;
  throw new Error(`${file} is not built (neither ${beside} nor ${built}): run pnpm build`);
}
