import { StateMachine } from '@influenceflow/kit';

export enum DeliverableStatus {
  PLANNED = 'planned',
  SUBMITTED = 'submitted',
  CHANGES_REQUESTED = 'changes_requested',
  APPROVED = 'approved',
  POSTED = 'posted',
  VERIFIED = 'verified',
}

export type DeliverableActor = 'brand' | 'creator';

/**
 * planned → submitted (a draft) → changes requested → submitted again (resubmitted) → approved → posted
 * (with the post's URL) → verified (docs/campaign.md, "Deliverables"). The creator submits and posts; the
 * brand reviews and verifies.
 */
export const deliverableMachine = new StateMachine<DeliverableStatus, DeliverableActor>('deliverable', {
  [DeliverableStatus.PLANNED]: { [DeliverableStatus.SUBMITTED]: 'creator' },
  [DeliverableStatus.SUBMITTED]: { [DeliverableStatus.CHANGES_REQUESTED]: 'brand', [DeliverableStatus.APPROVED]: 'brand' },
  [DeliverableStatus.CHANGES_REQUESTED]: { [DeliverableStatus.SUBMITTED]: 'creator' },
  [DeliverableStatus.APPROVED]: { [DeliverableStatus.POSTED]: 'creator' },
  [DeliverableStatus.POSTED]: { [DeliverableStatus.VERIFIED]: 'brand' },
  [DeliverableStatus.VERIFIED]: {},
});

/** The event of a move into `to`: a second draft is `deliverable.resubmitted`. */
export function deliverableEventType(from: DeliverableStatus, to: DeliverableStatus): string {
  if (to === DeliverableStatus.SUBMITTED)
    return from === DeliverableStatus.CHANGES_REQUESTED ? 'deliverable.resubmitted' : 'deliverable.submitted';
  return `deliverable.${to.replace('_', '-')}`;
}
