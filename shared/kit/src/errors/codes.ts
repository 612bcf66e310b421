/** The stable `extensions.code` values a client can rely on; what each means is in docs/errors.md. */
export enum ErrorCode {
  /** The HTTP request itself is not a GraphQL request we can read (body, media type, size). */
  BAD_REQUEST = 'BAD_REQUEST',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  INVALID_STATE = 'INVALID_STATE',
  RATE_LIMITED = 'RATE_LIMITED',
  /** A service outside the platform (an API we call for the client) failed or answered what we cannot read. */
  UPSTREAM_FAILED = 'UPSTREAM_FAILED',
  /**
   * One of the platform's own services did not answer the gateway (refused, timed out, failed, answered
   * what is not GraphQL): the error's `path` is the part missing; the rest of the answer is there.
   */
  SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  RATE_LIMITED: 429,
  UPSTREAM_FAILED: 502,
  // a GraphQL answer with a missing part is still a 200; this is for routes that proxy one service alone
  SUBGRAPH_UNAVAILABLE: 503,
  INTERNAL: 500,
};
