import { AppError, badInput } from './app-error';
import { ErrorCode } from './codes';

/** One refused input field: its dotted path (`input.budget.amountMinor`) and why. */
export interface InputProblem {
  field: string;
  reason: string;
}

/** A client sees at most this many problems of one request (the rest are counted). */
export const MAX_REPORTED_PROBLEMS = 50;

/**
 * Collects every refused field of an input, so a mutation with several bad fields says so in one response:
 * BAD_USER_INPUT naming the first field in `field` and all of them in `extensions.problems`.
 *
 *   const problems = new InputProblems();
 *   const name = problems.check(() => text(input.name, 'input.name'));
 *   const fee = problems.check(() => parseMoneyInput(input.fee, 'input.fee'));
 *   problems.throwIfAny();           // before anything is written
 *
 * `check` runs a validator that throws the kit's `badInput` and collects what it throws; any other
 * error (a bug, a database failure) passes through.
 */
export class InputProblems {
  private readonly found: InputProblem[] = [];
  /** Fields refused already (by their argument's constraints): later problems of them are not repeated. */
  private readonly settled: ReadonlySet<string>;
  /** What the first problem's validator said besides its message (e.g. `variables`), kept in the error's extensions. */
  private firstDetails: Record<string, unknown> = {};

  /** `refused`: problems found before (class-validator's, see RequestContext.inputProblems), listed first. */
  constructor(refused: readonly InputProblem[] = []) {
    this.found.push(...refused);
    this.settled = new Set(refused.map((p) => p.field));
  }

  add(field: string, reason: string): void {
    if (this.settled.has(field)) return;
    this.found.push({ field, reason });
  }

  check<T>(validate: () => T): T | undefined {
    try {
      return validate();
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== ErrorCode.BAD_USER_INPUT) throw err;
      const nested = err.details?.problems as InputProblem[] | undefined;
      if (Array.isArray(nested) && nested.length > 0) nested.forEach((p) => this.add(p.field, p.reason));
      else {
        if (this.found.length === 0) {
          const { problems: _ignored, ...rest } = err.details ?? {};
          this.firstDetails = rest;
        }
        this.add(err.field ?? 'input', err.message);
      }
      return undefined;
    }
  }

  get any(): boolean {
    return this.found.length > 0;
  }

  get list(): readonly InputProblem[] {
    return this.found;
  }

  /** Throws BAD_USER_INPUT with every problem found so far, or returns when there is none. */
  throwIfAny(): void {
    if (this.found.length === 0) return;
    throw inputProblemsError(this.found, this.firstDetails);
  }
}

/** The BAD_USER_INPUT of several problems: the first one's field and reason, and all of them listed. */
export function inputProblemsError(problems: readonly InputProblem[], firstDetails: Record<string, unknown> = {}): AppError {
  const [first] = problems;
  const message = problems.length === 1 ? first.reason : `${first.reason} (and ${problems.length - 1} more: see problems)`;
  return badInput(first.field, message, { ...firstDetails, problems: [...problems] });
}
