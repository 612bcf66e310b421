import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/*
 * The discovery service's layers, checked on its source: each folder imports only its own layer and the
 * ones below it, and no file imports itself back through others.
 *
 *   rules        pure formulas (no I/O, no feature of the service)
 *   process      how the service starts its own processes and threads (no domain)
 *   domain       creators (profile, record schema, derived search columns), accounts, authenticity, pricing
 *   features     search, lookalikes, media kits: read what the domain wrote
 *   ingest       bulk import and the synthetic generator, and the platform connectors: write through the
 *                domain's rules
 *   (root)       the subgraph, its services, the command line
 */
const LAYERS: string[][] = [
  ['rules', 'process'],
  ['creators', 'accounts', 'authenticity', 'pricing', 'events', 'migrations'],
  ['search', 'lookalikes', 'media-kit'],
  ['ingest', 'connectors'],
  ['(root)'],
];
/** Resolvers name the request context's type, which the root's services.ts defines: a type, not a dependency. */
const TYPE_ONLY_UP = new Set(['services']);

const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [relative(SRC, path).replace(/\.ts$/, '')] : [];
  });
}

interface Import {
  target: string;
  typeOnly: boolean;
}

function importsOf(file: string, files: Set<string>): Import[] {
  const text = readFileSync(join(SRC, `${file}.ts`), 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'(\.[^']*)'/gm)) {
    let target = normalize(join(dirname(file), m[2]));
    if (!files.has(target) && files.has(join(target, 'index'))) target = join(target, 'index');
    found.push({ target, typeOnly: m[1] !== undefined });
  }
  return found;
}

const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '(root)');
const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

describe('discovery source layers', () => {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, known)]));

  it('knows every folder', () => {
    expect(files.map(folderOf).filter((folder) => layerOf(folder) < 0)).toEqual([]);
  });

  it('imports only its own layer and those below', () => {
    const upwards = files.flatMap((file) =>
      graph
        .get(file)!
        .filter((i) => layerOf(folderOf(i.target)) > layerOf(folderOf(file)) && !(i.typeOnly && TYPE_ONLY_UP.has(i.target)))
        .map((i) => `${file} → ${i.target}`),
    );
    expect(upwards).toEqual([]);
  });

  it('keeps the rules pure: they import rules and the shared vocabulary only', () => {
    const outside = files
      .filter((f) => folderOf(f) === 'rules')
      .flatMap((file) => {
        const text = readFileSync(join(SRC, `${file}.ts`), 'utf8');
        const packages = [...text.matchAll(/from '([^.][^']*)'/g)].map((m) => m[1]).filter((p) => p !== '@influenceflow/vocabulary');
        const local = graph
          .get(file)!
          .filter((i) => folderOf(i.target) !== 'rules')
          .map((i) => i.target);
        return [...packages, ...local].map((target) => `${file} → ${target}`);
      });
    expect(outside).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const { target } of graph.get(file) ?? []) {
        if (state.get(target) === 'open') cycles.push([...path.slice(path.indexOf(target)), target].join(' → '));
        else if (!state.has(target) && known.has(target)) visit(target);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
