import { AppError, ErrorCode } from '@influenceflow/kit';
import { refusedMoves } from '@influenceflow/kit/testing';
import {
  assertPartnershipTransition,
  campaignEndMove,
  OPEN_PARTNERSHIP,
  PARTNERSHIP_TRANSITIONS,
  PartnershipActor,
  partnershipEventType,
  PartnershipStatus,
} from './partnership-status';

const ALL = Object.values(PartnershipStatus);
const ACTORS: PartnershipActor[] = ['brand', 'creator', 'system'];

/** Every allowed move, by whom: the table of docs/campaign.md. */
const ALLOWED: [PartnershipStatus, PartnershipStatus, PartnershipActor][] = [
  [PartnershipStatus.INVITED, PartnershipStatus.ACCEPTED, 'creator'],
  [PartnershipStatus.INVITED, PartnershipStatus.ACCEPTED, 'brand'],
  [PartnershipStatus.INVITED, PartnershipStatus.DECLINED, 'creator'],
  [PartnershipStatus.INVITED, PartnershipStatus.DECLINED, 'brand'],
  [PartnershipStatus.DECLINED, PartnershipStatus.INVITED, 'brand'],
  [PartnershipStatus.TERMINATED, PartnershipStatus.INVITED, 'brand'],
  [PartnershipStatus.INVITED, PartnershipStatus.TERMINATED, 'brand'],
  [PartnershipStatus.INVITED, PartnershipStatus.TERMINATED, 'system'],
  [PartnershipStatus.ACCEPTED, PartnershipStatus.CONTRACTED, 'system'],
  [PartnershipStatus.ACCEPTED, PartnershipStatus.TERMINATED, 'brand'],
  [PartnershipStatus.ACCEPTED, PartnershipStatus.TERMINATED, 'system'],
  [PartnershipStatus.CONTRACTED, PartnershipStatus.ACTIVE, 'brand'],
  [PartnershipStatus.CONTRACTED, PartnershipStatus.ACTIVE, 'system'],
  [PartnershipStatus.CONTRACTED, PartnershipStatus.TERMINATED, 'brand'],
  [PartnershipStatus.CONTRACTED, PartnershipStatus.TERMINATED, 'system'],
  [PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED, 'brand'],
  [PartnershipStatus.ACTIVE, PartnershipStatus.COMPLETED, 'brand'],
  [PartnershipStatus.ACTIVE, PartnershipStatus.COMPLETED, 'system'],
  [PartnershipStatus.ACTIVE, PartnershipStatus.TERMINATED, 'brand'],
  [PartnershipStatus.ACTIVE, PartnershipStatus.TERMINATED, 'system'],
  [PartnershipStatus.PAUSED, PartnershipStatus.ACTIVE, 'brand'],
  [PartnershipStatus.PAUSED, PartnershipStatus.COMPLETED, 'system'],
  [PartnershipStatus.PAUSED, PartnershipStatus.TERMINATED, 'brand'],
  [PartnershipStatus.PAUSED, PartnershipStatus.TERMINATED, 'system'],
];

describe('partnership status machine', () => {
  it('allows exactly the listed moves, each to its actors', () => {
    const table = ALL.flatMap((from) =>
      Object.entries(PARTNERSHIP_TRANSITIONS[from]).flatMap(([to, who]) => [who].flat().map((actor) => [from, to, actor])),
    );
    expect(table.sort()).toEqual([...ALLOWED].sort());
  });

  it.each(ALLOWED)('%s → %s by the %s', (from, to, actor) => {
    expect(() => assertPartnershipTransition(from, to, actor)).not.toThrow();
  });

  it('refuses every other move, for every actor, with INVALID_STATE naming what that actor may do', () => {
    const refused = refusedMoves(assertPartnershipTransition, ALL, ACTORS, ALLOWED);
    for (const { from, actor, error } of refused) {
      expect(error).toMatchObject({ code: ErrorCode.INVALID_STATE });
      const allowed = ALLOWED.filter(([f, , a]) => f === from && a === actor).map(([, t]) => t);
      expect((error as AppError).details?.allowed).toEqual(allowed);
    }
    expect(refused).toHaveLength(ALL.length * ALL.length * ACTORS.length - ALLOWED.length);
  });

  it('says who makes a move another actor tried', () => {
    expect(() => assertPartnershipTransition(PartnershipStatus.ACCEPTED, PartnershipStatus.CONTRACTED, 'brand')).toThrow(
      'A partnership that is accepted cannot become contracted (only the system makes that move); allowed: terminated',
    );
    expect(() => assertPartnershipTransition(PartnershipStatus.COMPLETED, PartnershipStatus.ACTIVE, 'brand')).toThrow('allowed: none');
  });

  it('names events after the move, resuming apart from activating', () => {
    expect(partnershipEventType(null, PartnershipStatus.INVITED)).toBe('partnership.invited');
    expect(partnershipEventType(PartnershipStatus.CONTRACTED, PartnershipStatus.ACTIVE)).toBe('partnership.activated');
    expect(partnershipEventType(PartnershipStatus.PAUSED, PartnershipStatus.ACTIVE)).toBe('partnership.resumed');
    expect(partnershipEventType(PartnershipStatus.ACTIVE, PartnershipStatus.TERMINATED)).toBe('partnership.terminated');
  });

  it('ends what is open when the campaign ends: work under way completes with the campaign, the rest is terminated', () => {
    const completed = (from: PartnershipStatus) => campaignEndMove(from, 'completed');
    const cancelled = (from: PartnershipStatus) => campaignEndMove(from, 'cancelled');
    expect(completed(PartnershipStatus.ACTIVE)).toEqual({ to: PartnershipStatus.COMPLETED, reason: 'campaign completed' });
    expect(completed(PartnershipStatus.PAUSED)).toEqual({ to: PartnershipStatus.COMPLETED, reason: 'campaign completed' });
    for (const from of [PartnershipStatus.INVITED, PartnershipStatus.ACCEPTED, PartnershipStatus.CONTRACTED]) {
      expect(completed(from)).toEqual({ to: PartnershipStatus.TERMINATED, reason: 'campaign completed' });
    }
    for (const from of OPEN_PARTNERSHIP) {
      expect(cancelled(from)).toEqual({ to: PartnershipStatus.TERMINATED, reason: 'campaign cancelled' });
      // every such move is the system's to make
      for (const outcome of ['completed', 'cancelled'] as const) {
        expect(() => assertPartnershipTransition(from, campaignEndMove(from, outcome).to, 'system')).not.toThrow();
      }
    }
  });
});
