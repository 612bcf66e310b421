import type { EntityManager } from 'typeorm';
import type { Money } from '@influenceflow/kit';
import type { PartnershipParties } from '../ledger/postings';

export interface PayoutRequest extends PartnershipParties {
  idempotencyKey: string; // a milestone's payout: `milestone:<milestoneId>`
  amount: Money; // > 0, in the partnership's currency
  reason: 'MILESTONE' | 'COMMISSION' | 'BONUS' | 'AD_HOC';
  reference: string | null; // e.g. the milestone id
}
export interface PayoutRequests {
  /** In the caller's transaction: accrues (ledger.accrue) unless already accrued, records the payout
   *  (PENDING) and schedules the provider call after commit. Same key + same request → the same payout
   *  (replayed); same key + other parameters → CONFLICT. */
  request(tx: EntityManager, r: PayoutRequest): Promise<{ payoutId: string; replayed: boolean }>;
}
