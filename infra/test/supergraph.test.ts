import { readFileSync } from 'node:fs';
import { API_SCHEMA_PATH, SUPERGRAPH_PATH } from '@influenceflow/gateway';
import { compose } from '../src/compose';

describe('the committed supergraph', () => {
  it('is what the five subgraphs compose to today, and so is its API schema (run "pnpm compose" when this fails)', async () => {
    const composed = await compose();
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composed.supergraphSdl);
    // the web dashboard's operation types are generated from this file (web/codegen.ts)
    expect(readFileSync(API_SCHEMA_PATH, 'utf8')).toBe(composed.apiSchemaSdl);
    expect(composed.apiSchemaSdl).not.toMatch(/@join__|join__Graph|link__/);
  });
});
