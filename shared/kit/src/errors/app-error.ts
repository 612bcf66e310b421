import { ErrorCode } from './codes';

export interface AppErrorOptions {
  /** The input field at fault, as a dotted path (`input.endDate`). */
  field?: string;
  /** Extra machine-readable facts, e.g. the allowed transitions of an INVALID_STATE error. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** An error meant for the client: its message and code are shown as they are. */
export class AppError extends Error {
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.field = options.field;
    this.details = options.details;
  }
}

export const badInput = (field: string, message: string, details?: Record<string, unknown>) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { field, details });
export const unauthenticated = (message = 'Authentication required: send a valid bearer token') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (entity: string, id: string) =>
  new AppError(ErrorCode.NOT_FOUND, `${entity} ${id} was not found`, { details: { entity, id } });
export const conflict = (message: string, field?: string) => new AppError(ErrorCode.CONFLICT, message, { field });
export const invalidState = (message: string, details?: Record<string, unknown>) =>
  new AppError(ErrorCode.INVALID_STATE, message, { details });
