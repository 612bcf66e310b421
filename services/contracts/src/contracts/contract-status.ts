import { MoveActors, StateMachine } from '@influenceflow/kit';

export enum ContractStatus {
  DRAFT = 'draft',
  SENT = 'sent',
  /** One party has signed, the other not yet. */
  SIGNED = 'signed',
  EXECUTED = 'executed',
  COMPLETED = 'completed',
  TERMINATED = 'terminated',
  /** An executed contract an executed amendment replaced. */
  SUPERSEDED = 'superseded',
}

/** Who moves a contract: the brand's side, the creator, or the system (an event, an amendment). */
export type ContractActor = 'brand' | 'creator' | 'system';

/**
 * draft (the brand edits its terms) → sent → signed (by one party) → executed (by both) → completed
 * (the partnership completed) / terminated (either party, or the partnership ended); an executed
 * contract an amendment replaces is superseded when the amendment is executed. A draft is only ever
 * the brand's; the first signature moves sent to signed, the second signed to executed. The brand may
 * recall a sent or half-signed contract back to draft (the signatures made are voided) to correct it.
 */
export const CONTRACT_TRANSITIONS: Record<ContractStatus, Partial<Record<ContractStatus, MoveActors<ContractActor>>>> = {
  [ContractStatus.DRAFT]: { [ContractStatus.SENT]: 'brand', [ContractStatus.TERMINATED]: ['brand', 'system'] },
  [ContractStatus.SENT]: {
    [ContractStatus.SIGNED]: ['brand', 'creator'],
    [ContractStatus.DRAFT]: 'brand',
    [ContractStatus.TERMINATED]: ['brand', 'creator', 'system'],
  },
  [ContractStatus.SIGNED]: {
    [ContractStatus.EXECUTED]: ['brand', 'creator'],
    [ContractStatus.DRAFT]: 'brand',
    [ContractStatus.TERMINATED]: ['brand', 'creator', 'system'],
  },
  [ContractStatus.EXECUTED]: {
    [ContractStatus.COMPLETED]: 'system',
    [ContractStatus.TERMINATED]: ['brand', 'creator', 'system'],
    [ContractStatus.SUPERSEDED]: 'system',
  },
  [ContractStatus.COMPLETED]: {},
  [ContractStatus.TERMINATED]: {},
  [ContractStatus.SUPERSEDED]: {},
};

export const contractMachine = new StateMachine<ContractStatus, ContractActor>('contract', CONTRACT_TRANSITIONS);

/** Contracts that are still in force or on their way to it. */
export const OPEN_CONTRACT: readonly ContractStatus[] = [
  ContractStatus.DRAFT,
  ContractStatus.SENT,
  ContractStatus.SIGNED,
  ContractStatus.EXECUTED,
];

/** A contract a party can sign now. */
export const SIGNABLE: ReadonlySet<ContractStatus> = new Set([ContractStatus.SENT, ContractStatus.SIGNED]);

export function assertContractTransition(from: ContractStatus, to: ContractStatus, actor: ContractActor): void {
  contractMachine.assert(from, to, actor);
}
