import { AppError, ErrorCode } from '@influenceflow/kit';
import { DeliverableActor, deliverableEventType, deliverableMachine, DeliverableStatus as S } from './deliverable-status';

const ALLOWED: [S, S, DeliverableActor][] = [
  [S.PLANNED, S.SUBMITTED, 'creator'],
  [S.SUBMITTED, S.CHANGES_REQUESTED, 'brand'],
  [S.SUBMITTED, S.APPROVED, 'brand'],
  [S.CHANGES_REQUESTED, S.SUBMITTED, 'creator'],
  [S.APPROVED, S.POSTED, 'creator'],
  [S.POSTED, S.VERIFIED, 'brand'],
];

describe('deliverable status machine', () => {
  it.each(ALLOWED)('%s → %s by the %s', (from, to, actor) => {
    expect(() => deliverableMachine.assert(from, to, actor)).not.toThrow();
  });

  it('refuses every other move with INVALID_STATE and the moves that actor has', () => {
    let refused = 0;
    for (const from of Object.values(S)) {
      for (const to of Object.values(S)) {
        for (const actor of ['brand', 'creator'] as const) {
          if (ALLOWED.some(([f, t, a]) => f === from && t === to && a === actor)) continue;
          let error: unknown;
          try {
            deliverableMachine.assert(from, to, actor);
          } catch (err) {
            error = err;
          }
          expect(error).toBeInstanceOf(AppError);
          expect(error).toMatchObject({ code: ErrorCode.INVALID_STATE });
          expect((error as AppError).details?.allowed).toEqual(ALLOWED.filter(([f, , a]) => f === from && a === actor).map(([, t]) => t));
          refused++;
        }
      }
    }
    expect(refused).toBe(6 * 6 * 2 - ALLOWED.length);
  });

  it('names the events, a second draft apart from the first', () => {
    expect(deliverableEventType(S.PLANNED, S.SUBMITTED)).toBe('deliverable.submitted');
    expect(deliverableEventType(S.CHANGES_REQUESTED, S.SUBMITTED)).toBe('deliverable.resubmitted');
    expect(deliverableEventType(S.SUBMITTED, S.CHANGES_REQUESTED)).toBe('deliverable.changes-requested');
    expect(deliverableEventType(S.APPROVED, S.POSTED)).toBe('deliverable.posted');
  });
});
