import { readFileSync } from 'node:fs';
import { SUPERGRAPH_PATH } from '@influenceflow/gateway';
import { composeSupergraph } from '../src/compose';

describe('the committed supergraph', () => {
  it('is what the five subgraphs compose to today (run "pnpm compose" when this fails)', async () => {
    const composed = await composeSupergraph();
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composed);
  });
});
