import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError, getMetadataStorage } from 'type-graphql';
import { AppError } from './app-error';
import { ErrorCode } from './codes';
import { InputProblem, MAX_REPORTED_PROBLEMS } from './input-problems';
import { violations } from './argument-problems';
import type { Logger } from '../logging/logger';

const PASS_THROUGH_CODES = new Set<string>(Object.values(ErrorCode));
/**
 * The automatic persisted queries protocol's answers: a client resends the operation's text on
 * PERSISTED_QUERY_NOT_FOUND, so that code reaches it as it is (within the class of bad input).
 */
const PERSISTED_QUERY_CODES = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);
/** Apollo's and graphql-js's own codes for malformed requests: the client's fault, stated as bad input. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // The gateway's query planner on an operation it cannot plan (unknown operation name, …).
  'INVALID_GRAPHQL',
]);

interface ValidationErrorLike {
  property: string;
  target?: object;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

/**
 * By convention a mutation takes its input object as the argument `input`; class-validator reports
 * the object's properties only, so fields of an input object are named `input.<property>`.
 */
const INPUT_ARGUMENT = 'input';

function isInputObject(target: object | undefined): boolean {
  return !!target && getMetadataStorage().inputTypes.some((t) => t.target === target.constructor);
}

/**
 * PostgreSQL errors that mean the client sent a value the schema refuses. Services validate first; this is
 * the second line of defence, so a value that slipped through is the client's BAD_USER_INPUT, not INTERNAL
 * (and it is logged as a warning: the validation that should have caught it is missing).
 */
const CLIENT_FAULT_SQLSTATES: Record<string, string> = {
  '22009': 'is out of range',
  '23514': 'is not an allowed value',
  '23502': 'is required',
  '23503': 'refers to something that does not exist',
  '22P02': 'is not in the expected format',
  '22001': 'is too long',
  '22003': 'is out of range',
  '22007': 'is not a valid date or time',
  '22008': 'is not a valid date or time',
  '22021': 'holds characters that cannot be stored',
  '54000': 'is too large',
};

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The input field a database error is about, when the column (or a `<table>_<column>_check` name) says. */
function fieldOfDatabaseError(err: { column?: string; constraint?: string; table?: string }): string | undefined {
  if (err.column) return `input.${camel(err.column)}`;
  const m = err.constraint && err.table ? new RegExp(`^${err.table}_(.+)_(check|not_null|fkey)$`).exec(err.constraint) : null;
  return m ? `input.${camel(m[1])}` : undefined;
}

const MAX_MESSAGE = 300;
const MAX_QUOTED = 64;

/**
 * A message as a client may see it: graphql-js echoes the offending value ("got invalid value …",
 * "found …", "cannot represent …: <value>") and names whatever was sent in quotes; none of that is sent
 * back at length. Quoted parts are cut to 64 characters and the whole message to 300.
 */
export function boundedMessage(message: string): string {
  const text = message
    .replace(/^(Variable "\$[^"]{1,64}") got invalid value[\s\S]*$/, '$1 has an invalid value.')
    .replace(/^(Expected value of type "[^"]{1,200}"), found[\s\S]*$/, '$1.')
    .replace(/^([\w![\]]{1,100} cannot represent [^:]{0,80}?)(?::[\s\S]*)?$/, '$1.')
    .replace(/"([^"]{65,})"/g, (_m, quoted: string) => `"${quoted.slice(0, MAX_QUOTED - 1)}…"`);
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

const bounded = (v: unknown) => (typeof v === 'string' && v.length > MAX_QUOTED ? `${v.slice(0, MAX_QUOTED - 1)}…` : v);

/**
 * Details of an error (an entity id, the allowed moves): strings in them are bounded like messages, and a
 * list of input problems is cut to MAX_REPORTED_PROBLEMS (with `problemsOmitted` saying how many more).
 */
function boundedDetails(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!details) return details;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (k === 'problems' && Array.isArray(v)) {
      out.problems = (v as InputProblem[])
        .slice(0, MAX_REPORTED_PROBLEMS)
        .map((p) => ({ field: bounded(p.field), reason: boundedMessage(String(p.reason)) }));
      if (v.length > MAX_REPORTED_PROBLEMS) out.problemsOmitted = v.length - MAX_REPORTED_PROBLEMS;
    } else {
      out[k] = bounded(v);
    }
  }
  return out;
}

