import { AppError, ErrorCode } from '@influenceflow/kit';
import { refusedMoves } from '@influenceflow/kit/testing';
import { AttemptStatus, attemptMachine, PayoutActor, payoutMachine, PayoutStatus } from './payout-status';

const ALLOWED: [PayoutStatus, PayoutStatus, PayoutActor][] = [
  [PayoutStatus.PENDING, PayoutStatus.SUCCEEDED, 'system'],
  [PayoutStatus.PENDING, PayoutStatus.SUCCEEDED, 'admin'],
  [PayoutStatus.PENDING, PayoutStatus.FAILED, 'system'],
  [PayoutStatus.PENDING, PayoutStatus.FAILED, 'admin'],
  [PayoutStatus.FAILED, PayoutStatus.PENDING, 'system'],
  [PayoutStatus.FAILED, PayoutStatus.PENDING, 'admin'],
  [PayoutStatus.SUCCEEDED, PayoutStatus.REVERSED, 'admin'],
];

describe('the payout state machine', () => {
  it('allows exactly the moves of docs/payments.md', () => {
    for (const [from, to, actor] of ALLOWED) expect(() => payoutMachine.assert(from, to, actor)).not.toThrow();
  });

  it('refuses every other move with INVALID_STATE naming what is allowed', () => {
    const refused = refusedMoves(
      (from, to, actor) => payoutMachine.assert(from, to, actor),
      Object.values(PayoutStatus),
      ['system', 'admin'] as PayoutActor[],
      ALLOWED,
    );
    expect(refused.length).toBe(4 * 4 * 2 - ALLOWED.length);
    for (const move of refused) {
      expect(move.error).toBeInstanceOf(AppError);
      expect((move.error as AppError).code).toBe(ErrorCode.INVALID_STATE);
      expect((move.error as AppError).details).toMatchObject({ from: move.from, to: move.to });
    }
  });

  it('never lets the system reverse a payout, nor anything leave REVERSED', () => {
    expect(() => payoutMachine.assert(PayoutStatus.SUCCEEDED, PayoutStatus.REVERSED, 'system')).toThrow(/only the admin/);
    expect(payoutMachine.allowed(PayoutStatus.REVERSED, 'admin')).toEqual([]);
    expect(payoutMachine.allowed(PayoutStatus.SUCCEEDED, 'system')).toEqual([]);
  });
});

describe('the attempt state machine', () => {
  const ALLOWED_ATTEMPT: [AttemptStatus, AttemptStatus, 'system'][] = [
    [AttemptStatus.QUEUED, AttemptStatus.SENDING, 'system'],
    [AttemptStatus.SENDING, AttemptStatus.AWAITING_CONFIRMATION, 'system'],
    [AttemptStatus.SENDING, AttemptStatus.SUCCEEDED, 'system'],
    [AttemptStatus.SENDING, AttemptStatus.FAILED, 'system'],
    [AttemptStatus.AWAITING_CONFIRMATION, AttemptStatus.SUCCEEDED, 'system'],
    [AttemptStatus.AWAITING_CONFIRMATION, AttemptStatus.FAILED, 'system'],
  ];

  it('goes to the provider only from QUEUED, and records an outcome only once', () => {
    const refused = refusedMoves(
      (from, to, actor) => attemptMachine.assert(from, to, actor),
      Object.values(AttemptStatus),
      ['system'] as const,
      ALLOWED_ATTEMPT,
    );
    expect(refused.length).toBe(5 * 5 - ALLOWED_ATTEMPT.length);
    for (const move of refused) expect((move.error as AppError).code).toBe(ErrorCode.INVALID_STATE);
    expect(refused.map((m) => `${m.from}>${m.to}`)).toEqual(
      expect.arrayContaining(['SUCCEEDED>FAILED', 'FAILED>SUCCEEDED', 'QUEUED>SUCCEEDED', 'SUCCEEDED>SENDING']),
    );
  });
});
