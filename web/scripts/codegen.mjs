// GraphQL Code Generator, quietly: its progress lines only when it fails (with its errors).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function codegen(web) {
  const r = spawnSync(join(web, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.ts'], { cwd: web, encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`${r.stdout}${r.stderr}`);
  return r.status === 0;
}
