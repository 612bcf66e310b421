import {
  ArgumentNode,
  DocumentNode,
  getNamedType,
  GraphQLArgument,
  GraphQLInputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  OperationDefinitionNode,
  TypeInfo,
  ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { AppError, badInput } from '../errors/app-error';
import { isUuid } from '../validation/uuid';

/**
 * Bounds on every input value, whatever the field: services set tighter ones where they know more. They
 * are what a client can rely on being refused before any resolver (or the database) sees the value.
 */
export const INPUT_LIMITS = {
  /** Characters in one string. */
  maxStringLength: 100_000,
  /** Items in one list. */
  maxListLength: 500,
} as const;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
/** How deep a JSON value inside a custom scalar may nest. */
const MAX_NESTING = 32;
/** An ISO 8601 date and time with a zone, as DateTimeISO takes it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The problem with a string, or null: NUL bytes and lone surrogates reach no database, nor do huge strings. */
export function stringProblem(value: string): string | null {
  if (value.length > INPUT_LIMITS.maxStringLength)
    return `must be at most ${INPUT_LIMITS.maxStringLength.toLocaleString('en-US')} characters`;
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it holds a lone surrogate)';
  return null;
}

/**
 * Checks a value (as sent in variables) against the input type of the place it is used, and returns the
 * first problem with its dotted path. It also does what GraphQL's own coercion would refuse, so that such
 * errors carry the field and never echo the value back.
 */
type Problem = { field: string; message: string };

export function valueProblem(value: unknown, type: GraphQLInputType, path: string): Problem | null {
  if (isNonNullType(type)) {
    if (value === null || value === undefined) return { field: path, message: `is required (${String(type)})` };
    return valueProblem(value, type.ofType, path);
  }
  if (value === null || value === undefined) return null;
  if (isListType(type)) {
    // A single value where a list is expected is coerced to a list of one (GraphQL's rule).
    if (!Array.isArray(value)) return valueProblem(value, type.ofType, path);
    if (value.length > INPUT_LIMITS.maxListLength) {
      return { field: path, message: `must have at most ${INPUT_LIMITS.maxListLength} items` };
    }
    for (let i = 0; i < value.length; i++) {
      const problem = valueProblem(value[i], type.ofType, `${path}.${i}`);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return { field: path, message: `must be an object (${type.name})` };
    const fields = type.getFields();
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(fields, key)) {
        return { field: path, message: `has no field named ${key.length <= 64 ? `"${key}"` : 'like this'} (${type.name})` };
      }
    }
    for (const field of Object.values(fields)) {
      const fieldValue = (value as Record<string, unknown>)[field.name];
      if (fieldValue === undefined && field.defaultValue !== undefined) continue; // GraphQL applies the default
      const problem = valueProblem(fieldValue, field.type, `${path}.${field.name}`);
      if (problem) return problem;
    }
    return null;
  }
  if (isEnumType(type)) {
    if (typeof value !== 'string' || !type.getValue(value)) {
      return {
        field: path,
        message: `must be one of ${type
          .getValues()
          .map((v) => v.name)
          .join(', ')}`,
      };
    }
    return null;
  }
  return scalarProblem(value, type.name, path);
}

function scalarProblem(value: unknown, scalar: string, path: string): Problem | null {
  const fail = (message: string) => ({ field: path, message });
  switch (scalar) {
    case 'ID':
      if (!isUuid(value)) return fail('must be a UUID');
      return null;
    case 'String': {
      if (typeof value !== 'string') return fail('must be a string');
      const problem = stringProblem(value);
      return problem ? fail(problem) : null;
    }
    case 'Int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT_MIN || value > INT_MAX) {
        return fail('must be a whole number between -2147483648 and 2147483647');
      }
      return null;
    case 'SafeInt':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return fail('must be a whole number below 2^53 in size');
      return null;
    case 'Float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a finite number');
      return null;
    case 'Boolean':
      if (typeof value !== 'boolean') return fail('must be true or false');
      return null;
    case 'DateTimeISO':
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        return fail('must be an ISO 8601 date and time with a zone, e.g. 2027-03-01T09:30:00Z');
      }
      return null;
    default:
      return anyProblem(value, path, 0);
  }
}

