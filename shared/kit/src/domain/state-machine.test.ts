import { AppError } from '../errors/app-error';
import { StateMachine } from './state-machine';

type S = 'draft' | 'sent' | 'signed' | 'void';
const machine = new StateMachine<S, 'brand' | 'creator' | 'system'>('contract', {
  draft: { sent: 'brand', void: 'brand' },
  sent: { signed: 'creator', void: 'brand' },
  signed: { void: 'system' },
  void: {},
});

const refusal = (f: () => void) => {
  try {
    f();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a refusal');
};

describe('StateMachine', () => {
  it('knows who makes the moves into a status, from anywhere', () => {
    expect(machine.actorsInto('sent')).toEqual(['brand']);
    expect(machine.actorsInto('void').sort()).toEqual(['brand', 'system']);
    expect(machine.actorsInto('draft')).toEqual([]);
  });

  it('refuses the wrong side with FORBIDDEN whatever the status, and the right side in the wrong status with INVALID_STATE', () => {
    const wrongSide = refusal(() => machine.assertActor('signed', 'brand'));
    expect(wrongSide).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only the creator moves a contract to signed',
      details: { to: 'signed', actors: ['creator'] },
    });
    expect(refusal(() => machine.assertActor('void', 'creator')).message).toBe('Only the brand or the system moves a contract to void');
    expect(refusal(() => machine.assertActor('draft', 'brand')).message).toBe('No one moves a contract to draft');
    expect(() => machine.assertActor('signed', 'creator')).not.toThrow();

    const wrongState = refusal(() => machine.assert('draft', 'signed', 'creator'));
    expect(wrongState).toMatchObject({ code: 'INVALID_STATE', details: { from: 'draft', to: 'signed', allowed: [] } });
  });

  it('lets several actors make one move', () => {
    const shared = new StateMachine<S, 'brand' | 'creator' | 'system'>('contract', {
      draft: { void: ['brand', 'system'] },
      sent: {},
      signed: {},
      void: {},
    });
    expect(() => shared.assert('draft', 'void', 'brand')).not.toThrow();
    expect(() => shared.assert('draft', 'void', 'system')).not.toThrow();
    expect(shared.actorsInto('void')).toEqual(['brand', 'system']);
    expect(shared.allowed('draft', 'system')).toEqual(['void']);
    expect(refusal(() => shared.assert('draft', 'void', 'creator')).message).toBe(
      'A contract that is draft cannot become void (only the brand or the system makes that move); allowed: none',
    );
  });
});
