import { join } from 'node:path';
import { compiledScript } from './compiled-script';

describe('compiledScript', () => {
  it("finds a script in the package's build when the caller runs from the sources", () => {
    expect(compiledScript(join(__dirname, 'ingest'), 'import-worker.js')).toBe(join(__dirname, '..', 'dist', 'ingest', 'import-worker.js'));
  });

  it('refuses, saying what to do, when the script is not built', () => {
    expect(() => compiledScript(join(__dirname, 'ingest'), 'no-such-worker.js')).toThrow(/no-such-worker\.js is not built .*run pnpm build/);
  });
});
