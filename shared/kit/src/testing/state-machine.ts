/**
 * Every move between `statuses` by each of `actors` that `allowed` does not list, with what `assert`
 * threw for it (null when it did not throw), so a test can check each refusal.
 */
export function refusedMoves<S extends string, A extends string>(
  assert: (from: S, to: S, actor: A) => void,
  statuses: readonly S[],
  actors: readonly A[],
  allowed: readonly (readonly [S, S, A])[],
): { from: S; to: S; actor: A; error: unknown }[] {
  const moves: { from: S; to: S; actor: A; error: unknown }[] = [];
  for (const from of statuses) {
    for (const to of statuses) {
      for (const actor of actors) {
        if (allowed.some(([f, t, a]) => f === from && t === to && a === actor)) continue;
        let error: unknown = null;
        try {
          assert(from, to, actor);
        } catch (err) {
          error = err;
        }
        moves.push({ from, to, actor, error });
      }
    }
  }
  return moves;
}
