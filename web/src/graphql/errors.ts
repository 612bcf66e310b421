/**
 * The API's errors beside the fields they name (docs/errors.md): `extensions.field` is the dotted path of
 * the input at fault (`input.budget.amountMinor`), `extensions.problems` lists every bad field of a mutation.
 * Pure, so it is unit tested (errors.test.ts).
 */
export interface ApiError {
  message: string;
  extensions?: Record<string, unknown> | null;
}

export interface FieldErrors {
  /** Message per form field, for the fields the form knows. */
  fields: Record<string, string>;
  /** What names no field of the form (or none at all): the messages, shown above the form. */
  general: string[];
}

interface Problem {
  field: string;
  reason: string;
}

function problemsOf(error: ApiError): Problem[] {
  const ext = error.extensions ?? {};
  const list = Array.isArray(ext.problems) ? (ext.problems as unknown[]) : [];
  const problems = list.filter(
    (p): p is Problem => !!p && typeof (p as Problem).field === 'string' && typeof (p as Problem).reason === 'string',
  );
  if (problems.length) return problems;
  return typeof ext.field === 'string' ? [{ field: ext.field, reason: error.message }] : [];
}

/**
 * Maps each error to the form field it names. `fieldOf` turns an API path (`input.goal.target`) into a
 * form field's key, or null when the form has no such field; the longest known prefix wins, so
 * `input.budget.amountMinor` lands on a field registered as `input.budget`.
 */
export function fieldErrors(errors: readonly ApiError[], known: readonly string[]): FieldErrors {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  const byLength = [...known].sort((a, b) => b.length - a.length);
  const fieldOf = (path: string) => byLength.find((k) => path === k || path.startsWith(`${k}.`)) ?? null;
  for (const error of errors) {
    const problems = problemsOf(error);
    if (!problems.length) {
      general.push(error.message);
      continue;
    }
    for (const p of problems) {
      const field = fieldOf(p.field);
      // a field the form does not show (the creator of an invitation): the message alone, above the form
      if (!field) general.push(p.reason);
      else if (!fields[field]) fields[field] = p.reason;
    }
  }
  return { fields, general: [...new Set(general)] };
}

/** What a failed request says to a person: the errors' messages, or that the network failed. */
export function errorMessages(
  error: { graphQLErrors?: readonly ApiError[]; networkError?: Error | null; message?: string } | undefined,
): string[] {
  if (!error) return [];
  if (error.graphQLErrors?.length) return [...new Set(error.graphQLErrors.map((e) => e.message))];
  if (error.networkError) return [`The server could not be reached (${error.networkError.message})`];
  return error.message ? [error.message] : [];
}
