import { AppError } from '@influenceflow/kit';
import { extractVariables, MissingVariablesError, renderTemplate } from './template-variables';

describe('contract template variables', () => {
  it('lists distinct names in order of first appearance', () => {
    expect(extractVariables('{{brand.name}} pays {{ creator.displayName }} {{fee}}; {{brand.name}} again')).toEqual([
      'brand.name',
      'creator.displayName',
      'fee',
    ]);
    expect(extractVariables('no placeholders at all')).toEqual([]);
  });

  it.each(['{{ }}', '{{1x}}', '{{a b}}', '{{a-b}}'])('refuses the malformed placeholder %s on the body field', (bad) => {
    let error: unknown;
    try {
      extractVariables(`Hello ${bad}`);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body' });
    expect((error as Error).message).toContain(bad);
  });

  it('renders every placeholder and refuses to render with values missing', () => {
    expect(renderTemplate('{{a}} and {{ b }} and {{a}}', { a: 'X', b: 'Y' })).toBe('X and Y and X');
    expect(() => renderTemplate('{{a}} {{b}} {{c}}', { b: '1' })).toThrow(MissingVariablesError);
    try {
      renderTemplate('{{a}} {{b}} {{c}}', { b: '1' });
    } catch (err) {
      expect((err as MissingVariablesError).missing).toEqual(['a', 'c']);
    }
  });
});
