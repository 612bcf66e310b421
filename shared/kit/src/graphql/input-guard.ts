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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
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
export function valueProblem(value: unknown, type: GraphQLInputType, path: string): { field: string; message: string } | null {
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

function scalarProblem(value: unknown, scalar: string, path: string): { field: string; message: string } | null {
  const fail = (message: string) => ({ field: path, message });
  switch (scalar) {
    case 'ID':
      if (typeof value !== 'string' || !UUID.test(value)) return fail('must be a UUID');
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
    default:
      return anyProblem(value, path);
  }
}

/** Custom scalars (dates, JSON): whatever they parse, the strings inside them obey the string rules. */
function anyProblem(value: unknown, path: string): { field: string; message: string } | null {
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    return problem ? { field: path, message: problem } : null;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { field: path, message: 'must be a finite number' };
  if (Array.isArray(value)) {
    if (value.length > INPUT_LIMITS.maxListLength) return { field: path, message: `must have at most ${INPUT_LIMITS.maxListLength} items` };
    for (let i = 0; i < value.length; i++) {
      const problem = anyProblem(value[i], `${path}.${i}`);
      if (problem) return problem;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const problem = anyProblem(v, `${path}.${k}`);
      if (problem) return problem;
    }
  }
  return null;
}

/** A literal in the document, checked like a value; variables inside it are looked up and checked too. */
function literalProblem(
  node: ValueNode,
  type: GraphQLInputType,
  path: string,
  variables: Record<string, unknown>,
): { field: string; message: string } | null {
  if (node.kind === Kind.VARIABLE) {
    // A variable left out is GraphQL's to report (or to default); one given is checked where it is used.
    const value = variables[node.name.value];
    return value === undefined ? null : valueProblem(value, type, path);
  }
  if (isNonNullType(type)) return literalProblem(node, type.ofType, path, variables);
  if (node.kind === Kind.NULL) return null;
  if (isListType(type)) {
    if (node.kind !== Kind.LIST) return literalProblem(node, type.ofType, path, variables);
    if (node.values.length > INPUT_LIMITS.maxListLength) {
      return { field: path, message: `must have at most ${INPUT_LIMITS.maxListLength} items` };
    }
    for (let i = 0; i < node.values.length; i++) {
      const problem = literalProblem(node.values[i], type.ofType, `${path}.${i}`, variables);
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
      const problem = literalProblem(f.value, def.type, `${path}.${f.name.value}`, variables);
      if (problem) return problem;
    }
    return null;
  }
  const named = getNamedType(type);
  if (!isScalarType(named)) return null;
  switch (node.kind) {
    case Kind.STRING:
      return scalarProblem(node.value, named.name === 'ID' || named.name === 'String' ? named.name : 'custom', path);
    case Kind.INT:
      return named.name === 'ID' ? { field: path, message: 'must be a UUID' } : null;
    case Kind.FLOAT:
      return Number.isFinite(Number(node.value)) ? null : { field: path, message: 'must be a finite number' };
    default:
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
  const vars = variables ?? {};
  const typeInfo = new TypeInfo(schema);
  let found: { field: string; message: string } | null = null;
  const argumentsOf = (node: ArgumentNode, arg: GraphQLArgument | null | undefined) => {
    if (found || !arg) return;
    found = literalProblem(node.value, arg.type, arg.name, vars);
  };
  const visitor = visitWithTypeInfo(typeInfo, {
    Argument: (node) => argumentsOf(node, typeInfo.getArgument()),
  });
  // The operation and the fragments it may spread; other operations of the document do not run.
  for (const def of document.definitions) {
    if (found) break;
    if (def === operation || def.kind === Kind.FRAGMENT_DEFINITION) visit(def, visitor);
  }
  const problem = found as { field: string; message: string } | null;
  return problem ? badInput(problem.field, `Invalid ${problem.field}: ${problem.message}`) : null;
}
