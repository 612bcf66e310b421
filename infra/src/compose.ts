import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import gql from 'graphql-tag';
import { buildFederatedSchema, DEFAULT_PORTS, SERVICE_NAMES } from '@influenceflow/kit';
import { SUPERGRAPH_PATH } from '@influenceflow/gateway';
import { SUBGRAPHS } from './subgraphs';

/**
 * Composes the five subgraphs' schemas into the supergraph the gateway serves. URLs in it are the
 * defaults; the gateway replaces them from its config at run time.
 */
export async function composeSupergraph(): Promise<string> {
  const subgraphs = [];
  for (const name of SERVICE_NAMES) {
    const schema = await buildFederatedSchema(SUBGRAPHS[name]);
    subgraphs.push({ name, url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`, typeDefs: gql(printSubgraphSchema(schema)) });
  }
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const sdl = await composeSupergraph();
  const current = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
  if (check) {
    if (current !== sdl) {
      console.error(`${SUPERGRAPH_PATH} is stale: run "pnpm compose" and commit it.`);
      process.exit(1);
    }
    console.log('supergraph is up to date');
    return;
  }
  if (current === sdl) console.log(`supergraph unchanged (${SUPERGRAPH_PATH})`);
  else {
    writeFileSync(SUPERGRAPH_PATH, sdl);
    console.log(`wrote ${SUPERGRAPH_PATH}`);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