/** Other custom scalars (JSON and the like): the strings inside obey the string rules, nesting is bounded. */
function anyProblem(value: unknown, path: string, depth: number): Problem | null {
  if (depth > MAX_NESTING) return { field: path, message: `must not nest deeper than ${MAX_NESTING} levels` };
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    return problem ? { field: path, message: problem } : null;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { field: path, message: 'must be a finite number' };
  if (Array.isArray(value)) {
    if (value.length > INPUT_LIMITS.maxListLength) return { field: path, message: `must have at most ${INPUT_LIMITS.maxListLength} items` };
    for (let i = 0; i < value.length; i++) {
      const problem = anyProblem(value[i], `${path}.${i}`, depth + 1);
      if (problem) return problem;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const problem = anyProblem(v, `${path}.${k}`, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/** What a literal is checked with: the request's variables and the defaults the operation declares. */
interface LiteralScope {
  variables: Record<string, unknown>;
  defaults: Map<string, ValueNode>;
}

/** A literal in the document, checked like a value; variables inside it are looked up and checked too. */
function literalProblem(node: ValueNode, type: GraphQLInputType, path: string, scope: LiteralScope): Problem | null {
  if (node.kind === Kind.VARIABLE) {
    // A variable given is checked where it is used; one left out by its default (a literal of the
    // document like any other), or, without one, by GraphQL (which reports it missing).
    const value = scope.variables[node.name.value];
    if (value !== undefined) return valueProblem(value, type, path);
    const fallback = scope.defaults.get(node.name.value);
    return fallback ? literalProblem(fallback, type, path, scope) : null;
  }
  if (isNonNullType(type)) return literalProblem(node, type.ofType, path, scope);
  if (node.kind === Kind.NULL) return null;
  if (isListType(type)) {
    if (node.kind !== Kind.LIST) return literalProblem(node, type.ofType, path, scope);
    if (node.values.length > INPUT_LIMITS.maxListLength) {
      return { field: path, message: `must have at most ${INPUT_LIMITS.maxListLength} items` };
    }
    for (let i = 0; i < node.values.length; i++) {
      const problem = literalProblem(node.values[i], type.ofType, `${path}.${i}`, scope);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    if (node.kind !== Kind.OBJECT) return null; // GraphQL's validation reports it
    const fields = type.getFields();
    for (const f of node.fields) {
      const def = fields[f.name.value];
      if (!def) continue;
      const problem = literalProblem(f.value, def.type, `${path}.${f.name.value}`, scope);
      if (problem) return problem;
    }
    return null;
  }
  const named = getNamedType(type);
  if (!isScalarType(named)) return null;
  return scalarLiteralProblem(node, named.name, path);
}

/**
 * A scalar literal. graphql-js validates the built-in scalars, but the gateway's supergraph knows custom
 * scalars by name only and accepts any literal for them: SafeInt and DateTimeISO are checked here.
 */
function scalarLiteralProblem(node: ValueNode, scalar: string, path: string): Problem | null {
  const fail = (message: string) => ({ field: path, message });
  switch (scalar) {
    case 'ID':
      if (node.kind === Kind.INT) return fail('must be a UUID');
      return node.kind === Kind.STRING ? scalarProblem(node.value, 'ID', path) : null;
    case 'String':
      return node.kind === Kind.STRING ? scalarProblem(node.value, 'String', path) : null;
    case 'Float':
      return node.kind === Kind.FLOAT && !Number.isFinite(Number(node.value)) ? fail('must be a finite number') : null;
    case 'SafeInt':
      return node.kind === Kind.INT && Number.isSafeInteger(Number(node.value)) ? null : fail('must be a whole number below 2^53 in size');
    case 'DateTimeISO':
      return node.kind === Kind.STRING ? scalarProblem(node.value, 'DateTimeISO', path) : scalarProblem(null, 'DateTimeISO', path);
    default:
      if (node.kind === Kind.STRING) return anyProblem(node.value, path, 0);
      if (node.kind === Kind.FLOAT && !Number.isFinite(Number(node.value))) return fail('must be a finite number');
      return null;
  }
}

/**
 * Checks every argument of an operation (literals and the variables they use) against its place's type,
 * before anything runs: the first problem is a BAD_USER_INPUT error naming the field (`input.name`,
 * `id`, `filter.niches.3`). Run after validation, so the document is known to fit the schema.
 */
export function checkOperationInputs(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): AppError | null {
  const scope: LiteralScope = {
    variables: variables ?? {},
    defaults: new Map(
      (operation.variableDefinitions ?? []).flatMap((d) => (d.defaultValue ? [[d.variable.name.value, d.defaultValue] as const] : [])),
    ),
  };
  const typeInfo = new TypeInfo(schema);
  let found: Problem | null = null;
  const argumentsOf = (node: ArgumentNode, arg: GraphQLArgument | null | undefined) => {
    // Entity representations (`_entities`) are the gateway's own, made from other subgraphs' answers.
    if (found || !arg || getNamedType(arg.type).name === '_Any') return;
    found = literalProblem(node.value, arg.type, arg.name, scope);
  };
  const visitor = visitWithTypeInfo(typeInfo, {
    Argument: (node) => argumentsOf(node, typeInfo.getArgument()),
  });
  // The operation and the fragments it may spread; other operations of the document do not run.
  for (const def of document.definitions) {
    if (found) break;
    if (def === operation || def.kind === Kind.FRAGMENT_DEFINITION) visit(def, visitor);
  }
  const problem = found as Problem | null;
  return problem ? badInput(problem.field, `Invalid ${problem.field}: ${problem.message}`) : null;
}
