import { refusedMoves } from '@influenceflow/kit/testing';
import { AppError } from '@influenceflow/kit';
import { assertContractTransition, ContractActor, contractMachine, ContractStatus } from './contract-status';

const S = ContractStatus;
const ALLOWED: [ContractStatus, ContractStatus, ContractActor][] = [
  [S.DRAFT, S.SENT, 'brand'],
  [S.DRAFT, S.TERMINATED, 'brand'],
  [S.DRAFT, S.TERMINATED, 'system'],
  [S.SENT, S.SIGNED, 'brand'],
  [S.SENT, S.SIGNED, 'creator'],
  [S.SENT, S.DRAFT, 'brand'],
  [S.SIGNED, S.DRAFT, 'brand'],
  [S.SENT, S.TERMINATED, 'brand'],
  [S.SENT, S.TERMINATED, 'creator'],
  [S.SENT, S.TERMINATED, 'system'],
  [S.SIGNED, S.EXECUTED, 'brand'],
  [S.SIGNED, S.EXECUTED, 'creator'],
  [S.SIGNED, S.TERMINATED, 'brand'],
  [S.SIGNED, S.TERMINATED, 'creator'],
  [S.SIGNED, S.TERMINATED, 'system'],
  [S.EXECUTED, S.COMPLETED, 'system'],
  [S.EXECUTED, S.TERMINATED, 'brand'],
  [S.EXECUTED, S.TERMINATED, 'creator'],
  [S.EXECUTED, S.TERMINATED, 'system'],
  [S.EXECUTED, S.SUPERSEDED, 'system'],
];

describe('the contract lifecycle', () => {
  it('allows exactly the listed moves', () => {
    for (const [from, to, actor] of ALLOWED) expect(() => assertContractTransition(from, to, actor)).not.toThrow();
  });

  it('refuses every other move with INVALID_STATE naming what the actor may do', () => {
    const refused = refusedMoves(assertContractTransition, Object.values(S), ['brand', 'creator', 'system'], ALLOWED);
    expect(refused.length).toBe(7 * 7 * 3 - ALLOWED.length);
    for (const move of refused) {
      expect(move.error).toBeInstanceOf(AppError);
      expect(move.error).toMatchObject({ code: 'INVALID_STATE', details: { from: move.from, to: move.to } });
    }
  });

  it('names who makes a move: the creator never sends, nobody but the system completes or supersedes', () => {
    expect(() => contractMachine.assertActor(S.SENT, 'creator')).toThrow('Only the brand moves a contract to sent');
    expect(() => contractMachine.assertActor(S.COMPLETED, 'brand')).toThrow(/Only the system/);
    expect(() => contractMachine.assertActor(S.SUPERSEDED, 'creator')).toThrow(/Only the system/);
    expect(() => assertContractTransition(S.DRAFT, S.SIGNED, 'creator')).toThrow('allowed: none');
    expect(() => assertContractTransition(S.TERMINATED, S.SENT, 'brand')).toThrow('allowed: none');
  });

  it('lets only the brand recall a sent or half-signed contract, never an executed or ended one', () => {
    expect(() => contractMachine.assertActor(S.DRAFT, 'creator')).toThrow('Only the brand moves a contract to draft');
    expect(() => contractMachine.assertActor(S.DRAFT, 'system')).toThrow('Only the brand moves a contract to draft');
    const recalls = refusedMoves(assertContractTransition, Object.values(S), ['brand', 'creator', 'system'], ALLOWED).filter(
      (m) => m.to === S.DRAFT,
    );
    // Into draft, only sent → draft and signed → draft by the brand are allowed.
    expect(recalls.length).toBe(7 * 3 - 2);
    for (const from of [S.DRAFT, S.EXECUTED, S.COMPLETED, S.TERMINATED, S.SUPERSEDED]) {
      expect(recalls.find((m) => m.from === from && m.actor === 'brand')?.error).toMatchObject({ code: 'INVALID_STATE' });
    }
    expect(recalls.find((m) => m.from === S.SENT && m.actor === 'creator')?.error).toMatchObject({ code: 'INVALID_STATE' });
  });
});
