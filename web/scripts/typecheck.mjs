// The dashboard's type check (part of the root `pnpm build`): operation types generated from
// gateway/api-schema.graphql, then tsc. A schema change that breaks a screen fails here.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from './codegen.mjs';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!codegen(web)) {
  console.error('✖ web: the operations do not fit gateway/api-schema.graphql (above)');
  process.exit(1);
}
const tsc = spawnSync(join(web, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: web, stdio: 'inherit' });
process.exit(tsc.status ?? 1);
