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
export function stringProblem(value: string, maxLength: number = INPUT_LIMITS.maxStringLength): string | null {
  if (value.length > maxLength) return `must be at most ${maxLength.toLocaleString('en-US')} characters`;
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it holds a lone surrogate)';
  return null;
}

/**
 * Checks a value (as sent in variables) against the input type of the place it is used, and collects every
 * problem with its dotted path. It also does what GraphQL's own coercion would refuse, so that such errors
 * carry the field and never echo the value back.
 */
type Problem = { field: string; message: string };

export function valueProblems(value: unknown, type: GraphQLInputType, path: string, out: Problem[]): void {
  if (isNonNullType(type)) {
    if (value === null || value === undefined) out.push({ field: path, message: `is required (${String(type)})` });
    else valueProblems(value, type.ofType, path, out);
    return;
  }
  if (value === null || value === undefined) return;
  if (isListType(type)) {
    // A single value where a list is expected is coerced to a list of one (GraphQL's rule).
    if (!Array.isArray(value)) return valueProblems(value, type.ofType, path, out);
    if (value.length > INPUT_LIMITS.maxListLength) {
      out.push({ field: path, message: `must have at most ${INPUT_LIMITS.maxListLength} items` });
      return;
    }
    for (let i = 0; i < value.length; i++) valueProblems(value[i], type.ofType, `${path}.${i}`, out);
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ field: path, message: `must be an object (${type.name})` });
      return;
    }
    const fields = type.getFields();
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(fields, key)) {
        out.push({ field: path, message: `has no field named ${key.length <= 64 ? `"${key}"` : 'like this'} (${type.name})` });
      }
    }
    for (const field of Object.values(fields)) {
      const fieldValue = (value as Record<string, unknown>)[field.name];
      if (fieldValue === undefined && field.defaultValue !== undefined) continue; // GraphQL applies the default
      valueProblems(fieldValue, field.type, `${path}.${field.name}`, out);
    }
    return;
  }
  if (isEnumType(type)) {
    if (typeof value !== 'string' || !type.getValue(value)) {
      out.push({
        field: path,
        message: `must be one of ${type
          .getValues()
          .map((v) => v.name)
          .join(', ')}`,
      });
    }
    return;
  }
  const problem = scalarProblem(value, type.name, path);
  if (problem) out.push(problem);
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
function anyProblems(value: unknown, path: string, depth: number, out: Problem[]): void {
  if (depth > MAX_NESTING) {
    out.push({ field: path, message: `must not nest deeper than ${MAX_NESTING} levels` });
    return;
  }
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) out.push({ field: path, message: problem });
    return;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    out.push({ field: path, message: 'must be a finite number' });
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > INPUT_LIMITS.maxListLength) {
      out.push({ field: path, message: `must have at most ${INPUT_LIMITS.maxListLength} items` });
      return;
    }
    for (let i = 0; i < value.length; i++) anyProblems(value[i], `${path}.${i}`, depth + 1, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) anyProblems(v, `${path}.${k}`, depth + 1, out);
  }
}

/** The first problem anyProblems finds, or null (for one scalar value). */
function anyProblem(value: unknown, path: string, depth: number): Problem | null {
  const out: Problem[] = [];
  anyProblems(value, path, depth, out);
  return out[0] ?? null;
}

/** What a literal is checked with: the request's variables and the defaults the operation declares. */
interface LiteralScope {
  variables: Record<string, unknown>;
  defaults: Map<string, ValueNode>;
}

