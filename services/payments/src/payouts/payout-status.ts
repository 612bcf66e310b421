import { StateMachine } from '@influenceflow/kit';

/** Where a payout is (docs/payments.md, "States"). */
export enum PayoutStatus {
  /** An attempt is on its way: queued, with the provider, or waiting for an admin's confirmation (manual). */
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  /** The latest attempt failed: a retry follows at `nextRetryAt`, unless it was the last one (final). */
  FAILED = 'FAILED',
  /** Succeeded, then the money came back (an admin recorded it): it is owed to the creator again. */
  REVERSED = 'REVERSED',
}

/** Who moves a payout: the system (the worker, the provider's answer) or an admin (manual transfers, reversals). */
export type PayoutActor = 'system' | 'admin';

/**
 * PENDING → SUCCEEDED / FAILED (the provider's answer; for the manual provider, an admin's), FAILED →
 * PENDING (a retry: the worker, or an admin retrying a final failure), SUCCEEDED → REVERSED (an admin).
 */
export const PAYOUT_TRANSITIONS: Record<PayoutStatus, Partial<Record<PayoutStatus, PayoutActor | PayoutActor[]>>> = {
  [PayoutStatus.PENDING]: { [PayoutStatus.SUCCEEDED]: ['system', 'admin'], [PayoutStatus.FAILED]: ['system', 'admin'] },
  [PayoutStatus.FAILED]: { [PayoutStatus.PENDING]: ['system', 'admin'] },
  [PayoutStatus.SUCCEEDED]: { [PayoutStatus.REVERSED]: 'admin' },
  [PayoutStatus.REVERSED]: {},
};

export const payoutMachine = new StateMachine<PayoutStatus, PayoutActor>('payout', PAYOUT_TRANSITIONS);

/** Where one attempt is: its claim before the provider call is what makes the call happen at most once. */
export enum AttemptStatus {
  /** Recorded, its money in provider clearing; not yet claimed by a worker. */
  QUEUED = 'QUEUED',
  /** Claimed by a worker, which is calling the provider. */
  SENDING = 'SENDING',
  /** The provider took it and answers later (manual: an admin confirms or fails it). */
  AWAITING_CONFIRMATION = 'AWAITING_CONFIRMATION',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/** The attempt moves, all the system's (the worker, the sweeper, an admin's confirmation through the service). */
export const ATTEMPT_TRANSITIONS: Record<AttemptStatus, Partial<Record<AttemptStatus, 'system'>>> = {
  [AttemptStatus.QUEUED]: { [AttemptStatus.SENDING]: 'system' },
  [AttemptStatus.SENDING]: {
    [AttemptStatus.AWAITING_CONFIRMATION]: 'system',
    [AttemptStatus.SUCCEEDED]: 'system',
    [AttemptStatus.FAILED]: 'system',
  },
  [AttemptStatus.AWAITING_CONFIRMATION]: { [AttemptStatus.SUCCEEDED]: 'system', [AttemptStatus.FAILED]: 'system' },
  [AttemptStatus.SUCCEEDED]: {},
  [AttemptStatus.FAILED]: {},
};

export const attemptMachine = new StateMachine<AttemptStatus, 'system'>('payout attempt', ATTEMPT_TRANSITIONS);

/** Attempts whose outcome is not recorded yet: an outcome may still be recorded for them. */
export const OPEN_ATTEMPT: readonly AttemptStatus[] = [AttemptStatus.SENDING, AttemptStatus.AWAITING_CONFIRMATION];
