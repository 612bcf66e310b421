import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { printSubgraphSchema } from '@apollo/subgraph';
import gql from 'graphql-tag';
import { buildFederatedSchema, DEFAULT_PORTS, SERVICE_NAMES } from '@influenceflow/kit';
import { API_SCHEMA_PATH, SUPERGRAPH_PATH } from '@influenceflow/gateway';
import { SUBGRAPHS } from './subgraphs';

/**
 * Composes the five subgraphs' schemas into the supergraph the gateway serves. URLs in it are the
 * defaults; the gateway replaces them from its config at run time.
 */
export async function composeSupergraph(): Promise<string> {
  return (await compose()).supergraphSdl;
}

/**
 * The supergraph and its API schema (what clients see: no join directives, no inaccessible parts), printed
 * sorted so that a change shows as a small diff. The web dashboard's operation types are generated from
 * the API schema (web/codegen.ts).
 */
export async function compose(): Promise<{ supergraphSdl: string; apiSchemaSdl: string }> {
  const subgraphs = [];
  for (const name of SERVICE_NAMES) {
    const schema = await buildFederatedSchema(SUBGRAPHS[name]);
    subgraphs.push({ name, url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`, typeDefs: gql(printSubgraphSchema(schema)) });
  }
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  const apiSchemaSdl = `${printSchema(lexicographicSortSchema(result.schema.toAPISchema().toGraphQLJSSchema()))}\n`;
  return { supergraphSdl: result.supergraphSdl, apiSchemaSdl };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const { supergraphSdl, apiSchemaSdl } = await compose();
  let stale = false;
  for (const [path, sdl, what] of [
    [SUPERGRAPH_PATH, supergraphSdl, 'supergraph'],
    [API_SCHEMA_PATH, apiSchemaSdl, 'API schema'],
  ] as const) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (check) {
      if (current !== sdl) {
        console.error(`${path} is stale: run "pnpm compose" and commit it.`);
        stale = true;
      } else console.log(`${what} is up to date`);
    } else if (current === sdl) console.log(`${what} unchanged (${path})`);
    else {
      writeFileSync(path, sdl);
      console.log(`wrote ${path}`);
    }
  }
  if (stale) process.exit(1);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
