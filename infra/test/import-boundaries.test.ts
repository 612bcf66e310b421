import { join } from 'node:path';
import { ESLint } from 'eslint';

/** The lint (run by the test command) refuses imports across the boundaries of the workspace. */
const root = join(__dirname, '..', '..');
// The project's config, given directly: ESLint's own loader needs dynamic import, which jest's VM lacks.
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: require(join(root, 'eslint.config.js')) });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it('keeps the kit free of the vocabulary and of services', async () => {
    expect(
      await restricted('shared/kit/src/x.ts', `import { TOPICS } from '@influenceflow/vocabulary';\nexport const t = TOPICS;\n`),
    ).toHaveLength(1);
    expect(
      await restricted(
        'shared/kit/src/x.ts',
        `import { campaignSubgraph } from '@influenceflow/campaign';\nexport const c = campaignSubgraph;\n`,
      ),
    ).toHaveLength(1);
    expect(
      await restricted('shared/kit/src/x.ts', `import { x } from '../../../services/campaign/src/schema';\nexport const c = x;\n`),
    ).toHaveLength(1);
  });

  it('keeps services from importing each other, but lets them use the kit and the vocabulary', async () => {
    expect(
      await restricted(
        'services/payments/src/x.ts',
        `import { campaignSubgraph } from '@influenceflow/campaign';\nexport const c = campaignSubgraph;\n`,
      ),
    ).toHaveLength(1);
    expect(
      await restricted('services/payments/src/x.ts', `import { x } from '../../campaign/src/schema';\nexport const c = x;\n`),
    ).toHaveLength(1);
    const allowed = `import { TOPICS } from '@influenceflow/vocabulary';\nimport { badInput } from '@influenceflow/kit';\nexport const a = [TOPICS, badInput];\n`;
    expect(await restricted('services/payments/src/x.ts', allowed)).toEqual([]);
  });

  it('keeps the gateway from importing services', async () => {
    expect(
      await restricted(
        'gateway/src/x.ts',
        `import { discoverySubgraph } from '@influenceflow/discovery';\nexport const d = discoverySubgraph;\n`,
      ),
    ).toHaveLength(1);
  });

  it('keeps the vocabulary standing alone', async () => {
    expect(
      await restricted('shared/vocabulary/src/x.ts', `import { badInput } from '@influenceflow/kit';\nexport const b = badInput;\n`),
    ).toHaveLength(1);
  });
});
