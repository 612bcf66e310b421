import { StateMachine } from '@influenceflow/kit';

export enum PartnershipStatus {
  INVITED = 'invited',
  ACCEPTED = 'accepted',
  DECLINED = 'declined',
  CONTRACTED = 'contracted',
  ACTIVE = 'active',
  PAUSED = 'paused',
  COMPLETED = 'completed',
  TERMINATED = 'terminated',
}

/** Who moves a partnership: its brand, its creator, or the system (an event from another service). */
export type PartnershipActor = 'brand' | 'creator' | 'system';

/**
 * invite → accepted / declined → contracted → active → completed / terminated (docs/campaign.md), with the
 * crisis moves: an active partnership can be paused and resumed, and anything not final can be ended
 * (terminated) by the brand. The creator answers an invitation; contracted comes from contract.executed.
 */
export const PARTNERSHIP_TRANSITIONS: Record<PartnershipStatus, Partial<Record<PartnershipStatus, PartnershipActor>>> = {
  [PartnershipStatus.INVITED]: {
    [PartnershipStatus.ACCEPTED]: 'creator',
    [PartnershipStatus.DECLINED]: 'creator',
    [PartnershipStatus.TERMINATED]: 'brand',
  },
  [PartnershipStatus.ACCEPTED]: { [PartnershipStatus.CONTRACTED]: 'system', [PartnershipStatus.TERMINATED]: 'brand' },
  [PartnershipStatus.CONTRACTED]: { [PartnershipStatus.ACTIVE]: 'brand', [PartnershipStatus.TERMINATED]: 'brand' },
  [PartnershipStatus.ACTIVE]: {
    [PartnershipStatus.PAUSED]: 'brand',
    [PartnershipStatus.COMPLETED]: 'brand',
    [PartnershipStatus.TERMINATED]: 'brand',
  },
  [PartnershipStatus.PAUSED]: { [PartnershipStatus.ACTIVE]: 'brand', [PartnershipStatus.TERMINATED]: 'brand' },
  [PartnershipStatus.DECLINED]: {},
  [PartnershipStatus.COMPLETED]: {},
  [PartnershipStatus.TERMINATED]: {},
};

/** Moves that need a reason the other side reads (crisis handling, a declined invitation is optional). */
export const REASON_REQUIRED: ReadonlySet<PartnershipStatus> = new Set([PartnershipStatus.PAUSED, PartnershipStatus.TERMINATED]);

export const partnershipMachine = new StateMachine<PartnershipStatus, PartnershipActor>('partnership', PARTNERSHIP_TRANSITIONS);

/** Checks a move and who makes it; a refused one is INVALID_STATE naming the moves this actor has. */
export function assertPartnershipTransition(from: PartnershipStatus, to: PartnershipStatus, actor: PartnershipActor): void {
  partnershipMachine.assert(from, to, actor);
}

/** The event announcing a move into `to`. */
export function partnershipEventType(from: PartnershipStatus | null, to: PartnershipStatus): string {
  if (to === PartnershipStatus.ACTIVE) return from === PartnershipStatus.PAUSED ? 'partnership.resumed' : 'partnership.activated';
  return `partnership.${to}`;
}
