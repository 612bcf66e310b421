import { MoveActors, StateMachine } from '@influenceflow/kit';

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
 * invite (with counter-offers while invited: whoever did not make the latest offer accepts, declines or
 * counters it, see negotiation/) → accepted / declined → contracted → active → completed / terminated (docs/campaign.md), with the
 * crisis moves: an active partnership can be paused and resumed, and anything not final can be ended
 * (terminated) by the brand. The creator answers an invitation; contracted comes from contract.executed,
 * and a contracted partnership starts (active) by itself once its campaign is live and has begun
 * (`startContractedPartnerships`), or earlier when the brand activates it. A contract terminated ends
 * the partnership (the system's move, from contract.terminated).
 * A declined invitation, or one ended before it was accepted, can be invited again (a new round).
 * The system ends what is still open when its campaign ends (`campaignEndMove`): completing it if it was
 * at work and the campaign completed, else terminating it.
 */
export const PARTNERSHIP_TRANSITIONS: Record<PartnershipStatus, Partial<Record<PartnershipStatus, MoveActors<PartnershipActor>>>> = {
  [PartnershipStatus.INVITED]: {
    [PartnershipStatus.ACCEPTED]: ['creator', 'brand'],
    [PartnershipStatus.DECLINED]: ['creator', 'brand'],
    [PartnershipStatus.TERMINATED]: ['brand', 'system'],
  },
  [PartnershipStatus.ACCEPTED]: { [PartnershipStatus.CONTRACTED]: 'system', [PartnershipStatus.TERMINATED]: ['brand', 'system'] },
  [PartnershipStatus.CONTRACTED]: {
    [PartnershipStatus.ACTIVE]: ['brand', 'system'],
    [PartnershipStatus.TERMINATED]: ['brand', 'system'],
  },
  [PartnershipStatus.ACTIVE]: {
    [PartnershipStatus.PAUSED]: 'brand',
    [PartnershipStatus.COMPLETED]: ['brand', 'system'],
    [PartnershipStatus.TERMINATED]: ['brand', 'system'],
  },
  [PartnershipStatus.PAUSED]: {
    [PartnershipStatus.ACTIVE]: 'brand',
    [PartnershipStatus.COMPLETED]: 'system',
    [PartnershipStatus.TERMINATED]: ['brand', 'system'],
  },
  [PartnershipStatus.DECLINED]: { [PartnershipStatus.INVITED]: 'brand' },
  [PartnershipStatus.COMPLETED]: {},
  // Only an invitation that was never accepted is invited again (the service checks it never started).
  [PartnershipStatus.TERMINATED]: { [PartnershipStatus.INVITED]: 'brand' },
};

/** Partnerships still open: their campaign's end ends them. */
export const OPEN_PARTNERSHIP: readonly PartnershipStatus[] = [
  PartnershipStatus.INVITED,
  PartnershipStatus.ACCEPTED,
  PartnershipStatus.CONTRACTED,
  PartnershipStatus.ACTIVE,
  PartnershipStatus.PAUSED,
];

/** Partnerships whose work has begun (the creator is posting, or paused while posting). */
export const RUNNING_PARTNERSHIP: ReadonlySet<PartnershipStatus> = new Set([PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED]);

/** Partnerships that have ended: their tracking links still redirect, their clicks count as after the end. */
export const ENDED_PARTNERSHIP: ReadonlySet<PartnershipStatus> = new Set([PartnershipStatus.COMPLETED, PartnershipStatus.TERMINATED]);

/** How a campaign ended: completed (its run is over) or cancelled by the brand. */
export type CampaignOutcome = 'completed' | 'cancelled';

/**
 * Where an open partnership goes when its campaign ends, and why: one at work (active, paused) is
 * completed when the campaign completes; everything else, and everything on cancellation, is terminated.
 */
export function campaignEndMove(from: PartnershipStatus, outcome: CampaignOutcome): { to: PartnershipStatus; reason: string } {
  const to = outcome === 'completed' && RUNNING_PARTNERSHIP.has(from) ? PartnershipStatus.COMPLETED : PartnershipStatus.TERMINATED;
  return { to, reason: `campaign ${outcome}` };
}

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
