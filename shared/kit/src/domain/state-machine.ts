import { AppError, invalidState } from '../errors/app-error';
import { ErrorCode } from '../errors/codes';

/** Who makes a move: one actor, or several (a brand's move the system also makes on its own). */
export type MoveActors<A extends string> = A | readonly A[];

const actorsOf = <A extends string>(who: MoveActors<A> | undefined): readonly A[] =>
  who === undefined ? [] : typeof who === 'string' ? [who as A] : (who as readonly A[]);

/**
 * A status machine whose moves each belong to one actor or a few (a brand, a creator, the system…): the
 * table says, for every status, which statuses it may move to and who makes that move.
 */
export class StateMachine<S extends string, A extends string> {
  constructor(
    /** What the statuses are of, for messages: "partnership", "deliverable". */
    readonly subject: string,
    readonly moves: Record<S, Partial<Record<S, MoveActors<A>>>>,
  ) {}

  /** Who makes the move from `from` to `to` (none: the machine does not allow it). */
  actorsOf(from: S, to: S): readonly A[] {
    return actorsOf(this.moves[from][to]);
  }

  /** The statuses `actor` may move a `from` to. */
  allowed(from: S, actor: A): S[] {
    return (Object.keys(this.moves[from]) as S[]).filter((to) => this.actorsOf(from, to).includes(actor));
  }

  /** Who makes the moves into `to`, from wherever they start. */
  actorsInto(to: S): A[] {
    const actors = new Set<A>();
    for (const targets of Object.values(this.moves) as Partial<Record<S, MoveActors<A>>>[]) {
      for (const who of actorsOf(targets[to])) actors.add(who);
    }
    return [...actors];
  }

  /**
   * Whether `actor` ever makes a move into `to`: checked before the state (and before the input), so a
   * caller on the wrong side hears FORBIDDEN whatever the status is now, never INVALID_STATE.
   */
  assertActor(to: S, actor: A): void {
    const actors = this.actorsInto(to);
    if (actors.includes(actor)) return;
    const message = actors.length
      ? `Only the ${actors.join(' or the ')} moves a ${this.subject} to ${to}`
      : `No one moves a ${this.subject} to ${to}`;
    throw new AppError(ErrorCode.FORBIDDEN, message, { details: { to, actors } });
  }

  /** Checks a move and who makes it; a refused one is INVALID_STATE naming the moves this actor has. */
  assert(from: S, to: S, actor: A): void {
    const owners = this.actorsOf(from, to);
    if (owners.includes(actor)) return;
    const allowed = this.allowed(from, actor);
    const byOthers = owners.length ? ` (only the ${owners.join(' or the ')} makes that move)` : '';
    throw invalidState(
      `A ${this.subject} that is ${from} cannot become ${to}${byOthers}; allowed: ${allowed.length ? allowed.join(', ') : 'none'}`,
      { from, to, allowed },
    );
  }
}
