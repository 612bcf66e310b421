import { AppError, ErrorCode, invalidState } from '@influenceflow/kit';

/** The two sides of a partnership that negotiate its terms. */
export type Side = 'brand' | 'creator';

/** What the side whose turn it is may do with the latest offer. */
export type OfferMove = 'accept' | 'decline' | 'counter';

/**
 * Whose turn it is: the side that did not make the latest offer. The side that made it may not accept,
 * decline or counter its own offer (FORBIDDEN, whatever the partnership's status), it waits for the
 * answer; it may still withdraw the invitation (the brand terminates it).
 */
export function assertOfferTurn(move: OfferMove, actor: Side, latestProposedBy: Side): void {
  if (actor === latestProposedBy) {
    const actors = [otherSide(actor)];
    throw new AppError(ErrorCode.FORBIDDEN, `The ${actor} made the latest offer: only the ${actors[0]} may ${move} it`, {
      details: { move, actors },
    });
  }
}

/** Only an open invitation is negotiated; any other status refuses a counter-offer (INVALID_STATE). */
export function assertNegotiating(status: string): void {
  if (status !== 'invited') {
    throw invalidState(`A partnership that is ${status} is not in negotiation: counter-offers need an open invitation`, { status });
  }
}

export function otherSide(side: Side): Side {
  return side === 'brand' ? 'creator' : 'brand';
}
