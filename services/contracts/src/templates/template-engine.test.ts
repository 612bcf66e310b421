import { AppError } from '@influenceflow/kit';
import { DEFAULT_AGREEMENT } from './default-agreement';
import { checkTemplate, MissingValueError, renderTemplate, TEMPLATE_LISTS, TEMPLATE_VARIABLES, TemplateValues } from './template-engine';

/** Values where each variable holds its own name in brackets, so a rendering shows which went where. */
function namedValues(): TemplateValues {
  const values: TemplateValues = {};
  for (const name of Object.keys(TEMPLATE_VARIABLES)) {
    const [group, key] = name.split('.');
    values[group] ??= {};
    (values[group] as TemplateValues)[key] = `[${name}]`;
  }
  for (const [list, fields] of Object.entries(TEMPLATE_LISTS)) {
    values[list] = [0, 1].map((i) => Object.fromEntries(Object.keys(fields).map((f) => [f, `[${list}.${i}.${f}]`])));
  }
  return values;
}

function refusal(body: string): AppError {
  try {
    checkTemplate(body);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('the template was accepted');
}

describe('contract templates (strict Handlebars)', () => {
  it('renders every variable and every list field where the template puts it', () => {
    const scalars = Object.keys(TEMPLATE_VARIABLES)
      .map((n) => `${n}={{${n}}}`)
      .join('\n');
    const lists = Object.entries(TEMPLATE_LISTS)
      .map(
        ([list, fields]) =>
          `{{#each ${list}}}${Object.keys(fields)
            .map((f) => `${f}={{${f}}}`)
            .join(' ')} top={{../brand.name}}\n{{/each}}`,
      )
      .join('');
    const body = `${scalars}\n${lists}`;
    const variables = checkTemplate(body);
    expect(variables).toEqual(expect.arrayContaining([...Object.keys(TEMPLATE_VARIABLES), 'deliverables.dueOn', 'milestones.amount']));
    const text = renderTemplate(body, namedValues());
    for (const name of Object.keys(TEMPLATE_VARIABLES)) expect(text).toContain(`${name}=[${name}]`);
    for (const [list, fields] of Object.entries(TEMPLATE_LISTS)) {
      for (const f of Object.keys(fields)) for (const i of [0, 1]) expect(text).toContain(`${f}=[${list}.${i}.${f}]`);
    }
    expect(text).toContain('top=[brand.name]');
    expect(text).not.toContain('{{');
  });

  it('renders as plain text: nothing is HTML-escaped', () => {
    const values = namedValues();
    (values.brand as TemplateValues).name = 'Oat & Co <AB> "quoted"';
    expect(renderTemplate('{{brand.name}}', values)).toBe('Oat & Co <AB> "quoted"');
  });

  it('refuses to render a missing or empty value instead of leaving a hole', () => {
    const values = namedValues();
    delete (values.creator as TemplateValues).handle;
    expect(() => renderTemplate('Hi {{creator.handle}}', values)).toThrow(MissingValueError);
    try {
      renderTemplate('Hi {{creator.handle}}', values);
    } catch (err) {
      expect(err).toMatchObject({ code: 'INVALID_STATE', variable: 'creator.handle' });
    }
    const empty = namedValues();
    (empty.brand as TemplateValues).name = '  ';
    expect(() => renderTemplate('{{brand.name}}', empty)).toThrow(/brand\.name/);
    // Strict mode also catches a field missing inside a list item.
    const item = namedValues();
    delete ((item.deliverables as TemplateValues[])[1] as TemplateValues).dueOn;
    expect(() => renderTemplate('{{#each deliverables}}{{dueOn}}{{/each}}', item)).toThrow(MissingValueError);
  });

  it('refuses a template naming an unknown variable at save, naming it on the field', () => {
    const err = refusal('Dear {{creator.nickname}}, you get {{fee}} and {{brand.name}}');
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body', details: { variables: ['creator.nickname', 'fee'] } });
    expect(err.message).toContain('{{creator.nickname}}');
    expect(err.message).toContain('{{fee}}');
    expect(refusal('{{#each deliverables}}{{price}}{{/each}}').details).toEqual({ variables: ['price'] });
    expect(refusal('{{#if bonus}}x{{/if}}').details).toEqual({ variables: ['bonus'] });
  });

  it.each([
    ['a helper call', '{{lookup brand "name"}}'],
    ['a partial', '{{> signature}}'],
    ['a block helper other than if/unless/each', '{{#with brand}}{{name}}{{/with}}'],
    ['each over a scalar', '{{#each brand.name}}x{{/each}}'],
    ['a list printed as text', '{{deliverables}}'],
    ['a syntax error', 'Dear {{brand.name'],
    ['an unclosed block', '{{#each milestones}}{{label}}'],
  ])('refuses %s at save', (_what, body) => {
    expect(refusal(body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body' });
  });

  it('never echoes the template in a syntax error', () => {
    const err = refusal('Secret clause {{brand.name');
    expect(err.message).not.toContain('Secret');
  });

  it('ships a default agreement that passes its own check and names every clause', () => {
    const variables = checkTemplate(DEFAULT_AGREEMENT);
    expect(variables).toContain('compensation.summary');
    const text = renderTemplate(DEFAULT_AGREEMENT, namedValues());
    for (const clause of [
      'Parties',
      'Deliverables',
      'Timeline',
      'Compensation and payment terms',
      'Usage rights',
      'Exclusivity',
      'Content and morality',
      'Disclosure and compliance',
      'Cancellation and termination',
      'Signatures',
    ])
      expect(text).toMatch(new RegExp(`^# \\d+\\. ${clause}$`, 'm'));
  });
});
