import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the dashboard's build lands (the gateway serves it from there unless WEB_DIR says otherwise). */
export const webDist = (root: string) => join(root, 'web', 'dist');

/**
 * Builds the web dashboard (web/scripts/build.mjs: operation types, type check, Vite, the bundle budget,
 * the trusted operations manifest) and passes its lines on. False when it failed, its output told why.
 */
export function buildWeb(root: string, log: (line: string) => void): boolean {
  const script = join(root, 'web', 'scripts', 'build.mjs');
  if (!existsSync(script)) {
    log('web/ is missing: no dashboard');
    return false;
  }
  const r = spawnSync(process.execPath, [script], { cwd: join(root, 'web'), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  for (const line of `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')) if (line.trim()) log(line.replace(/^\s*/, ''));
  return r.status === 0 && existsSync(join(webDist(root), 'index.html'));
}

/** Whether a test run needs the dashboard built: the whole suite, or a path of its browser tests. */
export function runNeedsWeb(args: string[]): boolean {
  const paths = args.filter((a) => !a.startsWith('-'));
  return (
    paths.length === 0 ||
    paths.some((p) => /dashboard|(^|\/)web(\/|$)/.test(p) || p === 'infra' || /infra\/test\/?$/.test(p) || /e2e\/?$/.test(p))
  );
}
