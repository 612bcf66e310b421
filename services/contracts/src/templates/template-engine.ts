import Handlebars from 'handlebars';
import { AppError, badInput, ErrorCode } from '@influenceflow/kit';

/**
 * Contract templates are Handlebars, rendered in strict mode (a missing value is an error, never an empty
 * hole), as plain text (no HTML escaping), with only the built-in `if`, `unless` and `each` blocks: no
 * partials, no other helpers. Which variables exist is fixed here; a template naming any other one is
 * refused when it is saved, so a typo never reaches a contract someone signs.
 */

/** Every variable a template may use outside a list, with what it holds (docs/contracts.md lists them). */
export const TEMPLATE_VARIABLES: Readonly<Record<string, string>> = {
  'contract.title': 'the title: "Influencer agreement — <campaign>"',
  'contract.version': 'the version number (1, then one more per amendment)',
  'contract.amends': 'for an amendment, which version it changes; "none" otherwise',
  'contract.createdOn': 'the day the contract was generated (ISO date)',
  'brand.name': "the brand's name",
  'creator.name': "the creator's name",
  'creator.handle': "the creator's handle with @, or their name when unknown",
  'campaign.name': "the campaign's name",
  'term.startsOn': "the campaign's first day (ISO date)",
  'term.endsOn': "the last day of the term: the campaign's end, or the long-term partnership's",
  'term.length': '"one campaign", "3 months" or "6 months"',
  'brief.version': 'the brief version the creator accepted ("latest" when unknown)',
  'compensation.summary': 'every part of the compensation in one sentence',
  'compensation.fee': 'the flat fee, formatted ("none" when there is none)',
  'compensation.commission': 'the commission on attributed sales ("none" when there is none)',
  'compensation.bonus': 'the performance bonus with its metric and threshold ("none" when there is none)',
  'compensation.product': 'the product given, with its declared value ("none" when there is none)',
  'compensation.currency': 'the ISO 4217 currency of every amount',
  'payment.netDays': 'days after a milestone is due by which it is paid',
  'usageRights.scope': "where the brand may use the creator's content",
  'usageRights.durationMonths': 'for how many months',
  'usageRights.summary': 'the usage rights in one sentence',
  'exclusivity.summary': 'the exclusivity in one sentence ("none" when there is none)',
  'exclusivity.category': 'the product category ("none" when there is no exclusivity)',
  'exclusivity.windowDays': 'days of exclusivity ("0" when there is none)',
  'cancellation.noticeDays': 'days of written notice to end the contract',
};

/** Lists a template may walk with `{{#each}}`, with the fields of each item. */
export const TEMPLATE_LISTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  deliverables: {
    number: '1, 2, …',
    platform: 'the platform (Instagram, TikTok, …)',
    format: 'the format (reel, story, …)',
    count: 'how many',
    dueOn: 'the due date (ISO date)',
    summary: 'the deliverable in one line',
  },
  milestones: {
    number: '1, 2, …',
    label: "the milestone's name",
    amount: 'the amount, formatted',
    trigger: 'when it becomes due, in words',
    summary: 'the milestone in one line',
  },
};

const BLOCKS = new Set(['if', 'unless', 'each']);
const DATA_VARIABLES = new Set(['index', 'first', 'last']);

/** The values a template is rendered with: every variable above as text, the lists as items of text. */
export type TemplateValues = { [name: string]: string | TemplateValues | TemplateValues[] };

type Scope = { list: string | null };
type Node = hbs.AST.Node & Record<string, unknown>;

function pathName(path: hbs.AST.PathExpression): string {
  return path.parts.join('.');
}

/** Whether a path names something in scope (`../` reaches the top from inside a list). */
function known(path: hbs.AST.PathExpression, scope: Scope): boolean {
  const name = pathName(path);
  if (path.data) return scope.list !== null && DATA_VARIABLES.has(name);
  if (scope.list && path.depth === 0) return Object.hasOwn(TEMPLATE_LISTS[scope.list], name);
  if (path.depth > (scope.list ? 1 : 0)) return false;
  return Object.hasOwn(TEMPLATE_VARIABLES, name) || Object.hasOwn(TEMPLATE_LISTS, name);
}

function displayName(path: hbs.AST.PathExpression): string {
  return path.original.replace(/^this\./, '');
}

interface Findings {
  unknown: string[];
  other: string[];
}

function walk(statements: hbs.AST.Statement[], scope: Scope, found: Findings): void {
  for (const statement of statements) {
    const node = statement as unknown as Node;
    switch (statement.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const m = statement as hbs.AST.MustacheStatement;
        if (m.path.type !== 'PathExpression' || m.params.length > 0 || (m.hash && m.hash.pairs.length > 0)) {
          found.other.push('a placeholder may only name a variable: {{brand.name}} (no helpers)');
          break;
        }
        const path = m.path as hbs.AST.PathExpression;
        const name = pathName(path);
        if (!known(path, scope)) found.unknown.push(displayName(path));
        else if (!scope.list && !path.data && Object.hasOwn(TEMPLATE_LISTS, name))
          found.other.push(`{{${name}}} is a list: walk it with {{#each ${name}}}…{{/each}}`);
        break;
      }
      case 'BlockStatement': {
        const b = statement as hbs.AST.BlockStatement;
        const helper = b.path.type === 'PathExpression' ? pathName(b.path as hbs.AST.PathExpression) : '';
        const [param] = b.params;
        if (!BLOCKS.has(helper) || b.params.length !== 1 || param.type !== 'PathExpression') {
          found.other.push('blocks are {{#if variable}}, {{#unless variable}} and {{#each list}} only');
          break;
        }
        const path = param as hbs.AST.PathExpression;
        if (!known(path, scope)) {
          found.unknown.push(displayName(path));
          break;
        }
        if (helper === 'each') {
          const list = pathName(path);
          if (scope.list || !Object.hasOwn(TEMPLATE_LISTS, list)) {
            found.other.push(`{{#each}} walks a list: ${Object.keys(TEMPLATE_LISTS).join(' or ')}`);
            break;
          }
          walk(b.program.body, { list }, found);
        } else {
          walk(b.program.body, scope, found);
        }
        if (b.inverse) walk(b.inverse.body, scope, found);
        break;
      }
      default:
        found.other.push(
          node.type === 'PartialStatement'
            ? 'partials ({{> name}}) are not allowed'
            : 'only variables and if/unless/each blocks are allowed',
        );
    }
  }
}

