import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allConfigVariables, envPrefix, SERVICE_NAMES } from '@influenceflow/kit';

/** docs/configuration.md names every variable the kit's schema reads, by name or as `<SERVICE>_…`. */
describe('docs/configuration.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');

  it.each(allConfigVariables())('documents %s', (variable) => {
    const prefix = SERVICE_NAMES.map(envPrefix).find((p) => variable.startsWith(`${p}_`));
    const forms = [variable, ...(prefix ? [`<SERVICE>${variable.slice(prefix.length)}`] : [])];
    expect(forms.some((form) => doc.includes(`\`${form}\``))).toBe(true);
  });
});
