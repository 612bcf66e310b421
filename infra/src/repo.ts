import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root: the folder holding pnpm-workspace.yaml, above this file. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the workspace root (pnpm-workspace.yaml)');
    dir = parent;
  }
  return dir;
}