function parse(body: string, field: string): hbs.AST.Program {
  try {
    return Handlebars.parse(body);
  } catch (err) {
    const line = /line (\d+)/.exec((err as Error).message)?.[1];
    throw badInput(
      field,
      `is not a valid template${line ? ` (near line ${line})` : ''}: check that every {{ has its }} and every block is closed`,
    );
  }
}

/** Walks a template's placeholders in order of appearance, collecting the variables it names. */
function collect(program: hbs.AST.Program, names: string[], scope: Scope = { list: null }): void {
  for (const statement of program.body) {
    if (statement.type === 'MustacheStatement') {
      const path = (statement as hbs.AST.MustacheStatement).path;
      if (path.type === 'PathExpression') names.push(qualified(path as hbs.AST.PathExpression, scope));
    } else if (statement.type === 'BlockStatement') {
      const b = statement as hbs.AST.BlockStatement;
      const param = b.params[0];
      if (param?.type === 'PathExpression') names.push(qualified(param as hbs.AST.PathExpression, scope));
      const helper = b.path.type === 'PathExpression' ? pathName(b.path as hbs.AST.PathExpression) : '';
      const inner = helper === 'each' && param?.type === 'PathExpression' ? { list: pathName(param as hbs.AST.PathExpression) } : scope;
      collect(b.program, names, inner);
      if (b.inverse) collect(b.inverse, names, scope);
    }
  }
}

function qualified(path: hbs.AST.PathExpression, scope: Scope): string {
  const name = pathName(path);
  if (path.data) return `@${name}`;
  return scope.list && path.depth === 0 ? `${scope.list}.${name}` : name;
}

/**
 * Checks a template before it is saved and returns the distinct variables it uses, in order of first
 * appearance (list fields as `deliverables.dueOn`). A syntax error, a helper or partial, or a variable
 * that does not exist is BAD_USER_INPUT on `field`; unknown variables are named in the message and in
 * `extensions.variables`.
 */
export function checkTemplate(body: string, field = 'input.body'): string[] {
  const program = parse(body, field);
  const found: Findings = { unknown: [], other: [] };
  walk(program.body, { list: null }, found);
  if (found.unknown.length) {
    const unknown = [...new Set(found.unknown)];
    throw badInput(
      field,
      `${unknown.length === 1 ? 'unknown variable' : 'unknown variables'} ${unknown.map((n) => `{{${n}}}`).join(', ')}: templates may use only the documented variables`,
      { variables: unknown },
    );
  }
  if (found.other.length) throw badInput(field, found.other[0]);
  const names: string[] = [];
  collect(program, names);
  return [...new Set(names.filter((n) => !n.startsWith('@')))];
}

/** A template's value was missing when it was rendered (never shown as an empty hole). */
export class MissingValueError extends AppError {
  constructor(readonly variable: string) {
    super(ErrorCode.INVALID_STATE, `The contract has no value for {{${variable}}}: fill in its terms before rendering`, {
      details: { variable },
    });
    this.name = 'MissingValueError';
  }
}

/** Every leaf is non-empty text: an empty value would be a hole in a contract, so it counts as missing. */
function assertComplete(values: TemplateValues, prefix = ''): void {
  for (const [key, value] of Object.entries(values)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) value.forEach((item) => assertComplete(item, name));
    else if (typeof value === 'object' && value !== null) assertComplete(value, name);
    else if (typeof value !== 'string' || value.trim() === '') throw new MissingValueError(name);
  }
}

const engine = Handlebars.create();

function valueAt(values: TemplateValues, path: string[]): unknown {
  let at: unknown = values;
  for (const part of path) {
    if (!at || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, part)) return undefined;
    at = (at as TemplateValues)[part];
  }
  return at;
}

/** Every variable the template uses has a value (in every item, for list fields), named in full when not. */
function assertValuesFor(body: string, values: TemplateValues): void {
  const names: string[] = [];
  collect(Handlebars.parse(body), names);
  for (const name of new Set(names)) {
    if (name.startsWith('@')) continue;
    const [head, ...rest] = name.split('.');
    if (Object.hasOwn(TEMPLATE_LISTS, head) && rest.length > 0) {
      const items = values[head];
      if (!Array.isArray(items)) throw new MissingValueError(head);
      for (const item of items) if (valueAt(item, rest) === undefined) throw new MissingValueError(name);
    } else if (valueAt(values, name.split('.')) === undefined) {
      throw new MissingValueError(name);
    }
  }
}

/** Renders a checked template with complete values, strictly: a variable without a value throws MissingValueError. */
export function renderTemplate(body: string, values: TemplateValues): string {
  assertComplete(values);
  assertValuesFor(body, values);
  const template = engine.compile(body, {
    strict: true,
    noEscape: true,
    knownHelpersOnly: true,
    knownHelpers: { if: true, unless: true, each: true },
  });
  try {
    return template(values);
  } catch (err) {
    const name = /"([^"]+)" not defined/.exec((err as Error).message)?.[1];
    if (name) throw new MissingValueError(name);
    throw err;
  }
}
