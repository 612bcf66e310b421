import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError, getMetadataStorage } from 'type-graphql';
import { AppError } from './app-error';
import { ErrorCode } from './codes';
import type { Logger } from '../logging/logger';

const PASS_THROUGH_CODES = new Set<string>(Object.values(ErrorCode));
/** Apollo's and graphql-js's own codes for malformed requests: the client's fault, stated as bad input. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

interface ValidationErrorLike {
  property: string;
  target?: object;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function firstViolation(errors: ValidationErrorLike[], path: string[] = []): { field: string; message: string } | null {
  for (const e of errors) {
    const here = [...path, e.property];
    if (e.constraints && Object.keys(e.constraints).length > 0) {
      return { field: here.join('.'), message: Object.values(e.constraints)[0] };
    }
    const nested = firstViolation(e.children ?? [], here);
    if (nested) return nested;
  }
  return null;
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
 * The one place that turns any thrown error into what a client sees. Known errors keep their code,
 * message and field; anything else becomes INTERNAL with a generic message (the original is logged
 * with the request id, never sent).
 */
export function toClientError(formatted: GraphQLFormattedError, error: unknown, logger?: Logger): GraphQLFormattedError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const base = { locations: formatted.locations, path: formatted.path };

  if (original instanceof AppError) {
    return {
      ...base,
      message: original.message,
      extensions: { code: original.code, ...(original.field ? { field: original.field } : {}), ...original.details },
    };
  }
  if (original instanceof ArgumentValidationError) {
    const errors = original.extensions.validationErrors as ValidationErrorLike[];
    const violation = firstViolation(errors, isInputObject(errors[0]?.target) ? [INPUT_ARGUMENT] : []);
    return {
      ...base,
      message: violation ? `Invalid ${violation.field}: ${violation.message}` : 'Invalid input',
      extensions: { code: ErrorCode.BAD_USER_INPUT, ...(violation ? { field: violation.field } : {}) },
    };
  }
  const pgCode = (original as { code?: string } | undefined)?.code;
  if (pgCode === '23505') {
    return { ...base, message: 'This value is already taken', extensions: { code: ErrorCode.CONFLICT } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && PASS_THROUGH_CODES.has(code)) {
    // Already a client error (e.g. relayed by the gateway from a subgraph): keep it as it is.
    return formatted;
  }
  if (code && REQUEST_ERROR_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  if (!code && error instanceof GraphQLError && !error.originalError) {
    // graphql-js validation/coercion errors (e.g. a bad enum value in variables) carry no code.
    return { ...base, message: formatted.message, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  logger?.error({ err: original }, 'unexpected error');
  return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL } };
}