/** The variable a graphql-js coercion error is about (`Variable "$input" got invalid value …`). */
function variableOf(message: string): string | undefined {
  return /^Variable "\$([A-Za-z_][A-Za-z0-9_]{0,63})"/.exec(message)?.[1];
}

export interface ClientErrorOptions {
  /** Production strips what names the insides: which subgraph answered. */
  production?: boolean;
}

/**
 * The one place that turns any thrown error into what a client sees. Known errors keep their code,
 * message and field; anything else becomes INTERNAL with a generic message (the original is logged
 * with the request id, never sent). Messages never echo input at length (`boundedMessage`).
 */
export function toClientError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logger?: Logger,
  options: ClientErrorOptions = {},
): GraphQLFormattedError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const base = { locations: formatted.locations, path: formatted.path };

  if (original instanceof AppError) {
    return {
      ...base,
      message: boundedMessage(original.message),
      extensions: { code: original.code, ...(original.field ? { field: original.field } : {}), ...boundedDetails(original.details) },
    };
  }
  if (original instanceof ArgumentValidationError) {
    const errors = original.extensions.validationErrors as ValidationErrorLike[];
    const problems = violations(errors, isInputObject(errors[0]?.target) ? [INPUT_ARGUMENT] : []);
    const [first] = problems;
    return {
      ...base,
      message: boundedMessage(first ? `Invalid ${first.field}: ${first.reason}` : 'Invalid input'),
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        ...(first ? { field: first.field } : {}),
        ...(problems.length > 1 ? boundedDetails({ problems }) : {}),
      },
    };
  }
  const pgError = original as { code?: string; column?: string; constraint?: string; table?: string } | undefined;
  const pgCode = pgError?.code;
  if (pgCode === '23505') {
    return { ...base, message: 'This value is already taken', extensions: { code: ErrorCode.CONFLICT } };
  }
  if (pgCode && Object.hasOwn(CLIENT_FAULT_SQLSTATES, pgCode) && (original as Error).name === 'QueryFailedError') {
    const field = fieldOfDatabaseError(pgError);
    logger?.warn({ sqlstate: pgCode, constraint: pgError.constraint, table: pgError.table }, 'the database refused a client value');
    return {
      ...base,
      message: `${field ? `Invalid ${field}: it` : 'A value'} ${CLIENT_FAULT_SQLSTATES[pgCode]}`,
      extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
    };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && PASS_THROUGH_CODES.has(code)) {
    // Already a client error (e.g. relayed by the gateway from a subgraph): keep it, bounded.
    const { serviceName: _service, ...extensions } = formatted.extensions ?? {};
    return {
      ...formatted,
      message: boundedMessage(formatted.message),
      extensions: options.production ? extensions : formatted.extensions,
    };
  }
  const variable = variableOf(formatted.message);
  // Apollo marks request errors it raises itself (a persisted query's hash that does not match) by status.
  const httpStatus = (error as GraphQLError | undefined)?.extensions?.http as { status?: number } | undefined;
  const refusedRequest = error instanceof GraphQLError && !!httpStatus?.status && httpStatus.status >= 400 && httpStatus.status < 500;
  if (
    (code && REQUEST_ERROR_CODES.has(code)) ||
    variable ||
    refusedRequest ||
    (!code && error instanceof GraphQLError && !error.originalError)
  ) {
    // Malformed requests, and graphql-js validation/coercion errors (which carry no code of their own).
    return {
      ...base,
      message: boundedMessage(formatted.message),
      extensions: {
        code: code && PERSISTED_QUERY_CODES.has(code) ? code : ErrorCode.BAD_USER_INPUT,
        ...(variable ? { field: variable } : {}),
      },
    };
  }
  logger?.error({ err: original }, 'unexpected error');
  return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL } };
}
