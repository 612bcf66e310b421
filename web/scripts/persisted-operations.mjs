// The trusted operations manifest: every operation of the dashboard exactly as its GraphQL client sends
// it. Rather than re-printing the documents (and hoping the text matches), each one is run through the
// client's own exchanges (src/graphql/exchanges.ts: urql's document cache adds __typename) with a fetch
// that records the body instead of sending it. The gateway hashes the text it receives
// (gateway/src/trusted-operations.ts), so the manifest's ids are the SHA-256 of those very bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** Transpiles a TypeScript module of src/ to an ES module next to node_modules (so its imports resolve). */
async function load(web, relative, out) {
  const { transformWithEsbuild } = await import('vite');
  const source = readFileSync(join(web, relative), 'utf8');
  const { code } = await transformWithEsbuild(source, relative, { loader: 'ts', format: 'esm', target: 'es2022' });
  const file = join(out, relative.replace(/[/\\]/g, '_').replace(/\.ts$/, '.mjs'));
  writeFileSync(file, code);
  return import(pathToFileURL(file).href);
}

export async function persistedOperations(web) {
  const out = join(web, 'node_modules', '.cache', 'persisted-operations');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    const documents = await load(web, 'src/gql/graphql.ts', out);
    const { transportOptions } = await load(web, 'src/graphql/exchanges.ts', out);
    const { Client } = await import('@urql/core');
    const sent = [];
    const client = new Client({
      url: 'http://dashboard.invalid/graphql',
      ...transportOptions,
      fetch: async (_url, init) => {
        sent.push(JSON.parse(String(init.body)));
        return new Response(JSON.stringify({ data: null }), { headers: { 'content-type': 'application/json' } });
      },
    });
    const operations = [];
    for (const [exportName, doc] of Object.entries(documents)) {
      if (!doc || doc.kind !== 'Document') continue;
      const op = doc.definitions.find((d) => d.kind === 'OperationDefinition');
      if (!op) continue;
      if (op.operation === 'subscription')
        throw new Error(`${exportName}: subscriptions are not recorded yet (add the WebSocket transport here)`);
      const before = sent.length;
      await (op.operation === 'mutation' ? client.mutation(doc, {}) : client.query(doc, {}, { requestPolicy: 'network-only' })).toPromise();
      if (sent.length !== before + 1) throw new Error(`${exportName}: the client sent ${sent.length - before} requests, not one`);
      const body = sent[sent.length - 1].query;
      operations.push({ id: sha256(body), body, name: op.name?.value ?? exportName, type: op.operation });
    }
    operations.sort((a, b) => a.name.localeCompare(b.name));
    return { format: 'apollo-persisted-query-manifest', version: 1, operations };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function writePersistedOperations(web, file) {
  const manifest = await persistedOperations(web);
  if (!manifest.operations.length) throw new Error('no operation found in src/gql/graphql.ts');
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