/** A literal in the document, checked like a value; variables inside it are looked up and checked too. */
function literalProblems(node: ValueNode, type: GraphQLInputType, path: string, scope: LiteralScope, out: Problem[]): void {
  if (node.kind === Kind.VARIABLE) {
    // A variable given is checked where it is used; one left out by its default (a literal of the
    // document like any other), or, without one, by GraphQL (which reports it missing).
    const value = scope.variables[node.name.value];
    if (value !== undefined) return valueProblems(value, type, path, out);
    const fallback = scope.defaults.get(node.name.value);
    if (fallback) literalProblems(fallback, type, path, scope, out);
    return;
  }
  if (isNonNullType(type)) return literalProblems(node, type.ofType, path, scope, out);
  if (node.kind === Kind.NULL) return;
  if (isListType(type)) {
    if (node.kind !== Kind.LIST) return literalProblems(node, type.ofType, path, scope, out);
    if (node.values.length > INPUT_LIMITS.maxListLength) {
      out.push({ field: path, message: `must have at most ${INPUT_LIMITS.maxListLength} items` });
      return;
    }
    for (let i = 0; i < node.values.length; i++) literalProblems(node.values[i], type.ofType, `${path}.${i}`, scope, out);
    return;
  }
  if (isInputObjectType(type)) {
    if (node.kind !== Kind.OBJECT) return; // GraphQL's validation reports it
    const fields = type.getFields();
    for (const f of node.fields) {
      const def = fields[f.name.value];
      if (def) literalProblems(f.value, def.type, `${path}.${f.name.value}`, scope, out);
    }
    return;
  }
  const named = getNamedType(type);
  if (!isScalarType(named)) return;
  const problem = scalarLiteralProblem(node, named.name, path);
  if (problem) out.push(problem);
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

type ArgumentPlaces = readonly (readonly [ArgumentNode, GraphQLArgument])[];
const argumentPlaces = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, { document: DocumentNode; places: ArgumentPlaces }>>();

/**
 * The arguments of an operation with their place in the schema, in document order. Finding them takes a
 * walk of the document with TypeInfo, the costliest part of the check; Apollo hands the same parsed
 * document to every request of the same query text, so the walk is remembered per schema and operation
 * (weakly: a document Apollo forgets is forgotten here too). Only the variables differ per request.
 */
function argumentsIn(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): ArgumentPlaces {
  let bySchema = argumentPlaces.get(schema);
  if (!bySchema) argumentPlaces.set(schema, (bySchema = new WeakMap()));
  const known = bySchema.get(operation);
  if (known && known.document === document) return known.places;
  const typeInfo = new TypeInfo(schema);
  const places: [ArgumentNode, GraphQLArgument][] = [];
  const visitor = visitWithTypeInfo(typeInfo, {
    Argument: (node) => {
      const arg = typeInfo.getArgument();
      // Entity representations (`_entities`) are the gateway's own, made from other subgraphs' answers.
      if (arg && getNamedType(arg.type).name !== '_Any') places.push([node, arg]);
    },
  });
  // The operation and the fragments it may spread; other operations of the document do not run.
  for (const def of document.definitions) {
    if (def === operation || def.kind === Kind.FRAGMENT_DEFINITION) visit(def, visitor);
  }
  bySchema.set(operation, { document, places });
  return places;
}

/**
 * Checks every argument of an operation (literals and the variables they use) against its place's type,
 * before anything runs: every problem, each naming its field (`input.name`, `id`, `filter.niches.3`), in one
 * BAD_USER_INPUT error (the first in `field`, all in `problems`). Run after validation, so the document is
 * known to fit the schema. These are problems of shape (a type, a UUID, a size, a NUL byte), refused
 * before anyone's permission is known; the rules of values come later, from the services.
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
  const found: Problem[] = [];
  for (const [node, arg] of argumentsIn(schema, document, operation)) literalProblems(node.value, arg.type, arg.name, scope, found);
  if (found.length === 0) return null;
  // A variable used in several places is one problem per field, not one per use.
  const unique = [...new Map(found.map((p) => [`${p.field}\0${p.message}`, p])).values()];
  const [first] = unique;
  const message = `Invalid ${first.field}: ${first.message}`;
  if (unique.length === 1) return badInput(first.field, message);
  return badInput(first.field, `${message} (and ${unique.length - 1} more: see problems)`, {
    problems: unique.map((p) => ({ field: p.field, reason: p.message })),
  });
}
