import { badInput } from '@influenceflow/kit';

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAME = /^[a-zA-Z][a-zA-Z0-9_.]*$/;

/**
 * The distinct `{{variable}}` names of a template, in order of first appearance. Whitespace inside the
 * braces is ignored (`{{ brand.name }}`); a placeholder that is not a name (`{{ }}`, `{{1x}}`) is an
 * error naming it, so a typo never reaches a signed contract.
 */
export function extractVariables(body: string, field = 'input.body'): string[] {
  const names: string[] = [];
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = match[1].trim();
    if (!NAME.test(name)) throw badInput(field, `"${match[0]}" is not a valid placeholder: use {{name}} with letters, digits, "_" and "."`);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

export class MissingVariablesError extends Error {
  constructor(readonly missing: string[]) {
    super(`Missing values for: ${missing.join(', ')}`);
    this.name = 'MissingVariablesError';
  }
}

/** Substitutes every placeholder; all variables must have a value (none is silently left blank). */
export function renderTemplate(body: string, values: Record<string, string>): string {
  const missing = extractVariables(body).filter((name) => values[name] === undefined);
  if (missing.length) throw new MissingVariablesError(missing);
  return body.replace(PLACEHOLDER, (_all, name: string) => values[name.trim()]);
}
