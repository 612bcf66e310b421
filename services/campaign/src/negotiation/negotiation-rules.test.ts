import { AppError, ErrorCode } from '@influenceflow/kit';
import { assertNegotiating, assertOfferTurn, OfferMove, Side } from './negotiation-rules';
import { PartnershipStatus } from '../partnerships/partnership-status';

const MOVES: OfferMove[] = ['accept', 'decline', 'counter'];
const SIDES: Side[] = ['brand', 'creator'];

function refusal(run: () => void): AppError | null {
  try {
    run();
    return null;
  } catch (err) {
    return err as AppError;
  }
}

describe('whose turn it is', () => {
  // Every (move, actor, latest offer by): only the side that did not make the latest offer may answer it.
  const table = MOVES.flatMap((move) => SIDES.flatMap((actor) => SIDES.map((latestBy) => [move, actor, latestBy] as const)));

  it.each(table)('%s by the %s when the %s made the latest offer', (move, actor, latestBy) => {
    const error = refusal(() => assertOfferTurn(move, actor, latestBy));
    if (actor === latestBy) {
      expect(error).toMatchObject({ code: ErrorCode.FORBIDDEN, details: { move, actors: [latestBy === 'brand' ? 'creator' : 'brand'] } });
      expect(error!.message).toBe(`The ${actor} made the latest offer: only the ${actor === 'brand' ? 'creator' : 'brand'} may ${move} it`);
    } else {
      expect(error).toBeNull();
    }
  });

  it('refuses exactly half of the table: every move of the side that made the latest offer', () => {
    const refused = table.filter(([move, actor, latestBy]) => refusal(() => assertOfferTurn(move, actor, latestBy)));
    expect(refused).toEqual(table.filter(([, actor, latestBy]) => actor === latestBy));
    expect(refused).toHaveLength(6);
  });
});

describe('what is in negotiation', () => {
  it('is only an open invitation; every other status refuses a counter-offer with INVALID_STATE and its status', () => {
    expect(() => assertNegotiating(PartnershipStatus.INVITED)).not.toThrow();
    for (const status of Object.values(PartnershipStatus).filter((s) => s !== PartnershipStatus.INVITED)) {
      const error = refusal(() => assertNegotiating(status));
      expect(error).toMatchObject({ code: ErrorCode.INVALID_STATE, details: { status } });
    }
  });
});
