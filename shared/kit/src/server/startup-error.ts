/** A reason a process cannot start, told to the operator as one message (what, where, how to fix). */
export class StartupError extends Error {
  override name = 'StartupError';
}
