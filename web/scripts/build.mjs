// The dashboard's build (`pnpm --filter @influenceflow/web build`; the start and test commands run it):
// operation types generated from the API schema, the type check, Vite's build, the initial JavaScript
// measured gzipped against the budget, and the trusted operations manifest (docs/web.md).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { codegen } from './codegen.mjs';
import { writePersistedOperations } from './persisted-operations.mjs';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(web, 'dist');
/** The budget for what a first visit loads before any route: 250 KB of JavaScript, gzipped. */
export const INITIAL_JS_BUDGET = 250 * 1000;

function run(label, bin, args) {
  const started = Date.now();
  const r = spawnSync(join(web, 'node_modules', '.bin', bin), args, { cwd: web, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`✖ web: ${label} failed`);
    process.exit(1);
  }
  console.log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

/**
 * The JavaScript a first visit loads: the entry script of index.html and what it preloads (its static
 * imports); every route is a chunk of its own, loaded when visited.
 */
export function initialJavaScript(html) {
  const files = new Set();
  for (const m of html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) files.add(m[1]);
  return [...files].map((url) => url.replace(/^\/app\//, ''));
}

async function main() {
  console.log('• web: building the dashboard');
  const generating = Date.now();
  if (!codegen(web)) {
    console.error('✖ web: the operations do not fit gateway/api-schema.graphql (above)');
    process.exit(1);
  }
  console.log(`  operation types generated from gateway/api-schema.graphql (${((Date.now() - generating) / 1000).toFixed(1)} s)`);
  run('type check', 'tsc', ['-p', 'tsconfig.json', '--noEmit']);
  const { build } = await import('vite');
  const started = Date.now();
  await build({ root: web, logLevel: 'warn' });
  console.log(`  vite build (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = initialJavaScript(html);
  const initialBytes = initial.reduce((sum, f) => sum + gz(join(dist, f)), 0);
  const lazy = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`))
    .map((f) => ({ f, bytes: gz(join(dist, 'assets', f)) }));
  const lazyBytes = lazy.reduce((sum, x) => sum + x.bytes, 0);
  const css = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.css'));
  const cssBytes = css.reduce((sum, f) => sum + gz(join(dist, 'assets', f)), 0);
  const report = {
    initialJsGzipBytes: initialBytes,
    budgetBytes: INITIAL_JS_BUDGET,
    initialFiles: initial,
    lazyChunks: lazy.length,
    lazyJsGzipBytes: lazyBytes,
    cssGzipBytes: cssBytes,
    rawInitialBytes: initial.reduce((s, f) => s + statSync(join(dist, f)).size, 0),
  };
  writeFileSync(join(dist, 'bundle-size.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `  initial JavaScript: ${kb(initialBytes)} gzipped (budget ${kb(INITIAL_JS_BUDGET)}); ${lazy.length} lazy chunks, ${kb(lazyBytes)} gzipped in all; CSS ${kb(cssBytes)}`,
  );
  if (initialBytes > INITIAL_JS_BUDGET) {
    console.error(`✖ web: the initial JavaScript is ${kb(initialBytes)} gzipped, over the budget of ${kb(INITIAL_JS_BUDGET)}`);
    process.exit(1);
  }

  const manifest = await writePersistedOperations(web, join(dist, 'persisted-operations.json'));
  console.log(`  trusted operations: ${manifest.operations.length} in dist/persisted-operations.json (TRUSTED_OPERATIONS_FILE)`);
  console.log('✔ web: dist/ ready (the gateway serves it at /app/)');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`✖ web: ${err.stack ?? err.message}`);
    process.exit(1);
  });
}
