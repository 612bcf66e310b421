import type { EntityManager } from 'typeorm';
import type { Money } from '@influenceflow/kit';
import type { AccountType } from './ledger-rules';

export interface PartnershipParties {
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
}
export interface PostedTransfer {
  transferId: string;
  replayed: boolean;
}

/** Every posting runs inside the caller's transaction; each is idempotent on its key (same key → the
 *  transfer already made, replayed: true; same key with another amount/accounts → CONFLICT). A posting
 *  that would take a protected balance below zero throws AppError INVALID_STATE with
 *  details.reason = 'INSUFFICIENT_FUNDS' (escrow) or 'INSUFFICIENT_BALANCE', and writes nothing.
 *  A currency other than the account's → BAD_USER_INPUT 'currency' (no conversion). */
export interface LedgerPostings {
  fundCampaign(tx: EntityManager, p: { key: string; brandId: string; campaignId: string; amount: Money }): Promise<PostedTransfer>;
  accrue(
    tx: EntityManager,
    p: PartnershipParties & { key: string; amount: Money; kind: 'MILESTONE' | 'COMMISSION' | 'BONUS' | 'AD_HOC' },
  ): Promise<PostedTransfer>;
  reverseAccrual(
    tx: EntityManager,
    p: PartnershipParties & { key: string; amount: Money; kind: 'COMMISSION_REFUND' },
  ): Promise<PostedTransfer>;
  startPayout(
    tx: EntityManager,
    p: PartnershipParties & { key: string; payoutId: string; provider: string; amount: Money },
  ): Promise<PostedTransfer>;
  settlePayout(
    tx: EntityManager,
    p: PartnershipParties & { key: string; payoutId: string; provider: string; amount: Money },
  ): Promise<PostedTransfer>;
  failPayout(
    tx: EntityManager,
    p: PartnershipParties & { key: string; payoutId: string; provider: string; amount: Money },
  ): Promise<PostedTransfer>;
  reversePayout(tx: EntityManager, p: PartnershipParties & { key: string; payoutId: string; amount: Money }): Promise<PostedTransfer>;
  recordProductValue(
    tx: EntityManager,
    p: PartnershipParties & { key: string; amount: Money; description: string },
  ): Promise<PostedTransfer>;
  returnEscrow(tx: EntityManager, p: { key: string; brandId: string; campaignId: string }): Promise<PostedTransfer | null>;
  balanceOf(tx: EntityManager, account: { type: string; ownerId: string; currency: string }): Promise<number>;
  balancesOf(
    tx: EntityManager,
    type: Exclude<AccountType, 'PROVIDER_CLEARING'>,
    ownerIds: readonly string[],
  ): Promise<{ ownerId: string; currency: string; balance: number }[]>;
  /**
   * Takes the ledger's advisory locks a funding of the campaign takes (its escrow's, its brand's funding
   * account's) until the transaction ends: postings that move the escrow wait, and what is read after
   * them (the escrow, the counters that committed with its postings) is one consistent state.
   */
  lockCampaignFunding(tx: EntityManager, p: { brandId: string; campaignId: string }): Promise<void>;
  /** What an accrual of `amountMinor` draws from the campaign's escrow: the amount and the platform fee on it. */
  accrualCost(amountMinor: number): number;
}
