import { AppError, ErrorCode } from '@influenceflow/kit';
import { refusedMoves } from '@influenceflow/kit/testing';
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
    const refused = refusedMoves((f, t, a) => deliverableMachine.assert(f, t, a), Object.values(S), ['brand', 'creator'] as const, ALLOWED);
    for (const { from, actor, error } of refused) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: ErrorCode.INVALID_STATE });
      expect((error as AppError).details?.allowed).toEqual(ALLOWED.filter(([f, , a]) => f === from && a === actor).map(([, t]) => t));
    }
    expect(refused).toHaveLength(6 * 6 * 2 - ALLOWED.length);
  });

  it('names the events, a second draft apart from the first', () => {
    expect(deliverableEventType(S.PLANNED, S.SUBMITTED)).toBe('deliverable.submitted');
    expect(deliverableEventType(S.CHANGES_REQUESTED, S.SUBMITTED)).toBe('deliverable.resubmitted');
    expect(deliverableEventType(S.SUBMITTED, S.CHANGES_REQUESTED)).toBe('deliverable.changes-requested');
    expect(deliverableEventType(S.APPROVED, S.POSTED)).toBe('deliverable.posted');
  });
});
